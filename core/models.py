"""Abstract models every app may build on. ``core`` has no tables of its own."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimelineEntry(models.Model):
    """One step on an object's timeline (``core.steps.take_step`` writes it): who took it, for
    which party, from which state to which, with what message, and when.

    A subclass adds the foreign key to its object and gives ``actor_party``, ``from_state`` and
    ``to_state`` their choices (``field = TimelineEntry.state_field(MyState.choices)``).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_party = models.CharField(_("on behalf of"), max_length=20, blank=True)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    message = models.TextField(
        _("message"), max_length=10_000, validators=[MaxLengthValidator(10_000)], blank=True
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    @staticmethod
    def party_field(choices) -> models.CharField:
        """``actor_party`` with the app's parties as choices."""
        return models.CharField(_("on behalf of"), max_length=20, choices=choices, blank=True)

    @staticmethod
    def state_field(verbose_name, choices) -> models.CharField:
        """``from_state`` or ``to_state`` with the app's states as choices."""
        return models.CharField(verbose_name, max_length=20, choices=choices, blank=True)


class YearCounter(models.Model):
    """The last number used each year, for references like NMU-2026-0001 and AVT-2026-001.

    A subclass is one table with a row per year; :meth:`next_number` takes the next number in one
    atomic statement (``INSERT … ON CONFLICT DO UPDATE … RETURNING``), so two cases created at
    the same moment never get the same number, and no row lock is held afterwards.
    """

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.year}: {self.last_number}"

    @classmethod
    def next_number(cls, year: int) -> int:
        from django.db import connection

        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (year, last_number) VALUES (%s, 1) "  # noqa: S608 (our table)
                f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 "
                "RETURNING last_number",
                [year],
            )
            return cursor.fetchone()[0]
