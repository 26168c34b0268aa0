"""Case handlers no longer read the notification log (issue 10): it holds every resident's
notifications, more than their cases need. The groups are assembled after each migrate and only
ever gain permissions (core.staff), so a case handler group made before keeps what it had unless
it is taken back here, once."""

from django.db import migrations

from core.staff import CASE_HANDLER, group_name

TAKEN_BACK = ["view_notification", "view_notificationpreference"]


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    group = Group.objects.using(db).filter(name=group_name(CASE_HANDLER)).first()
    if group is None:
        return
    group.permissions.remove(
        *Permission.objects.using(db).filter(
            content_type__app_label="notifications", codename__in=TAKEN_BACK
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(take_back, migrations.RunPython.noop)]
