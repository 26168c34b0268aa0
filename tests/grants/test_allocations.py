"""The formula allocations (grants.services.allocations): Larvik 2023's worked example, the
registration and activity gates, the annual-report hold, age ranges and reference dates, the pot
check under both rules with exact øre, approval (payments, notifications, once) and release."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from committees.models import CommitteeStatus
from grants.models import Allocation
from grants.services.allocations import (
    allocation_release,
    allocations_approve,
    allocations_compute,
    pot_check,
    scaled_to_pot,
)
from tests.factories import (
    AnnualReportFactory,
    CommitteeFactory,
    GrantSchemeFactory,
    MembershipFactory,
    PopulationFigureFactory,
)

pytestmark = pytest.mark.django_db

REGISTERED = datetime.date(2022, 11, 1)

# Larvik's seven areas in 2023 (residents aged 0–19 illustrative, as in the demo data's
# spirit): 7 × 80 000 + 87 × 4 910 = 987 170 kr, within the 1 000 000 kr pot.
LARVIK_2023 = {
    "Stavern": 1_100,
    "Kvelde": 450,
    "Helgeroa/Nevlunghavn": 250,
    "Tjøllingvollen": 650,
    "Østre Halsen": 900,
    "Larvik sentrum": 1_300,
    "Svarstad": 260,
}


def registered(**fields):
    return CommitteeFactory(registered_on=REGISTERED, **fields)


def with_figure(committee, residents_in_range, **fields):
    PopulationFigureFactory(
        committee=committee,
        residents_in_range=residents_in_range,
        residents=max(residents_in_range, 4_000),
        **fields,
    )
    return committee


def by_name(scheme) -> dict[str, Allocation]:
    return {
        a.committee.name: a
        for a in Allocation.objects.filter(scheme=scheme).select_related("committee", "payment")
    }


@pytest.fixture
def larvik(formula_scheme):
    for number, (name, residents) in enumerate(LARVIK_2023.items()):
        with_figure(registered(name=name, slug=f"area-{number}"), residents)
    return formula_scheme


def test_the_larvik_2023_worked_example(larvik, case_handler):
    allocations_compute(scheme=larvik, actor=case_handler)
    rows = by_name(larvik)
    assert len(rows) == 7
    svarstad = rows["Svarstad"]
    assert svarstad.residents_in_range == 260
    assert svarstad.base_amount == Decimal("80000.00")
    assert svarstad.per_resident_amount == Decimal("22620.00")  # 87 × 260
    assert svarstad.amount == svarstad.formula_amount == Decimal("102620.00")
    assert rows["Stavern"].amount == Decimal("175700.00")  # 80 000 + 87 × 1 100
    assert all(a.state == "proposed" and a.reasons == [] for a in rows.values())
    check = pot_check(larvik)
    assert check.total == Decimal("987170.00") <= check.pot == Decimal(1_000_000)
    assert not check.over and not check.scaled and check.left == Decimal("12830.00")
    assert check.count == 7


def test_an_unregistered_committee_is_reserved_with_its_sum_and_the_reason(
    formula_scheme, case_handler
):
    with_figure(CommitteeFactory(name="Langestrand", organisation_number="", status="forming"), 350)
    with_figure(CommitteeFactory(name="Kvelde", registered_on=None), 450)
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    rows = by_name(formula_scheme)
    assert rows["Langestrand"].state == "reserved"
    assert rows["Langestrand"].reasons == [{"code": "no_organisation_number", "params": {}}]
    assert rows["Langestrand"].amount == Decimal(80_000 + 87 * 350)
    assert rows["Kvelde"].state == "reserved"
    assert rows["Kvelde"].reasons == [{"code": "no_registration_date", "params": {}}]
    with translation.override("en"):
        assert rows["Kvelde"].reason_text == (
            "Not registered in Frivillighetsregisteret (no registration date)"
        )
    # Reserved money counts against the pot: it is kept for the committee.
    assert pot_check(formula_scheme).total == Decimal(2 * 80_000 + 87 * 800)


def test_a_scheme_without_the_registration_rule_pays_an_unregistered_committee(
    department, case_handler
):
    scheme = GrantSchemeFactory(department=department, requires_registration=False)
    with_figure(CommitteeFactory(organisation_number="", status="forming"), 10)
    allocations_compute(scheme=scheme, actor=case_handler)
    assert Allocation.objects.get(scheme=scheme).state == "proposed"


def test_requires_active(department, case_handler):
    scheme = GrantSchemeFactory(department=department, requires_active=True)
    dormant = with_figure(registered(name="Dvale", status=CommitteeStatus.DORMANT), 100)
    active = with_figure(registered(name="Aktiv", status=CommitteeStatus.ACTIVE), 100)
    allocations_compute(scheme=scheme, actor=case_handler)
    rows = by_name(scheme)
    assert rows[active.name].state == "proposed"
    assert rows[dormant.name].state == "reserved"
    # The status value, worded by CommitteeStatus's label when shown.
    assert rows[dormant.name].reasons == [{"code": "not_active", "params": {"status": "dormant"}}]
    with translation.override("en"):
        assert rows[dormant.name].reason_text == "Not active (status: Dormant)"


def test_last_years_annual_report_holds_the_allocation(department, case_handler):
    scheme = GrantSchemeFactory(department=department, year=2024, requires_annual_report=True)
    late = with_figure(registered(name="Sen"), 100, reference_date=datetime.date(2024, 1, 1))
    done = with_figure(registered(name="Ferdig"), 100, reference_date=datetime.date(2024, 1, 1))
    AnnualReportFactory(committee=late, year=2023, state="submitted")
    AnnualReportFactory(committee=done, year=2023, state="approved")
    AnnualReportFactory(committee=late, year=2022, state="approved")  # not last year's
    allocations_compute(scheme=scheme, actor=case_handler)
    rows = by_name(scheme)
    assert rows["Ferdig"].state == "proposed"
    assert rows["Sen"].state == "held"
    assert rows["Sen"].reasons == [{"code": "annual_report_not_approved", "params": {"year": 2023}}]
    assert rows["Sen"].amount == Decimal(80_000 + 8_700)


def test_no_figures_reserves_the_base_amount_with_the_reason(formula_scheme, case_handler):
    registered(name="Hvarnes")
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    row = by_name(formula_scheme)["Hvarnes"]
    assert row.state == "reserved"
    assert row.reasons == [{"code": "no_figures", "params": {"age_from": 0, "age_to": 19}}]
    assert row.figure is None and row.residents_in_range == 0
    assert row.amount == Decimal(80_000)


def test_reasons_add_up(formula_scheme, case_handler):
    CommitteeFactory(name="Verningen", organisation_number="", status="forming")
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    row = by_name(formula_scheme)["Verningen"]
    assert [r["code"] for r in row.reasons] == ["no_figures", "no_organisation_number"]
    with translation.override("en"):
        assert row.reason_text == (
            "No population figures for ages 0–19; "
            "Not registered in Frivillighetsregisteret (no organisation number)"
        )


def test_the_age_range_and_the_reference_date_choose_the_figure(department, case_handler):
    committee = registered(name="Stavern")
    scheme = GrantSchemeFactory(department=department, population_date=datetime.date(2023, 1, 1))
    with_figure(committee, 900, reference_date=datetime.date(2022, 1, 1))
    chosen = PopulationFigureFactory(
        committee=committee, reference_date=datetime.date(2023, 1, 1), residents_in_range=1_000
    )
    with_figure(committee, 1_500, reference_date=datetime.date(2024, 1, 1))  # after the date
    with_figure(committee, 700, reference_date=datetime.date(2023, 1, 1), age_from=6)  # 6–19
    allocations_compute(scheme=scheme, actor=case_handler)
    row = Allocation.objects.get(scheme=scheme)
    assert row.figure == chosen and row.residents_in_range == 1_000
    # Without a date the newest figure counts.
    scheme.population_date = None
    scheme.save()
    allocations_compute(scheme=scheme, actor=case_handler)
    assert Allocation.objects.get(scheme=scheme).residents_in_range == 1_500


def test_sub_committees_are_counted_in_their_committee(formula_scheme, case_handler):
    sentrum = with_figure(registered(name="Larvik sentrum"), 2_100)
    with_figure(registered(name="Nanset", parent=sentrum), 900)
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    assert list(by_name(formula_scheme)) == ["Larvik sentrum"]


def test_rounding_to_the_ore(department, case_handler):
    scheme = GrantSchemeFactory(
        department=department, base_amount=Decimal("1000.10"), rate_per_resident=Decimal("0.35")
    )
    with_figure(registered(), 3)
    allocations_compute(scheme=scheme, actor=case_handler)
    row = Allocation.objects.get(scheme=scheme)
    assert row.per_resident_amount == Decimal("1.05")
    assert row.amount == Decimal("1001.15")


def test_scaled_to_pot_is_exact_to_the_ore():
    assert scaled_to_pot([Decimal(1), Decimal(1), Decimal(1)], Decimal(2)) == [
        Decimal("0.67"),
        Decimal("0.67"),
        Decimal("0.66"),
    ]
    amounts = [Decimal("175700.00"), Decimal("119150.00"), Decimal("102620.00"), Decimal("80000")]
    scaled = scaled_to_pot(amounts, Decimal("333333.33"))
    assert sum(scaled) == Decimal("333333.33")
    total = sum(amounts)
    for amount, share in zip(amounts, scaled, strict=True):
        assert abs(share - amount * Decimal("333333.33") / total) < Decimal("0.01")
    # At or under the pot nothing changes.
    assert scaled_to_pot(amounts, Decimal(10**7)) == amounts


def test_pro_rata_scales_every_allocation_down_to_the_pot_exactly(larvik, case_handler):
    larvik.pot = Decimal("900000.01")
    larvik.save()
    registered(name="Hvarnes")  # reserved, no figures: scaled too (it counts against the pot)
    allocations_compute(scheme=larvik, actor=case_handler)
    rows = by_name(larvik)
    check = pot_check(larvik)
    assert check.total == Decimal("900000.01") and not check.over
    assert check.scaled and check.formula_total == Decimal("1067170.00")
    assert all(a.amount < a.formula_amount for a in rows.values())
    factor = Decimal("900000.01") / Decimal("1067170.00")
    for row in rows.values():
        assert abs(row.amount - row.formula_amount * factor) < Decimal("0.01")
    allocations_approve(scheme=larvik, actor=case_handler)


def test_hold_back_keeps_the_figures_and_refuses_the_approval(larvik, case_handler):
    larvik.pot = Decimal(900_000)
    larvik.over_pot_rule = "hold_back"
    larvik.save()
    allocations_compute(scheme=larvik, actor=case_handler)
    check = pot_check(larvik)
    assert check.over and check.total == Decimal("987170.00") and not check.scaled
    assert check.difference == check.above_by == Decimal("87170.00")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        allocations_approve(scheme=larvik, actor=case_handler)
    assert "NOK\xa087,170 above the pot of NOK\xa0900,000" in refused.value.messages[0]
    larvik.refresh_from_db()
    assert larvik.allocation_state == "draft"
    assert not Allocation.objects.filter(scheme=larvik, payment__isnull=False).exists()
    # Raise the pot, work it out again: now it can be approved.
    larvik.pot = Decimal(1_000_000)
    larvik.save()
    allocations_compute(scheme=larvik, actor=case_handler)
    allocations_approve(scheme=larvik, actor=case_handler)


def test_a_pro_rata_list_worked_out_before_the_pot_was_lowered_is_refused(larvik, case_handler):
    allocations_compute(scheme=larvik, actor=case_handler)
    larvik.pot = Decimal(500_000)
    larvik.save()
    with pytest.raises(ValidationError):
        allocations_approve(scheme=larvik, actor=case_handler)


@pytest.mark.parametrize("who", ["resident", "board_member", "staff_without_group"])
def test_only_case_handlers_work_out_and_approve(request, who, formula_scheme, case_handler):
    actor = request.getfixturevalue(who)
    with_figure(registered(name="Kvelde"), 450)
    with pytest.raises(ValidationError):
        allocations_compute(scheme=formula_scheme, actor=actor)
    assert not Allocation.objects.exists()
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    with pytest.raises(ValidationError):
        allocations_approve(scheme=formula_scheme, actor=actor)
    assert not Allocation.objects.filter(payment__isnull=False).exists()
    formula_scheme.refresh_from_db()
    assert formula_scheme.allocation_state == "draft"


def test_an_application_scheme_has_no_allocation_list(application_scheme, case_handler):
    with pytest.raises(ValidationError):
        allocations_compute(scheme=application_scheme, actor=case_handler)


def test_working_out_again_replaces_the_draft(larvik, case_handler):
    allocations_compute(scheme=larvik, actor=case_handler)
    svarstad = by_name(larvik)["Svarstad"]
    svarstad.figure.residents_in_range = 300
    svarstad.figure.save()
    allocations_compute(scheme=larvik, actor=case_handler)
    again = by_name(larvik)["Svarstad"]
    assert again.pk == svarstad.pk and again.amount == Decimal(80_000 + 87 * 300)
    assert Allocation.objects.filter(scheme=larvik).count() == 7


def test_approval_creates_the_payments_and_tells_the_boards(larvik, case_handler):
    board = MembershipFactory(committee=larvik_committee("Svarstad"), role="board_member").user
    unregistered = with_figure(
        CommitteeFactory(name="Langestrand", organisation_number="", status="forming"), 0
    )
    reserved_board = MembershipFactory(committee=unregistered, role="leader").user
    larvik.pot = Decimal(1_100_000)
    larvik.save()
    allocations_compute(scheme=larvik, actor=case_handler)
    allocations_approve(scheme=larvik, actor=case_handler)
    larvik.refresh_from_db()
    assert larvik.allocation_state == "approved" and larvik.approved_by == case_handler
    assert larvik.approved_at is not None
    rows = by_name(larvik)
    svarstad = rows["Svarstad"]
    assert svarstad.state == "payable"
    payment = svarstad.payment
    assert payment.amount == Decimal("102620.00")
    assert payment.committee.name == "Svarstad" and payment.department == larvik.department
    assert payment.source == "grant"
    assert payment.due_on == timezone.localdate() + datetime.timedelta(days=larvik.payment_days)
    assert payment.description == f"{larvik.name} 2023 – Svarstad"
    assert rows["Langestrand"].state == "reserved" and rows["Langestrand"].payment is None
    told = board.notifications.get(kind="grant.allocation_approved")
    assert told.target_url == larvik.get_absolute_url()
    assert reserved_board.notifications.filter(kind="grant.allocation_approved").exists()
    # Once: a second approval and a new computation are refused.
    with pytest.raises(ValidationError):
        allocations_approve(scheme=larvik, actor=case_handler)
    with pytest.raises(ValidationError):
        allocations_compute(scheme=larvik, actor=case_handler)


def larvik_committee(name):
    from committees.models import Committee

    return Committee.objects.get(name=name)


def test_approval_needs_a_worked_out_list(formula_scheme, case_handler):
    with pytest.raises(ValidationError):
        allocations_approve(scheme=formula_scheme, actor=case_handler)


def test_a_reserved_allocation_is_released_once_the_committee_is_registered(
    formula_scheme, case_handler
):
    committee = with_figure(CommitteeFactory(name="Kvelde", registered_on=None), 450)
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    allocation = Allocation.objects.get(scheme=formula_scheme)
    with pytest.raises(ValidationError):  # the list is not approved yet
        allocation_release(allocation=allocation, actor=case_handler)
    allocations_approve(scheme=formula_scheme, actor=case_handler)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        allocation_release(allocation=allocation, actor=case_handler)
    assert "no registration date" in refused.value.messages[0]
    committee.registered_on = datetime.date(2023, 6, 1)
    committee.save()
    released = allocation_release(allocation=allocation, actor=case_handler)
    assert released.state == "payable" and released.reasons == []
    assert released.payment.amount == Decimal(80_000 + 87 * 450)
    with pytest.raises(ValidationError):  # not twice
        allocation_release(allocation=allocation, actor=case_handler)


def test_release_is_for_staff(formula_scheme, case_handler, board_member, committee):
    with_figure(committee, 100)
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    allocations_approve(scheme=formula_scheme, actor=case_handler)
    with pytest.raises(ValidationError):
        allocation_release(
            allocation=Allocation.objects.get(scheme=formula_scheme), actor=board_member
        )


def test_without_figures_it_cannot_be_released(formula_scheme, case_handler):
    registered(name="Hvarnes")
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    allocations_approve(scheme=formula_scheme, actor=case_handler)
    with pytest.raises(ValidationError):
        allocation_release(
            allocation=Allocation.objects.get(scheme=formula_scheme), actor=case_handler
        )
