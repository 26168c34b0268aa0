"""dugnads.figures.dugnad_year_figures: the dugnads reported in a year, their hours, and the
hours' value at that year's hourly value (a row in the database, never a number in the code);
a year with no value gives the hours only. Two queries, however many dugnads."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dugnads.figures import dugnad_value, dugnad_year_figures
from dugnads.models import HourlyRate, State
from tests.factories import CommitteeFactory, DugnadFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
YEAR = 2026
NOW = datetime.datetime(YEAR, 6, 15, 12, tzinfo=OSLO)


def dugnad(committee, *, state=State.REPORTED, starts=None, hours=None, **fields):
    starts = starts or datetime.datetime(YEAR, 5, 2, 10, tzinfo=OSLO)
    return DugnadFactory(
        committee=committee,
        state=state,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
        resources_due=None,
        hours_total=hours,
        participant_count=10 if hours is not None else None,
        **fields,
    )


def figures(**kwargs):
    return dugnad_year_figures(year=kwargs.pop("year", YEAR), now=NOW, **kwargs)


def test_the_seeded_value_is_in_the_database_not_the_code():
    rate = HourlyRate.objects.get(year=YEAR)
    assert rate.nok_per_hour == Decimal(350) and rate.source == "Kulturminnefondet, dugnadssats"


def test_hours_and_their_value_at_the_years_rate(committee):
    dugnad(committee, hours=Decimal("300"))
    dugnad(committee, hours=Decimal("12"))
    result = figures()
    assert (result.held, result.hours) == (2, Decimal("312"))
    assert result.value == Decimal("109200") and result.value_is_set


def test_changing_the_rate_in_the_database_changes_the_value(committee):
    dugnad(committee, hours=Decimal("312"))
    HourlyRate.objects.filter(year=YEAR).update(nok_per_hour=Decimal("400"))
    assert figures().value == Decimal("124800")


def test_no_rate_for_the_year_gives_the_hours_only(committee):
    dugnad(committee, hours=Decimal("312"))
    HourlyRate.objects.filter(year=YEAR).delete()
    result = figures()
    assert result.hours == Decimal("312")
    assert result.value is None and not result.value_is_set and result.rate is None


def test_each_year_its_own_rate(committee):
    HourlyRate.objects.update_or_create(
        year=2025, defaults={"nok_per_hour": Decimal("300"), "source": "Gammel sats"}
    )
    dugnad(committee, hours=Decimal("10"), starts=datetime.datetime(2025, 9, 1, 10, tzinfo=OSLO))
    dugnad(committee, hours=Decimal("10"))
    assert figures(year=2025).value == Decimal("3000")
    assert figures(year=YEAR).value == Decimal("3500")


def test_only_reported_dugnads_count_and_upcoming_ones_are_counted_apart(committee):
    dugnad(committee, hours=Decimal("8"))
    dugnad(committee, state=State.COMPLETED)  # held, not reported: its hours are not known
    dugnad(committee, state=State.CANCELLED, starts=NOW + datetime.timedelta(days=5))
    dugnad(committee, state=State.DRAFT, starts=NOW + datetime.timedelta(days=5))
    dugnad(committee, state=State.PUBLISHED, starts=NOW + datetime.timedelta(days=5))
    dugnad(committee, state=State.PUBLISHED, starts=NOW + datetime.timedelta(days=200))
    dugnad(committee, state=State.PUBLISHED, starts=NOW - datetime.timedelta(days=1))  # ended
    result = figures()
    assert (result.held, result.hours, result.upcoming) == (1, Decimal(8), 2)


def test_a_dugnad_counts_in_the_year_it_started_in_oslo(committee):
    # 00:30 on 1 January in Oslo is still 31 December in UTC.
    dugnad(committee, hours=Decimal("5"), starts=datetime.datetime(YEAR, 1, 1, 0, 30, tzinfo=OSLO))
    dugnad(
        committee,
        hours=Decimal("7"),
        starts=datetime.datetime(YEAR - 1, 12, 31, 23, 0, tzinfo=OSLO),
    )
    assert figures().hours == Decimal(5)
    assert figures(year=YEAR - 1).hours == Decimal(7)


def test_a_committee_with_its_sub_committees_only(committee, other_committee):
    child = CommitteeFactory(name="Svarstad sentrum", slug="svarstad-sentrum", parent=committee)
    dugnad(committee, hours=Decimal("10"))
    dugnad(child, hours=Decimal("5"))
    dugnad(other_committee, hours=Decimal("100"))
    assert figures(committee=committee).hours == Decimal(15)
    assert figures(committee=child).hours == Decimal(5)
    assert figures(committee=other_committee).hours == Decimal(100)
    assert figures().hours == Decimal(115)


def test_nothing_yet_is_zero_hours(committee):
    result = figures(committee=committee)
    assert (result.held, result.hours, result.upcoming) == (0, Decimal(0), 0)
    assert result.value == Decimal(0)


@pytest.mark.parametrize("n", [10, 1_000])
def test_two_queries_however_many_dugnads(committee, django_assert_num_queries, n):
    from dugnads.models import Dugnad

    starts = datetime.datetime(YEAR, 3, 1, 10, tzinfo=datetime.UTC)  # UTC: no DST jump
    Dugnad.objects.bulk_create(
        DugnadFactory.build(
            committee=committee,
            state=State.REPORTED,
            starts_at=starts + datetime.timedelta(hours=i),
            ends_at=starts + datetime.timedelta(hours=i + 1),
            hours_total=Decimal("1.5"),
        )
        for i in range(n)
    )
    with django_assert_num_queries(2):
        result = figures(committee=committee)
    assert result.held == n and result.hours == Decimal("1.5") * n


def test_one_dugnads_value(committee):
    one = dugnad(committee, hours=Decimal("36"))
    rate, value = dugnad_value(one)
    assert rate.year == YEAR and value == Decimal("12600")
    HourlyRate.objects.filter(year=YEAR).delete()
    assert dugnad_value(one) == (None, None)
