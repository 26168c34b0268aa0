from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.staff import ADMINISTRATOR, ALL, CASE_HANDLER


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("Neighbourhood committees")
    # Case handlers (permissions.is_municipal_staff: ``handle_cases``) keep the register of
    # committees and boards; the groups are assembled from every app's list (core.staff).
    staff_permissions = {
        CASE_HANDLER: [
            "handle_cases",
            "view_committee",
            "change_committee",
            "view_committeestatuschange",
            "view_membership",
            "add_membership",
            "change_membership",
            "view_department",
            "view_departmentstaff",
        ],
        ADMINISTRATOR: ALL,
    }

    def ready(self):
        from .notifications import register

        register()
