"""The two staff groups and their model permissions (committees/staff_groups.py).

Permissions are normally created after all migrations (post_migrate); create them here first so a
fresh database gets complete groups. Later apps add their permissions in their own migrations.
"""

from django.db import migrations


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from committees.staff_groups import ensure_staff_groups

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    ensure_staff_groups(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


def remove_groups(apps, schema_editor):
    from committees.staff_groups import ADMINISTRATOR, CASE_HANDLER

    apps.get_model("auth", "Group").objects.filter(name__in=[CASE_HANDLER, ADMINISTRATOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0001_initial"),
        ("users", "0001_initial"),
        ("account", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
