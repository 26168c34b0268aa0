"""Board invitations become the only way onto a board from the site: they carry the whole
membership (group, term), a secret token for the accept page, and what became of them."""

import secrets

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import committees.models


def give_each_a_token(apps, schema_editor):
    BoardInvitation = apps.get_model("committees", "BoardInvitation")
    for invitation in BoardInvitation.objects.filter(token__isnull=True).only("pk"):
        invitation.token = secrets.token_urlsafe(24)
        invitation.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0008_board_invitation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="boardinvitation",
            name="represents",
            field=models.CharField(
                choices=[
                    ("voluntary", "Voluntary association"),
                    ("business", "Business"),
                    ("youth", "Youth"),
                    ("elderly", "Elderly"),
                    ("municipal_unit", "Municipal unit (school, kindergarten, nursing home)"),
                    ("individual", "Individual"),
                ],
                default="individual",
                max_length=20,
                verbose_name="represents",
            ),
        ),
        migrations.AddField(
            model_name="boardinvitation",
            name="term_start",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="term start"
            ),
        ),
        migrations.AddField(
            model_name="boardinvitation",
            name="term_end",
            field=models.DateField(blank=True, null=True, verbose_name="term end"),
        ),
        migrations.AddField(
            model_name="boardinvitation",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting for an answer"),
                    ("accepted", "Accepted"),
                    ("declined", "Declined"),
                    ("withdrawn", "Withdrawn"),
                ],
                default="pending",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="boardinvitation",
            name="answered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="answered or withdrawn"),
        ),
        migrations.AddField(
            model_name="boardinvitation",
            name="membership",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="committees.membership",
                verbose_name="membership",
            ),
        ),
        # A token per existing row first, then the column's rule (unique, a new one by default).
        migrations.AddField(
            model_name="boardinvitation",
            name="token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_each_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="boardinvitation",
            name="token",
            field=models.CharField(
                default=committees.models.new_invitation_token,
                editable=False,
                max_length=64,
                unique=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="boardinvitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("term_end__isnull", True))
                | models.Q(("term_end__gte", models.F("term_start"))),
                name="board_invitation_term_end_after_start",
            ),
        ),
    ]
