"""Create the database cache table (used for allauth's rate limits when REDIS_URL is unset).

Doing it in a migration means `migrate` alone leaves a working site; createcachetable is
idempotent and does nothing for non-database caches.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("users", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
