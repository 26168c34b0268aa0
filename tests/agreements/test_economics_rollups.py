"""Roll-ups of the economic picture: per committee, per department, per year over many
agreements — signed agreements only, and a fixed number of queries at 10 and 1,000 agreements."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.economics import committee_rollup, department_rollup, rollup_by_year
from agreements.models import Agreement, Payment, ReportDuty, ReportLine, Task
from tests.factories import (
    AgreementFactory,
    CommitteeFactory,
    DepartmentFactory,
    DugnadFactory,
    ProvisionFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal


def agreement_2026(committee, department, *, amount, state="active", **extra):
    agreement = AgreementFactory(
        committee=committee,
        department=department,
        state=state,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        municipal_cost_per_year=extra.pop("cost", None),
        own_contribution_per_year=0,
        **extra,
    )
    TaskFactory(agreement=agreement, pricing="fixed", amount=amount, hours_per_year=10)
    return agreement


@pytest.fixture(autouse=True)
def hourly_rates(db):
    """The values migration 0002 seeds, put back if missing: a rollup reads the year's value,
    and run after the dugnads, proposals and grants tests this module found the table without
    them (seen once, order-dependent, cause not found), so it no longer counts on the migration
    having left them."""
    import importlib

    from django.apps import apps

    importlib.import_module("dugnads.migrations.0002_hourly_rate_seed").seed(apps, None)


@pytest.fixture
def parties():
    return {
        "svarstad": CommitteeFactory(slug="svarstad-r"),
        "stavern": CommitteeFactory(slug="stavern-r"),
        "park": DepartmentFactory(),
        "kultur": DepartmentFactory(),
    }


def test_the_committee_rollup_sums_its_signed_agreements_for_the_year(parties):
    svarstad, stavern, park = parties["svarstad"], parties["stavern"], parties["park"]
    one = agreement_2026(svarstad, park, amount=12_000, cost=D("32000"))
    ProvisionFactory(agreement=one, value_per_year=2_000)
    agreement_2026(svarstad, park, amount=D("6000.50"), state="expiring")
    agreement_2026(svarstad, park, amount=25_000, state="ended")  # public: it was signed
    agreement_2026(svarstad, park, amount=99_999, state="draft")  # not signed: left out
    agreement_2026(svarstad, park, amount=99_999, state="signed_committee")
    agreement_2026(stavern, park, amount=99_999)  # another committee
    rollup = committee_rollup(committee=svarstad, year=2026)
    (year,) = rollup.years
    assert year.year == 2026 and year.agreements == 3
    assert year.compensation_planned == D("43000.50")
    assert year.in_kind == D("2000")
    assert year.municipal_cost == D("32000") and year.without_estimate == 2
    assert year.net_effect == D("18000")  # only the agreement with an estimate has one
    assert year.hours_planned == D("30")
    assert rollup.totals.compensation_planned == D("43000.50")


def test_the_committee_rollup_of_another_year_is_empty(parties):
    agreement_2026(parties["svarstad"], parties["park"], amount=12_000)
    assert committee_rollup(committee=parties["svarstad"], year=2024).years == []


def test_the_department_rollup_sums_its_signed_agreements_over_committees(parties):
    park, kultur = parties["park"], parties["kultur"]
    agreement_2026(parties["svarstad"], park, amount=12_000)
    agreement_2026(parties["stavern"], park, amount=6_000)
    agreement_2026(parties["stavern"], kultur, amount=99_999)
    agreement_2026(parties["stavern"], park, amount=99_999, state="sent")
    (year,) = department_rollup(department=park, year=2026).years
    assert year.compensation_planned == D("18000") and year.agreements == 2


def test_rollup_by_year_splits_a_period_over_two_years(parties):
    agreement = AgreementFactory(
        committee=parties["svarstad"],
        department=parties["park"],
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2027, 6, 30),
        municipal_cost_per_year=None,
    )
    TaskFactory(agreement=agreement, pricing="fixed", amount=12_000)
    agreement_2026(parties["stavern"], parties["park"], amount=1_000)
    rollup = rollup_by_year(agreements_qs=Agreement.objects.public())
    assert [(y.year, y.compensation_planned) for y in rollup.years] == [
        (2026, D("7049.32")),
        (2027, D("5950.68")),
    ]
    assert rollup.totals.compensation_planned == D("13000.00")


def test_a_dugnad_linked_to_two_agreements_counts_once_in_a_rollup(parties):
    first = agreement_2026(parties["svarstad"], parties["park"], amount=1)
    second = agreement_2026(parties["svarstad"], parties["park"], amount=1)
    dugnad = DugnadFactory(
        state="reported",
        starts_at=datetime.datetime(2026, 5, 2, 10, tzinfo=datetime.UTC),
        hours_total=D("30"),
    )
    first.dugnads.add(dugnad)
    second.dugnads.add(dugnad)
    (year,) = committee_rollup(committee=parties["svarstad"], year=2026).years
    assert year.hours_from_dugnads == D("30")
    assert year.value == D("30") * year.rate.nok_per_hour


def test_a_list_queryset_with_joins_and_prefetches_can_be_rolled_up(parties):
    """The admin passes its list's queryset: select_related and prefetches do not get in the way."""
    from agreements import selectors

    agreement_2026(parties["svarstad"], parties["park"], amount=12_000)
    plain, _ = count_queries(lambda: rollup_by_year(agreements_qs=Agreement.objects.public()))
    joined, rollup = count_queries(
        lambda: rollup_by_year(agreements_qs=selectors.with_lines(Agreement.objects.public()))
    )
    (year,) = rollup.years
    assert year.compensation_planned == D("12000")
    assert joined == plain  # the list's own prefetches are not run again


