"""Once gave the staff groups the notification log; now notifications declares its own staff
permissions (notifications/apps.py) and the post_migrate hook assembles the groups. Kept so
databases that applied it keep a consistent history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0002_staff_groups"),
        ("notifications", "0001_initial"),
    ]

    operations = []
