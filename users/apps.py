from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.staff import ADMINISTRATOR, ALL


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = _("Users")
    # Administrators manage accounts (core.staff); case handlers see people only through their
    # cases' own admin, never the account list (users/admin.py).
    staff_permissions = {ADMINISTRATOR: ALL}
