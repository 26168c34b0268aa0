"""Marking an instalment paid (``services.payments.payment_mark_paid``): staff who keep the
payments only, with a voucher, not in the future, once; a "payment made" line on the timeline,
the committee's board told once, the old values kept by the history — and not a change of
terms (no signature voided, the terms' hash unchanged)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements import notifications as kinds
from agreements.models import AgreementEvent, Payment
from agreements.services.payments import payment_mark_paid
from agreements.terms import terms_hash
from tests.factories import PaymentFactory

from .payment_helpers import agreement_for, at, count, told

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 6, 15)


@pytest.fixture
def payment(committee, department):
    agreement = agreement_for(committee, department)
    return PaymentFactory(agreement=agreement, due_on=datetime.date(2027, 6, 30), amount=12_500)


def mark(payment, actor, *, paid_on=TODAY, voucher="BILAG-2027-0042"):
    with at(TODAY):
        return payment_mark_paid(payment=payment, actor=actor, paid_on=paid_on, voucher=voucher)


def test_staff_mark_it_paid_the_board_is_told_and_the_timeline_says_so(
    payment, case_handler, leader, board_member
):
    before = terms_hash(payment.agreement)
    paid = mark(payment, case_handler)
    paid.refresh_from_db()
    assert (paid.paid_on, paid.voucher, paid.paid_by) == (TODAY, "BILAG-2027-0042", case_handler)
    event = AgreementEvent.objects.get(agreement=payment.agreement, kind="payment_paid")
    assert event.actor == case_handler and "BILAG" not in event.message  # the voucher: parties only
    assert told(kinds.PAYMENT_PAID) == {leader.email, board_member.email}
    assert terms_hash(payment.agreement) == before  # not a change of terms
    assert not payment.agreement.events.filter(kind=AgreementEvent.Kind.TERMS_CHANGED).exists()


def test_the_history_keeps_the_unpaid_row(payment, case_handler):
    mark(payment, case_handler)
    rows = list(payment.history.order_by("history_date").values_list("paid_on", "voucher"))
    assert rows[0] == (None, "") and rows[-1] == (TODAY, "BILAG-2027-0042")
    assert payment.history.latest().history_user == case_handler


@pytest.mark.parametrize(
    "role", ["anonymous", "resident", "leader", "board_member", "staff_without_group"]
)
def test_only_staff_who_keep_the_payments(payment, user_in_role, role):
    with pytest.raises(ValidationError):
        mark(payment, user_in_role(role))
    assert Payment.objects.get(pk=payment.pk).paid_on is None


@pytest.mark.parametrize("voucher", ["", "   ", "BILAG\x00-1", "x" * 61])
def test_a_voucher_is_required_and_clean(payment, case_handler, voucher):
    with pytest.raises(ValidationError) as error:
        mark(payment, case_handler, voucher=voucher)
    assert "voucher" in error.value.message_dict
    assert Payment.objects.get(pk=payment.pk).paid_on is None
    assert count(kinds.PAYMENT_PAID) == 0


def test_not_in_the_future(payment, case_handler):
    with pytest.raises(ValidationError) as error:
        mark(payment, case_handler, paid_on=TODAY + datetime.timedelta(days=1))
    assert "paid_on" in error.value.message_dict


def test_twice_is_refused_and_tells_nobody_again(payment, case_handler, leader, board_member):
    mark(payment, case_handler)
    with pytest.raises(ValidationError):
        mark(payment, case_handler, voucher="BILAG-ANNET")
    assert Payment.objects.get(pk=payment.pk).voucher == "BILAG-2027-0042"
    assert count(kinds.PAYMENT_PAID) == 2  # the leader and the board member, once each
    assert AgreementEvent.objects.filter(kind="payment_paid").count() == 1


def test_a_cancelled_instalment_cannot_be_paid(payment, case_handler):
    Payment.objects.filter(pk=payment.pk).update(cancelled=True)
    with pytest.raises(ValidationError):
        mark(payment, case_handler)


def test_not_before_both_parties_have_signed(committee, department, case_handler):
    draft = agreement_for(committee, department, state="draft")
    payment = PaymentFactory(agreement=draft)
    with pytest.raises(ValidationError):
        mark(payment, case_handler)
