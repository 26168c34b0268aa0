"""Case handlers no longer view accounts (issue 10): take ``users.view_user`` and any other user
permission from the case handlers' group.

The groups are assembled after every migrate from what the apps declare, but only ever added to
(``core.staff.ensure_staff_groups``), so dropping the permission from ``users``' declaration does
not remove what a database's group already holds; this does, once.
"""

from django.db import migrations

from core.staff import CASE_HANDLER, group_name


def case_handlers_see_no_accounts(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    user_permissions = Permission.objects.filter(
        content_type__app_label="users", content_type__model="user"
    )
    for group in Group.objects.filter(name=group_name(CASE_HANDLER)):
        group.permissions.remove(*user_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0002_cache_table"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(case_handlers_see_no_accounts, migrations.RunPython.noop)]
