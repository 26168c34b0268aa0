from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.staff import ADMINISTRATOR, ALL


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications and e-mail")
    # Only administrators: the log holds every resident's notifications, more than a case
    # handler's cases need (issue 10, docs/notifications.md). Migration 0002 takes the view
    # permissions back from case handler groups made before, as groups only ever gain (core.staff).
    staff_permissions = {ADMINISTRATOR: ALL}

    def ready(self):
        from . import checks  # noqa: F401 - registers the system check
