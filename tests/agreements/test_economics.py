"""The economic picture (agreements.economics): exact decimals, where it rounds, the pricing
kinds, a period over two years, the hourly value per year, the worked example of the docs."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from agreements import economics
from agreements.economics import agreement_picture
from agreements.models import ReportLine
from dugnads.models import HourlyRate
from tests.factories import (
    AgreementFactory,
    DugnadFactory,
    PaymentFactory,
    ProvisionFactory,
    ReportDutyFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
D = Decimal


def year_agreement(year=2026, **extra):
    """An active agreement for the whole calendar ``year`` with no lines of its own."""
    defaults = {
        "starts_on": datetime.date(year, 1, 1),
        "ends_on": datetime.date(year, 12, 31),
        "municipal_cost_per_year": None,
        "own_contribution_per_year": 0,
    }
    return AgreementFactory(**(defaults | extra))


def report(agreement, task, *, state, lines):
    duty = ReportDutyFactory(agreement=agreement, state=state, due_on=lines[0][0])
    for done_on, hours in lines:
        ReportLine.objects.create(duty=duty, task=task, done_on=done_on, hours=D(hours))
    return duty


def only_year(picture):
    assert len(picture.years) == 1
    return picture.years[0]


# --- the worked example (docs/agreements.md) ---------------------------------------------------


def test_the_worked_example_leaf_blowing_in_bokeskogen():
    """12 000 kr, 80 hours, blowers worth 2 000 kr, own cost 32 000 → net 18 000; the 80 hours at
    350 kr are worth 28 000 kr."""
    HourlyRate.objects.update_or_create(
        year=2026, defaults={"nok_per_hour": D("350"), "source": "Kulturminnefondet"}
    )
    agreement = year_agreement(
        municipal_cost_per_year=D("32000"), municipal_cost_basis="80 t × 400 kr"
    )
    task = TaskFactory(
        agreement=agreement, kind="leaf_blowing", pricing="fixed", amount=12_000, hours_per_year=80
    )
    ProvisionFactory(agreement=agreement, description="Løvblåsere", value_per_year=2_000)
    report(
        agreement,
        task,
        state="approved",
        lines=[(datetime.date(2026, 4, 20), "40"), (datetime.date(2026, 10, 26), "40")],
    )
    picture = agreement_picture(agreement=agreement)
    y = only_year(picture)
    assert y.compensation_planned == D("12000")
    assert y.in_kind == D("2000")
    assert y.municipal_cost == D("32000")
    assert y.net_effect == D("18000")
    assert y.hours_planned == D("80") and y.hours_reported == D("80")
    assert y.value == D("28000")
    assert picture.totals.net_effect == D("18000") and picture.totals.value == D("28000")
    assert picture.municipal_cost_basis == "80 t × 400 kr"


# --- pricing -----------------------------------------------------------------------------------


def test_per_occasion_is_the_price_times_the_occasions():
    agreement = year_agreement()
    TaskFactory(
        agreement=agreement, pricing="per_occasion", amount=D("312.50"), occasions_per_year=18
    )
    TaskFactory(agreement=agreement, pricing="fixed", amount=D("6000"))
    y = only_year(agreement_picture(agreement=agreement))
    assert y.compensation_planned == D("11625.00")  # 312.50 × 18 + 6 000, exact
    assert y.compensation_estimated and y.compensation_ceiling == 0


def test_a_reimbursed_task_counts_its_ceiling_shown_up_to():
    agreement = year_agreement()
    TaskFactory(agreement=agreement, pricing="reimbursed", amount=D("5000"))
    TaskFactory(agreement=agreement, pricing="fixed", amount=D("6000"))
    y = only_year(agreement_picture(agreement=agreement))
    assert y.compensation_planned == D("11000")
    assert y.compensation_ceiling == D("5000")


def test_a_payment_plan_replaces_the_estimate_from_the_tasks():
    agreement = year_agreement()
    TaskFactory(agreement=agreement, pricing="fixed", amount=D("6000"))
    PaymentFactory(agreement=agreement, due_on=datetime.date(2026, 6, 1), amount=D("2500.10"))
    PaymentFactory(
        agreement=agreement,
        due_on=datetime.date(2026, 11, 1),
        amount=D("2500"),
        paid_on=datetime.date(2026, 11, 2),
    )
    PaymentFactory(agreement=agreement, due_on=datetime.date(2026, 12, 1), amount=9, cancelled=True)
    duty = ReportDutyFactory(agreement=agreement, state="approved")
    PaymentFactory(
        agreement=agreement,
        source="report",
        duty=duty,
        due_on=datetime.date(2026, 12, 15),
        amount=D("799.95"),
    )
    y = only_year(agreement_picture(agreement=agreement))
    assert y.compensation_planned == D("5800.05")  # plan (not cancelled) + the report's
    assert not y.compensation_estimated and y.compensation_ceiling == 0
    assert y.compensation_paid == D("2500")


def test_a_last_instalment_paid_in_january_gets_its_own_year():
    agreement = year_agreement()
    PaymentFactory(
        agreement=agreement,
        due_on=datetime.date(2027, 1, 15),
        amount=D("3000"),
        paid_on=datetime.date(2027, 1, 20),
    )
    picture = agreement_picture(agreement=agreement)
    assert [y.year for y in picture.years] == [2026, 2027]
    later = picture.years[1]
    assert later.days_covered == 0 and later.compensation_planned == D("3000")
    assert later.compensation_paid == D("3000") and later.in_kind == 0


# --- prorating and rounding --------------------------------------------------------------------


def test_a_period_over_two_years_is_split_by_days():
    """1 Jul 2026 – 30 Jun 2027: 184 days of 2026, 181 of 2027 (each of 365)."""
    agreement = year_agreement(
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2027, 6, 30),
        municipal_cost_per_year=D("32000"),
        own_contribution_per_year=D("1000"),
    )
    TaskFactory(agreement=agreement, pricing="fixed", amount=12_000, hours_per_year=80)
    ProvisionFactory(agreement=agreement, value_per_year=2_000)
    first, second = agreement_picture(agreement=agreement).years
    assert (first.year, first.days_covered, first.days_in_year) == (2026, 184, 365)
    assert (second.year, second.days_covered) == (2027, 181)
    # 12 000 × 184 / 365 = 6 049.3150… → 6 049.32; 12 000 × 181 / 365 = 5 950.6849… → 5 950.68
    assert first.compensation_planned == D("6049.32")
    assert second.compensation_planned == D("5950.68")
    # 2 000 × 184 / 365 = 1 008.2191… ; 2 000 × 181 / 365 = 991.7808…
    assert (first.in_kind, second.in_kind) == (D("1008.22"), D("991.78"))
    assert (first.own_contribution, second.own_contribution) == (D("504.11"), D("495.89"))
    assert (first.municipal_cost, second.municipal_cost) == (D("16131.51"), D("15868.49"))
    assert first.net_effect == D("16131.51") - D("6049.32") - D("1008.22")
    # 80 × 184 / 365 = 40.33 → 40.3 hours; 80 × 181 / 365 = 39.67 → 39.7
    assert (first.hours_planned, second.hours_planned) == (D("40.3"), D("39.7"))


def test_rounding_is_half_up_to_whole_ore():
    assert economics.prorate(D("0.02"), 1, 4) == D("0.01")  # 0.005 → 0.01 (not 0.00)
    assert economics.prorate(D("0.06"), 1, 4) == D("0.02")  # 0.015 → 0.02
    assert economics.prorate(D("100"), 1, 3) == D("33.33")
    assert economics.prorate(D("0.3"), 1, 2, quantum=D("0.1")) == D("0.2")  # 0.15 → 0.2
    assert economics.prorate(D("123.45"), 366, 366) == D("123.45")  # a whole year: no division


def test_a_leap_year_has_366_days():
    agreement = year_agreement(
        starts_on=datetime.date(2028, 1, 1), ends_on=datetime.date(2028, 1, 31)
    )
    TaskFactory(agreement=agreement, pricing="fixed", amount=D("36600"))
    y = only_year(agreement_picture(agreement=agreement))
    assert (y.days_covered, y.days_in_year) == (31, 366)
    assert y.compensation_planned == D("3100.00")


def test_a_termination_ends_the_period_early():
    agreement = year_agreement(terminated_on=datetime.date(2026, 6, 30), state="terminated")
    TaskFactory(agreement=agreement, pricing="fixed", amount=D("36500"))
    y = only_year(agreement_picture(agreement=agreement))
    assert y.days_covered == 181 and y.compensation_planned == D("18100.00")


def test_money_is_decimal_all_the_way():
    agreement = year_agreement(municipal_cost_per_year=D("0.10"))
    TaskFactory(agreement=agreement, pricing="fixed", amount=D("0.07"))
    ProvisionFactory(agreement=agreement, value_per_year=D("0.02"))
    y = only_year(agreement_picture(agreement=agreement))
    assert y.net_effect == D("0.01")  # 0.10 − 0.07 − 0.02; a float would give 0.010000000000000009
    assert isinstance(y.net_effect, Decimal)


def test_no_cost_estimate_means_no_net_effect():
    agreement = year_agreement(municipal_cost_per_year=None)
    TaskFactory(agreement=agreement)
    picture = agreement_picture(agreement=agreement)
    assert only_year(picture).net_effect is None and picture.totals.net_effect is None


# --- hours and their value ---------------------------------------------------------------------


def test_hours_reported_count_approved_lines_and_reported_dugnads_by_year():
    agreement = year_agreement(
        starts_on=datetime.date(2026, 7, 1), ends_on=datetime.date(2027, 6, 30)
    )
    task = TaskFactory(agreement=agreement, hours_per_year=0)
    report(
        agreement,
        task,
        state="approved",
        lines=[(datetime.date(2026, 12, 31), "10.5"), (datetime.date(2027, 1, 1), "2")],
    )
    report(agreement, task, state="submitted", lines=[(datetime.date(2027, 3, 1), "4")])
    report(agreement, task, state="returned", lines=[(datetime.date(2027, 3, 2), "99")])
    reported = DugnadFactory(
        state="reported",
        starts_at=datetime.datetime(2027, 1, 1, 0, 30, tzinfo=OSLO),  # 31 Dec in UTC
        hours_total=D("20"),
    )
    held = DugnadFactory(
        state="completed", starts_at=datetime.datetime(2026, 9, 1, 10, tzinfo=OSLO)
    )
    agreement.dugnads.add(reported, held)
    first, second = agreement_picture(agreement=agreement).years
    assert (first.hours_from_reports, first.hours_from_dugnads) == (D("10.5"), 0)
    assert (second.hours_from_reports, second.hours_from_dugnads) == (D("2"), D("20"))
    assert second.hours_reported == D("22") and second.hours_awaiting == D("4")


def test_hours_are_valued_at_each_years_own_rate():
    HourlyRate.objects.update_or_create(
        year=2026, defaults={"nok_per_hour": D("350"), "source": "A"}
    )
    HourlyRate.objects.update_or_create(
        year=2027, defaults={"nok_per_hour": D("412.50"), "source": "B"}
    )
    agreement = year_agreement(
        starts_on=datetime.date(2026, 7, 1), ends_on=datetime.date(2027, 6, 30)
    )
    task = TaskFactory(agreement=agreement)
    report(
        agreement,
        task,
        state="approved",
        lines=[(datetime.date(2026, 9, 1), "10"), (datetime.date(2027, 5, 1), "10.1")],
    )
    picture = agreement_picture(agreement=agreement)
    first, second = picture.years
    assert first.value == D("3500") and first.rate.source == "A"
    assert second.value == D("4166.250")  # 10.1 × 412.50, exact
    assert picture.totals.value == D("7666.250")


def test_a_year_without_an_hourly_value_shows_hours_only():
    HourlyRate.objects.filter(year=2026).delete()
    agreement = year_agreement()
    task = TaskFactory(agreement=agreement)
    report(agreement, task, state="approved", lines=[(datetime.date(2026, 9, 1), "12")])
    picture = agreement_picture(agreement=agreement)
    y = only_year(picture)
    assert y.hours_reported == D("12") and not y.value_is_set and y.value is None
    assert picture.totals.years_without_rate == (2026,) and picture.rates_missing


# --- the chart's data ----------------------------------------------------------------------------


def test_the_chart_data_has_the_tables_figures():
    agreement = year_agreement(municipal_cost_per_year=D("32000"))
    TaskFactory(agreement=agreement, amount=12_000, hours_per_year=80)
    data = agreement_picture(agreement=agreement).chart_data()
    assert data["years"] == ["2026"]
    assert data["money"]["compensation"] == [12000.0]
    assert data["money"]["municipal_cost"] == [32000.0]
    assert data["hours"] == {"planned": [80.0], "reported": [0.0]}
