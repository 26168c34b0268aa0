"""Once created the two staff groups; now the project-level post_migrate hook does.

The groups are assembled after every migrate and flush from what each app declares on its
AppConfig (core/staff.py), so this migration no longer runs code. It stays so databases that
applied it keep a consistent history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0001_initial"),
        ("users", "0001_initial"),
        ("account", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
