"""agreements.economics.rollup_by_committee read directly (the key figures, ``grants.
key_figures``, read it too): each committee's signed agreements' figures for one year — the
compensation paid that year, in kind apart from money, the municipality's avoided cost and net
effect, approved report hours by the year they were done — and what it leaves out: unsigned
agreements, other years, cancelled instalments, reports not approved."""

import datetime
from decimal import Decimal

import pytest

from agreements.economics import committee_rollup, rollup_by_committee
from agreements.models import Payment, ReportDuty, ReportLine
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
YEAR = 2026


def day(month, dom, *, year=YEAR):
    return datetime.date(year, month, dom)


@pytest.fixture
def park():
    return DepartmentFactory()


def agreement(committee, department, *, state="active", year=YEAR, amount=12_000, cost=None, **kw):
    """A signed agreement for the whole of ``year`` with a fixed task of ``amount`` a year."""
    made = AgreementFactory(
        committee=committee,
        department=department,
        state=state,
        starts_on=kw.pop("starts_on", day(1, 1, year=year)),
        ends_on=kw.pop("ends_on", day(12, 31, year=year)),
        municipal_cost_per_year=cost,
        own_contribution_per_year=0,
        **kw,
    )
    TaskFactory(agreement=made, pricing="fixed", amount=amount, hours_per_year=40)
    return made


def pay(agreement, amount, *, due, paid=None, cancelled=False):
    return Payment.objects.create(
        agreement=agreement, amount=amount, due_on=due, paid_on=paid, cancelled=cancelled
    )


def report(agreement, hours, *, state="approved", done=None):
    duty = ReportDuty.objects.create(
        agreement=agreement, title=f"Rapport {state}", due_on=day(11, 1), state=state
    )
    ReportLine.objects.create(
        duty=duty, task=agreement.tasks.first(), done_on=done or day(5, 1), hours=D(hours)
    )


def test_each_committee_gets_its_own_signed_agreements(committee, other_committee, park):
    agreement(committee, park, amount=12_000, cost=D("32000"))
    agreement(committee, park, amount=6_000, state="expiring")
    agreement(committee, park, amount=1_000, state="ended")  # public: it was signed
    for unsigned in ("draft", "sent", "signed_committee"):
        agreement(committee, park, amount=99_999, state=unsigned, cost=D("99999"))
    agreement(other_committee, park, amount=3_000)
    figures = rollup_by_committee(year=YEAR)
    assert set(figures) == {committee.pk, other_committee.pk}
    mine = figures[committee.pk]
    assert (mine.agreements, mine.compensation_planned) == (3, D("19000"))
    assert mine.municipal_cost == D("32000") and mine.without_estimate == 2
    assert figures[other_committee.pk].compensation_planned == D("3000")


def test_a_committee_with_only_unsigned_agreements_is_not_there(committee, park):
    agreement(committee, park, state="draft")
    agreement(committee, park, state="signed_committee")
    assert rollup_by_committee(year=YEAR) == {}


def test_a_sub_committees_agreements_are_its_own_not_its_parents(committee, park):
    child = CommitteeFactory(name="Svarstad sentrum", slug="svarstad-sentrum", parent=committee)
    agreement(committee, park, amount=12_000)
    agreement(child, park, amount=4_000)
    figures = rollup_by_committee(year=YEAR)
    assert figures[committee.pk].compensation_planned == D("12000")
    assert figures[child.pk].compensation_planned == D("4000")


def test_the_same_figures_as_the_committees_own_rollup(committee, other_committee, park):
    one = agreement(committee, park, amount=12_000, cost=D("32000"))
    ProvisionFactory(agreement=one, value_per_year=2_000)
    pay(one, 6_000, due=day(3, 1), paid=day(3, 2))
    report(one, "12.5")
    agreement(committee, park, amount=5_000, starts_on=day(7, 1), ends_on=day(6, 30, year=2027))
    agreement(other_committee, park, amount=3_000)
    (own,) = committee_rollup(committee=committee, year=YEAR).years
    assert rollup_by_committee(year=YEAR)[committee.pk] == own


# --- money: paid in the year, in kind apart ------------------------------------------------------


def test_compensation_paid_is_what_was_paid_in_the_year_whenever_it_fell_due(committee, park):
    one = agreement(committee, park)
    pay(one, 3_000, due=day(3, 1), paid=day(3, 2))
    pay(one, 2_000, due=day(12, 1), paid=day(1, 10, year=YEAR + 1))  # paid late: next year's
    pay(one, 1_000, due=day(9, 1))  # not paid
    pay(one, 500, due=day(10, 1), cancelled=True)
    assert rollup_by_committee(year=YEAR)[committee.pk].compensation_paid == D("3000")
    assert rollup_by_committee(year=YEAR + 1)[committee.pk].compensation_paid == D("2000")


