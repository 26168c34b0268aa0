"""Case handlers see the notification log; administrators manage it (committees/staff_groups.py)."""

import importlib

from django.db import migrations

_groups = importlib.import_module("committees.migrations.0002_staff_groups")


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0002_staff_groups"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(_groups.create_groups, migrations.RunPython.noop)]
