"""The payment plan generated from the tasks' pricing (``services.payments``): exact decimal
arithmetic, the remainder øre on the last instalment, proration over a period that spans two
years, reimbursed items left out, unpaid instalments replaced — and a change of terms like any
other (a signature on the old terms is voided)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.models import AgreementEvent, Payment, PaymentSource, Signature, State
from agreements.services.payments import payment_plan_generate, plan_lines, split
from agreements.terms import terms_hash
from tests.factories import PaymentFactory, TaskFactory

from .payment_helpers import agreement_for

pytestmark = pytest.mark.django_db

D = Decimal


def amounts(agreement) -> list[Decimal]:
    return list(
        Payment.objects.filter(agreement=agreement, source=PaymentSource.PLAN)
        .order_by("due_on")
        .values_list("amount", flat=True)
    )


def test_split_puts_the_remainder_ore_on_the_last():
    assert split(D("25000"), 3) == [D("8333.33"), D("8333.33"), D("8333.34")]
    assert sum(split(D("0.05"), 3)) == D("0.05")
    assert split(D("12000"), 4) == [D("3000.00")] * 4


def test_generated_plan_sums_exactly_to_the_yearly_compensation(
    committee, department, case_handler
):
    agreement = agreement_for(committee, department, state="draft", amount=25_000)
    payment_plan_generate(agreement=agreement, actor=case_handler, instalments_per_year=3)
    assert amounts(agreement) == [D("8333.33"), D("8333.33"), D("8333.34")]
    assert sum(amounts(agreement)) == D("25000.00")
    dues = list(Payment.objects.filter(agreement=agreement).values_list("due_on", flat=True))
    # Spread over the year, the last on its last day.
    assert dues == [
        datetime.date(2027, 5, 1),
        datetime.date(2027, 8, 31),
        datetime.date(2027, 12, 31),
    ]


def test_per_occasion_counts_and_reimbursed_is_left_out(committee, department, case_handler):
    agreement = agreement_for(committee, department, state="draft", amount=6_000)
    TaskFactory(agreement=agreement, pricing="per_occasion", amount=500, occasions_per_year=24)
    TaskFactory(agreement=agreement, pricing="reimbursed", amount=5_000)
    payment_plan_generate(agreement=agreement, actor=case_handler, instalments_per_year=2)
    assert amounts(agreement) == [D("9000.00"), D("9000.00")]  # 6 000 + 500 × 24, not the 5 000


def test_a_period_spanning_two_years_is_prorated_by_days(committee, department, case_handler):
    agreement = agreement_for(
        committee,
        department,
        state="draft",
        amount=25_000,
        starts_on=datetime.date(2027, 7, 1),
        ends_on=datetime.date(2028, 6, 30),
    )
    payment_plan_generate(agreement=agreement, actor=case_handler, instalments_per_year=2)
    # 2027: 184 of 365 days → 12 602.74; 2028 (a leap year): 182 of 366 days → 12 431.69.
    assert amounts(agreement) == [D("6301.37"), D("6301.37"), D("6215.84"), D("6215.85")]
    rows = list(Payment.objects.filter(agreement=agreement).values_list("due_on", "amount"))
    by_year = {}
    for due, amount in rows:
        by_year[due.year] = by_year.get(due.year, D(0)) + amount
    assert by_year == {2027: D("12602.74"), 2028: D("12431.69")}
    assert max(due for due, _ in rows) == datetime.date(2028, 6, 30)
    assert min(due for due, _ in rows) > datetime.date(2027, 7, 1)


def test_plan_lines_cover_every_year_part():
    lines = plan_lines(
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2029, 12, 31),
        yearly=D("1000"),
        per_year=1,
    )
    assert [(line["due_on"], line["amount"]) for line in lines] == [
        (datetime.date(2027, 12, 31), D("1000.00")),
        (datetime.date(2028, 12, 31), D("1000.00")),
        (datetime.date(2029, 12, 31), D("1000.00")),
    ]


def test_unpaid_plan_instalments_are_replaced_paid_ones_kept(committee, department, case_handler):
    agreement = agreement_for(committee, department, state="draft", amount=12_000)
    old = PaymentFactory(agreement=agreement, due_on=datetime.date(2027, 3, 1))
    paid = PaymentFactory(
        agreement=agreement, due_on=datetime.date(2027, 2, 1), paid_on=datetime.date(2027, 2, 1)
    )
    report = PaymentFactory(agreement=agreement, source=PaymentSource.REPORT)
    payment_plan_generate(agreement=agreement, actor=case_handler, instalments_per_year=2)
    left = set(Payment.objects.filter(agreement=agreement).values_list("pk", flat=True))
    assert old.pk not in left and {paid.pk, report.pk} <= left
    assert old.history.filter(history_type="-").exists()  # the deleted line's trace


def test_a_change_of_terms_recorded_and_a_signature_on_the_old_terms_voided(
    committee, department, case_handler, leader
):
    agreement = agreement_for(committee, department, state=State.SIGNED_COMMITTEE)
    Signature.objects.create(
        agreement=agreement,
        party="committee",
        signer=leader,
        signer_name=leader.full_name,
        signed_at=timezone.now(),
        terms_sha256=terms_hash(agreement),
    )
    payment_plan_generate(agreement=agreement, actor=case_handler)
    agreement.refresh_from_db()
    assert agreement.state == State.SENT
    assert Signature.objects.get(agreement=agreement).voided_at is not None
    assert agreement.events.filter(kind=AgreementEvent.Kind.TERMS_CHANGED).count() == 1


def test_refused_once_signed_by_both(committee, department, case_handler):
    agreement = agreement_for(committee, department, state="active")
    with pytest.raises(ValidationError):
        payment_plan_generate(agreement=agreement, actor=case_handler)
    assert not Payment.objects.filter(agreement=agreement).exists()


@pytest.mark.parametrize("actor", ["leader", "staff_without_group"])
def test_refused_to_others_than_staff(committee, department, user_in_role, actor):
    agreement = agreement_for(committee, department, state="draft")
    with pytest.raises(ValidationError):
        payment_plan_generate(agreement=agreement, actor=user_in_role(actor))
    assert not Payment.objects.filter(agreement=agreement).exists()


@pytest.mark.parametrize("per_year", [0, 13, "2"])
def test_a_bad_number_of_instalments_is_refused(committee, department, case_handler, per_year):
    agreement = agreement_for(committee, department, state="draft")
    with pytest.raises(ValidationError):
        payment_plan_generate(
            agreement=agreement, actor=case_handler, instalments_per_year=per_year
        )


def test_nothing_to_plan_when_everything_is_reimbursed(committee, department, case_handler):
    agreement = agreement_for(committee, department, state="draft")
    agreement.tasks.update(pricing="reimbursed")
    with pytest.raises(ValidationError):
        payment_plan_generate(agreement=agreement, actor=case_handler)
