"""The staff groups, assembled at the top from what every installed app declares.

Each of our apps declares ``staff_permissions`` on its AppConfig (``core.staff``); third-party
apps cannot, so their part is declared here. ``LarvikNmuConfig.ready`` connects
:func:`assemble_after_migrate` to ``post_migrate``: it runs once every app's permissions exist,
after ``migrate`` (a fresh database gets complete groups) and after ``flush`` (a transactional
test's flush, ``seed_demo`` on an emptied database).
"""

import logging

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, router

from core import staff

logger = logging.getLogger(__name__)

# Apps that are not ours: administrators manage allauth's e-mail addresses too.
THIRD_PARTY_STAFF_PERMISSIONS = {
    "account": {staff.ADMINISTRATOR: staff.ALL},
}


def staff_declarations() -> dict:
    """Every installed app's declaration, ours from their AppConfig and the third-party ones."""
    declarations = {
        label: declaration
        for label, declaration in THIRD_PARTY_STAFF_PERMISSIONS.items()
        if label in global_apps.app_configs
    }
    declarations.update(staff.declarations_of(global_apps.get_app_configs()))
    return declarations


def ensure_staff_groups(*, apps=global_apps, using=DEFAULT_DB_ALIAS) -> list[tuple[str, str]]:
    """Create or complete both staff groups; returns declared permissions that do not exist."""
    try:
        group_model = apps.get_model("auth", "Group")
        permission_model = apps.get_model("auth", "Permission")
    except LookupError:  # auth is not migrated yet (a partial migrate)
        return []
    if not router.allow_migrate_model(using, group_model):
        return []
    missing = staff.ensure_staff_groups(
        staff_declarations(),
        group_model=group_model,
        permission_model=permission_model,
        using=using,
    )
    for app_label, codename in missing:
        logger.warning(
            "Staff permission %s.%s is declared but does not exist.", app_label, codename
        )
    return missing


def _last_app_with_models():
    """post_migrate is sent once per app with models, in INSTALLED_APPS order; auth's receiver
    creates each app's permissions as its turn comes, so all exist at the last one's turn."""
    return [config for config in global_apps.get_app_configs() if config.models_module][-1]


def assemble_after_migrate(sender, *, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    if sender is not _last_app_with_models():
        return
    ensure_staff_groups(apps=apps, using=using)
