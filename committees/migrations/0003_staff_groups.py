"""The two staff groups and their model permissions.

Permissions are normally created after all migrations (post_migrate); create them here first so a
fresh database gets complete groups. Later apps add their permissions in their own migrations.
"""

from django.db import migrations

CASE_HANDLER = "Saksbehandler"
ADMINISTRATOR = "Administrator"

CASE_HANDLER_PERMISSIONS = [
    ("committees", "view_committee"),
    ("committees", "change_committee"),
    ("committees", "view_membership"),
    ("committees", "add_membership"),
    ("committees", "change_membership"),
    ("committees", "view_department"),
    ("committees", "view_departmentstaff"),
    ("users", "view_user"),
]
ADMINISTRATOR_APPS = ["committees", "users", "account"]


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    case_handler, _ = Group.objects.get_or_create(name=CASE_HANDLER)
    for app_label, codename in CASE_HANDLER_PERMISSIONS:
        case_handler.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS)
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[CASE_HANDLER, ADMINISTRATOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0002_initial"),
        ("users", "0001_initial"),
        ("account", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
