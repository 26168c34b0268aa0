"""This year's dugnads, hours and their value: the committee page's section and the front page.

The value of the hours is hours × that year's hourly value (``HourlyRate``, a row per year
with its source, kept in the admin; never a number in the code). A year with no hourly value
shows the hours only and says the value is not set. Hours come first and kroner second,
always: the hours are what people gave, the kroner only a way to see their worth.

A dugnad counts in the year it started (Europe/Oslo), once it is reported (``COUNTED_STATES``):
until then its hours are not known. The figures are two queries whatever the number of dugnads.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import COUNTED_STATES, Dugnad, HourlyRate, State


@dataclass(frozen=True)
class YearFigures:
    year: int
    held: int  # dugnads reported, started in the year
    hours: Decimal  # their hours in total
    upcoming: int  # published dugnads that have not ended (whatever the year)
    rate: HourlyRate | None  # the year's hourly value, None when not set

    @property
    def value(self) -> Decimal | None:
        """Hours × the year's hourly value; None when the year has none."""
        return None if self.rate is None else self.hours * self.rate.nok_per_hour

    @property
    def value_is_set(self) -> bool:
        return self.rate is not None


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def counted_q(year: int) -> Q:
    """The dugnads whose hours count in ``year``: reported (``COUNTED_STATES``), started in the
    year (Europe/Oslo). The one rule for every figure of dugnad hours."""
    start, end = _year_bounds(year)
    return Q(state__in=list(COUNTED_STATES), starts_at__gte=start, starts_at__lt=end)


def hourly_rate_for(year: int) -> HourlyRate | None:
    return HourlyRate.objects.filter(year=year).first()


def dugnad_year_figures(
    *, year: int, committee=None, now: datetime.datetime | None = None
) -> YearFigures:
    """The year's figures for all committees, or for ``committee`` and its sub-committees.
    Two queries (one aggregate, the year's hourly value), however many dugnads there are."""
    dugnads = Dugnad.objects.all()
    if committee is not None:
        dugnads = dugnads.filter(Q(committee=committee) | Q(committee__parent=committee))
    counted = counted_q(year)
    totals = dugnads.aggregate(
        held=Count("pk", filter=counted),
        hours=Coalesce(
            Sum("hours_total", filter=counted),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=12, decimal_places=1),
        ),
        upcoming=Count("pk", filter=Q(state=State.PUBLISHED, ends_at__gte=now or timezone.now())),
    )
    return YearFigures(
        year=year,
        held=totals["held"],
        hours=Decimal(totals["hours"]),
        upcoming=totals["upcoming"],
        rate=hourly_rate_for(year),
    )


@dataclass(frozen=True)
class CommitteeDugnads:
    """One committee's dugnads of a year (its own, not its sub-committees')."""

    held: int = 0  # held (completed or reported), started in the year
    reported: int = 0  # of which reported: their hours and participants are known
    hours: Decimal = Decimal(0)  # the reported dugnads' hours
    participants: int = 0  # the reported dugnads' participants, as their reports say


HELD_STATES = frozenset({State.COMPLETED}) | COUNTED_STATES


def dugnad_figures_by_committee(*, year: int) -> dict[int, CommitteeDugnads]:
    """Committee id → its dugnads of ``year``: one query (grouped in SQL) for every committee.
    The hours are those ``dugnad_year_figures`` counts (``counted_q``); summed over the
    committees they are its all-committee figure."""
    start, end = _year_bounds(year)
    counted = counted_q(year)
    rows = (
        Dugnad.objects.filter(state__in=list(HELD_STATES), starts_at__gte=start, starts_at__lt=end)
        .order_by()
        .values("committee_id")
        .annotate(
            held=Count("pk"),
            reported=Count("pk", filter=counted),
            hours=Coalesce(
                Sum("hours_total", filter=counted),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=12, decimal_places=1),
            ),
            participants=Coalesce(Sum("participant_count", filter=counted), Value(0)),
        )
    )
    return {
        row["committee_id"]: CommitteeDugnads(
            held=row["held"],
            reported=row["reported"],
            hours=Decimal(row["hours"]),
            participants=row["participants"],
        )
        for row in rows
    }


def dugnad_value(dugnad: Dugnad) -> tuple[HourlyRate | None, Decimal | None]:
    """One dugnad's hourly value (that of the year it started) and its hours' value (one query;
    None for both when the year has no value, the value None when there are no hours)."""
    rate = hourly_rate_for(timezone.localtime(dugnad.starts_at).year)
    if rate is None or dugnad.hours_total is None:
        return rate, None
    return rate, dugnad.hours_total * rate.nok_per_hour


# --- the committee page ------------------------------------------------------------------------


def committee_figures_context(context, committee) -> dict:
    """The committee page's section: this year's dugnads, hours and value for the committee
    and its sub-committees."""
    return {
        "committee": committee,
        "figures": dugnad_year_figures(year=timezone.localdate().year, committee=committee),
        "heading_id": "dugnad-figures-heading",
    }


def register() -> None:
    from committees.sections import committee_page

    committee_page.register("main", "dugnads/_figures.html", committee_figures_context, order=120)