def test_an_instalment_paid_the_january_after_the_period_counts_that_year(committee, park):
    one = agreement(committee, park, year=YEAR - 1, cost=D("10000"))
    pay(one, 4_000, due=day(12, 15, year=YEAR - 1), paid=day(1, 5))
    figures = rollup_by_committee(year=YEAR)[committee.pk]
    assert figures.compensation_paid == D("4000")
    assert figures.in_kind == 0 and figures.municipal_cost == 0  # the period is over


def test_an_agreement_over_two_years_before_is_not_there(committee, park):
    one = agreement(committee, park, year=YEAR - 2)
    pay(one, 4_000, due=day(12, 15, year=YEAR - 2), paid=day(1, 5, year=YEAR - 1))
    assert rollup_by_committee(year=YEAR) == {}


def test_an_agreement_starting_next_year_is_not_there(committee, park):
    agreement(committee, park, year=YEAR + 1)
    assert rollup_by_committee(year=YEAR) == {}


def test_in_kind_is_apart_from_the_money(committee, park):
    one = agreement(committee, park, amount=12_000, cost=D("32000"))
    ProvisionFactory(agreement=one, value_per_year=2_000)
    ProvisionFactory(agreement=one, value_per_year=500)
    pay(one, 6_000, due=day(6, 1), paid=day(6, 2))
    figures = rollup_by_committee(year=YEAR)[committee.pk]
    assert figures.in_kind == D("2500")
    assert figures.compensation_paid == D("6000")  # the provisions are not paid out
    assert figures.municipal_cost == D("32000")
    assert figures.net_effect == D("32000") - D("6000") - D("2500")  # the plan's 6 000 planned


def test_in_kind_and_the_avoided_cost_are_the_years_part_of_a_period_over_two_years(
    committee, park
):
    one = agreement(
        committee,
        park,
        amount=0,
        cost=D("36500"),
        starts_on=day(7, 1),
        ends_on=day(6, 30, year=2027),
    )
    ProvisionFactory(agreement=one, value_per_year=3_650)
    figures = rollup_by_committee(year=YEAR)[committee.pk]
    # 1 July – 31 December: 184 of 365 days.
    assert (figures.in_kind, figures.municipal_cost) == (D("1840.00"), D("18400.00"))
    later = rollup_by_committee(year=YEAR + 1)[committee.pk]
    assert (later.in_kind, later.municipal_cost) == (D("1810.00"), D("18100.00"))


def test_a_cancelled_instalment_is_not_planned_compensation_in_the_net_effect(committee, park):
    one = agreement(committee, park, amount=12_000, cost=D("32000"))
    pay(one, 6_000, due=day(3, 1), paid=day(3, 2))
    pay(one, 6_000, due=day(9, 1), cancelled=True)
    figures = rollup_by_committee(year=YEAR)[committee.pk]
    assert figures.compensation_planned == D("6000")
    assert figures.net_effect == D("26000")


def test_no_cost_estimate_gives_no_avoided_cost_or_net_effect(committee, park):
    agreement(committee, park, cost=None)
    figures = rollup_by_committee(year=YEAR)[committee.pk]
    assert (figures.municipal_cost, figures.net_effect, figures.without_estimate) == (None, None, 1)


# --- hours: approved report lines, by the year they were done ------------------------------------


def test_report_hours_are_the_approved_lines_of_the_year(committee, park):
    one = agreement(committee, park)
    report(one, "12.5")
    report(one, "3", done=day(12, 31, year=YEAR - 1))  # last year's work
    report(one, "40", state="submitted")  # awaiting approval: apart
    report(one, "99", state="returned")
    figures = rollup_by_committee(year=YEAR)[committee.pk]
    assert figures.hours_from_reports == D("12.5")
    assert figures.hours_awaiting == D("40")


def test_linked_dugnads_count_once_and_only_when_reported(committee, park):
    first, second = agreement(committee, park), agreement(committee, park)
    reported = DugnadFactory(
        committee=committee,
        state="reported",
        starts_at=datetime.datetime(YEAR, 5, 2, 10, tzinfo=datetime.UTC),
        hours_total=D("30"),
    )
    held = DugnadFactory(
        committee=committee,
        state="completed",
        starts_at=datetime.datetime(YEAR, 6, 2, 10, tzinfo=datetime.UTC),
        hours_total=D("99"),
    )
    first.dugnads.add(reported, held)
    second.dugnads.add(reported)
    figures = rollup_by_committee(year=YEAR)[committee.pk]
    assert figures.hours_from_dugnads == D("30") and figures.hours_from_reports == 0
