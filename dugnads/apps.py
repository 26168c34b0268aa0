from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.staff import ADMINISTRATOR, ALL, CASE_HANDLER


class DugnadsConfig(AppConfig):
    name = "dugnads"
    verbose_name = _("Dugnads")
    # Case handlers answer resource requests and see dugnads in the admin (core.staff).
    staff_permissions = {
        CASE_HANDLER: [
            "view_dugnad",
            "view_dugnadevent",
            "view_need",
            "view_resource",
            "change_resource",
            "answer_resource",
            "view_signup",
            "view_hourlyrate",
            "view_photo",
        ],
        ADMINISTRATOR: ALL,
    }

    def ready(self):
        from . import committee_page, figures, proposal_page
        from .notifications import register

        register()
        committee_page.register()
        figures.register()
        proposal_page.register()