# --- a fixed number of queries -------------------------------------------------------------------


def many_agreements(committee, department, count: int):
    """``count`` signed agreements for 2026, each with a task, two instalments (one paid) and an
    approved report with two lines (hours 40)."""
    have = Agreement.objects.filter(committee=committee).count()
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                number=f"AVT-2026-8{i:05d}",
                committee=committee,
                department=department,
                title=f"Avtale {i}",
                starts_on=datetime.date(2026, 1, 1),
                ends_on=datetime.date(2026, 12, 31),
                state="active",
                municipal_cost_per_year=D("20000"),
            )
            for i in range(have, count)
        ]
    )
    tasks = Task.objects.bulk_create(
        [
            Task(agreement=a, kind="flag_raising", amount=6_000, hours_per_year=40)
            for a in agreements
        ]
    )
    Payment.objects.bulk_create(
        [
            Payment(agreement=a, due_on=datetime.date(2026, m, 1), amount=3_000, paid_on=paid)
            for a in agreements
            for m, paid in ((3, datetime.date(2026, 3, 2)), (9, None))
        ]
    )
    duties = ReportDuty.objects.bulk_create(
        [
            ReportDuty(
                agreement=a, title="2026", due_on=datetime.date(2026, 11, 1), state="approved"
            )
            for a in agreements
        ]
    )
    ReportLine.objects.bulk_create(
        [
            ReportLine(duty=duty, task=task, done_on=datetime.date(2026, m, 10), hours=20)
            for duty, task in zip(duties, tasks, strict=True)
            for m in (5, 10)
        ]
    )


def count_queries(func) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = func()
    return len(queries), result


@pytest.mark.parametrize(
    "rollup",
    [
        lambda c, d: committee_rollup(committee=c, year=2026),
        lambda c, d: department_rollup(department=d, year=2026),
        lambda c, d: rollup_by_year(agreements_qs=Agreement.objects.public()),
    ],
    ids=["committee", "department", "by_year"],
)
def test_rollups_take_the_same_queries_at_10_and_1000_agreements(parties, rollup):
    committee, department = parties["svarstad"], parties["park"]
    dugnad = DugnadFactory(
        committee=committee,
        state="reported",
        starts_at=datetime.datetime(2026, 5, 2, 10, tzinfo=datetime.UTC),
        hours_total=D("12"),
    )
    many_agreements(committee, department, 10)
    Agreement.objects.first().dugnads.add(dugnad)
    small, result = count_queries(lambda: rollup(committee, department))
    assert result.years[0].agreements == 10
    many_agreements(committee, department, 1000)
    large, result = count_queries(lambda: rollup(committee, department))
    (year,) = [y for y in result.years if y.year == 2026]
    assert year.agreements == 1000
    assert year.hours_from_reports == D("40000") and year.hours_from_dugnads == D("12")
    assert year.compensation_paid == D("3000000")
    assert small == large, (small, large)
    assert large <= 8
