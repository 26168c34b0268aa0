"""An allocation's reason becomes codes: ``reasons``, a list of ``{"code": ..., "params": {...}}``
(``grants.allocation_reasons``), worded in the reader's language when shown, replaces the text
``reason``, which was stored in the language of whoever worked the list out.

The old text is dropped, not converted: the portal is not in production, and the text (in
either language, joined and perhaps shortened) cannot be read back into codes reliably. Working
a draft list out again gives its reasons back; a reserved allocation of an approved list shows
none until it is released (the refusal to release says why, as it stands then). The history
table follows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="allocation", name="reason"),
        migrations.RemoveField(model_name="historicalallocation", name="reason"),
        migrations.AddField(
            model_name="allocation",
            name="reasons",
            field=models.JSONField(blank=True, default=list, verbose_name="why not payable"),
        ),
        migrations.AddField(
            model_name="historicalallocation",
            name="reasons",
            field=models.JSONField(blank=True, default=list, verbose_name="why not payable"),
        ),
    ]
