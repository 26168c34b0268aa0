"""Case handlers work on proposals; administrators manage everything (committees/staff_groups.py)."""

import importlib

from django.db import migrations

_groups = importlib.import_module("committees.migrations.0002_staff_groups")


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0003_staff_groups_notifications"),
        ("proposals", "0001_initial"),
    ]

    operations = [migrations.RunPython(_groups.create_groups, migrations.RunPython.noop)]
