from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.staff import ADMINISTRATOR, ALL, CASE_HANDLER


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications and e-mail")
    # Case handlers see the notification log; administrators manage it (core.staff).
    staff_permissions = {
        CASE_HANDLER: ["view_notification", "view_notificationpreference"],
        ADMINISTRATOR: ALL,
    }

    def ready(self):
        from . import checks  # noqa: F401 - registers the system check
