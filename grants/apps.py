from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.staff import ADMINISTRATOR, ALL, CASE_HANDLER


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")
    # Case handlers keep the schemes and figures, answer applications, approve allocation lists
    # and review annual reports (core.staff).
    staff_permissions = {
        CASE_HANDLER: [
            "view_grantscheme",
            "add_grantscheme",
            "change_grantscheme",
            "view_populationfigure",
            "add_populationfigure",
            "change_populationfigure",
            "delete_populationfigure",
            "view_allocation",
            "change_allocation",
            "view_application",
            "change_application",
            "view_applicationevent",
            "view_budgetline",
            "view_applicationphoto",
            "view_annualreport",
            "change_annualreport",
            "view_annualreportevent",
            "view_annualreportdocument",
            "view_electedboardmember",
        ],
        ADMINISTRATOR: ALL,
    }

    def ready(self):
        from . import annual_report_sections, payment_owner, workspace
        from .notifications import register

        register()
        payment_owner.register()
        workspace.register()
        annual_report_sections.register()
