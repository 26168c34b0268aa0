"""The hourly value of voluntary work the figures start from (Larvik's choice; change it in the
admin, where each year's value keeps its source)."""

from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    HourlyRate = apps.get_model("dugnads", "HourlyRate")
    for year in (2025, 2026, 2027):
        HourlyRate.objects.get_or_create(
            year=year,
            defaults={"nok_per_hour": Decimal("350"), "source": "Kulturminnefondet, dugnadssats"},
        )


class Migration(migrations.Migration):
    dependencies = [("dugnads", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
