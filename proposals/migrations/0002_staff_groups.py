"""Once gave the staff groups the proposal permissions; now proposals declares its own
(proposals/apps.py) and the project-level post_migrate hook assembles the groups. Kept so
databases that applied it keep a consistent history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0003_staff_groups_notifications"),
        ("proposals", "0001_initial"),
    ]

    operations = []
