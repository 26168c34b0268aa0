from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.staff import ADMINISTRATOR, ALL, CASE_HANDLER


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")
    # Case handlers draft agreements, keep the payments and review reports (core.staff). The
    # right to sign for a department (agreements.sign_agreement) is given person by person.
    staff_permissions = {
        CASE_HANDLER: [
            "view_agreement",
            "add_agreement",
            "change_agreement",
            "view_agreementevent",
            "view_task",
            "add_task",
            "change_task",
            "delete_task",
            "view_provision",
            "add_provision",
            "change_provision",
            "delete_provision",
            "view_payment",
            "add_payment",
            "change_payment",
            "delete_payment",
            "view_reportduty",
            "add_reportduty",
            "change_reportduty",
            "delete_reportduty",
            "review_reportduty",
            "view_reportline",
            "view_reportphoto",
            "view_signature",
        ],
        ADMINISTRATOR: ALL,
    }

    def ready(self):
        from . import workspace
        from .notifications import register

        register()
        workspace.register()
        from . import proposal_page

        proposal_page.register()
        from . import admin_actions

        admin_actions.register()
