from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.staff import ADMINISTRATOR, ALL, CASE_HANDLER


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = _("Users")
    # Case handlers look people up; administrators manage accounts (core.staff).
    staff_permissions = {CASE_HANDLER: ["view_user"], ADMINISTRATOR: ALL}
