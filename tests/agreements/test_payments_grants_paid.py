"""Marking a grant's payment paid (``agreements.services.payments.payment_mark_paid``, the one
service for agreements and grants): the same rules — staff who keep the payments, a voucher,
not in the future, once, not cancelled — without the agreement's (signed, its period); the
grants app, the payment's owner, writes "payment made" on the application's timeline and tells
the payee's board once, in the same transaction."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from agreements import payment_owners
from agreements.models import AgreementEvent, Payment, PaymentSource
from agreements.services.payments import payment_mark_paid
from grants import notifications as grant_kinds
from grants.models import ApplicationEvent
from notifications.models import Notification

from .payment_helpers import at, count, told
from .test_payments_grants_helpers import (
    allocation_payment,
    application_payment,
    grant_payment,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 6, 15)
PAID = grant_kinds.GRANT_PAID


def mark(payment, actor, *, paid_on=TODAY, voucher="BILAG-2027-0042"):
    with at(TODAY), translation.override("en"):
        return payment_mark_paid(payment=payment, actor=actor, paid_on=paid_on, voucher=voucher)


@pytest.fixture
def payment(committee, department):
    return application_payment(committee, department)


def test_staff_mark_it_paid_the_timeline_says_so_and_the_board_is_told(
    payment, case_handler, leader, board_member
):
    paid = mark(payment, case_handler)
    paid.refresh_from_db()
    assert (paid.paid_on, paid.voucher, paid.paid_by) == (TODAY, "BILAG-2027-0042", case_handler)
    application = payment.application
    event = ApplicationEvent.objects.get(application=application, kind="payment_paid")
    assert event.actor == case_handler and event.actor_party == "municipality"
    assert "BILAG" not in event.message  # the voucher: the parties' own
    assert told(PAID) == {leader.email, board_member.email}
    note = Notification.objects.filter(kind=PAID).first()
    assert note.dedupe_key == f"grant-payment:{payment.pk}:paid"
    assert note.target_url == application.get_absolute_url()
    assert not AgreementEvent.objects.exists()


def test_the_history_names_who_marked_it(payment, case_handler):
    mark(payment, case_handler)
    latest = payment.history.latest()
    assert (latest.paid_on, latest.history_user) == (TODAY, case_handler)


def test_twice_is_refused_and_the_board_is_told_once(payment, case_handler, leader, board_member):
    mark(payment, case_handler)
    with pytest.raises(ValidationError):
        mark(payment, case_handler, voucher="BILAG-2")
    assert count(PAID) == 2  # the leader and the board member, once each
    assert ApplicationEvent.objects.filter(kind="payment_paid").count() == 1
    assert Payment.objects.get(pk=payment.pk).voucher == "BILAG-2027-0042"


def test_an_allocations_payment_has_no_application_and_links_to_the_scheme(
    committee, department, case_handler, leader
):
    payment = allocation_payment(committee, department)
    mark(payment, case_handler)
    assert not ApplicationEvent.objects.filter(kind="payment_paid").exists()
    note = Notification.objects.get(kind=PAID, recipient=leader)
    assert note.target_url == payment.allocation.scheme.get_absolute_url()


def test_a_payment_of_nothing_shown_is_paid_and_the_board_told(
    committee, department, case_handler, leader
):
    payment = grant_payment(committee, department)
    mark(payment, case_handler)
    assert Payment.objects.get(pk=payment.pk).is_paid
    assert Notification.objects.get(kind=PAID, recipient=leader).target_url == ""


@pytest.mark.parametrize(
    "role", ["anonymous", "resident", "leader", "board_member", "staff_without_group"]
)
def test_only_staff_who_keep_the_payments(payment, user_in_role, role):
    with pytest.raises(ValidationError):
        mark(payment, user_in_role(role))
    assert Payment.objects.get(pk=payment.pk).paid_on is None
    assert count(PAID) == 0


def test_a_case_handler_without_change_payment_is_refused(payment, case_handler, leader):
    """Staff status, a department and seeing the payments are not enough: the right to change
    them is."""
    from django.contrib.auth.models import Permission

    from core.staff import CASE_HANDLER, group_name

    case_handler.groups.remove(case_handler.groups.get(name=group_name(CASE_HANDLER)))
    case_handler.user_permissions.add(Permission.objects.get(codename="view_payment"))
    with pytest.raises(ValidationError) as error:
        mark(payment, type(case_handler).objects.get(pk=case_handler.pk))
    assert "Only municipal staff who keep the payments" in " ".join(error.value.messages)
    assert Payment.objects.get(pk=payment.pk).paid_on is None
    assert count(PAID) == 0


@pytest.mark.parametrize("voucher", ["", "   ", "BILAG\x00-1", "x" * 61])
def test_a_voucher_is_required_and_clean(payment, case_handler, voucher):
    with pytest.raises(ValidationError) as error:
        mark(payment, case_handler, voucher=voucher)
    assert "voucher" in error.value.message_dict
    assert Payment.objects.get(pk=payment.pk).paid_on is None
    assert count(PAID) == 0


def test_not_in_the_future(payment, case_handler):
    with pytest.raises(ValidationError) as error:
        mark(payment, case_handler, paid_on=TODAY + datetime.timedelta(days=1))
    assert "paid_on" in error.value.message_dict


def test_not_more_than_a_year_before_it_was_due(payment, case_handler):
    a_year_before = payment.due_on - datetime.timedelta(days=365)
    with pytest.raises(ValidationError) as error:
        mark(payment, case_handler, paid_on=a_year_before - datetime.timedelta(days=1))
    assert "paid_on" in error.value.message_dict
    mark(payment, case_handler, paid_on=a_year_before)
    assert Payment.objects.get(pk=payment.pk).paid_on == a_year_before


def test_a_cancelled_payment_is_refused(payment, case_handler):
    Payment.objects.filter(pk=payment.pk).update(cancelled=True)
    with pytest.raises(ValidationError):
        mark(payment, case_handler)
    assert count(PAID) == 0


def test_no_agreement_no_agreements_rules(committee, department, case_handler):
    """Due next year, paid in advance today: a grant has no state or period to wait for."""
    payment = grant_payment(committee, department, due_on=datetime.date(2028, 3, 1))
    mark(payment, case_handler)
    assert Payment.objects.get(pk=payment.pk).paid_on == TODAY


def test_the_owners_failure_undoes_the_payment(payment, case_handler, monkeypatch):
    """The owner writes its line in the service's transaction: if it fails, nothing is paid."""
    owner = payment_owners.owner_of(payment)

    def broken(*, payment, actor):
        raise ValidationError("broken owner")

    monkeypatch.setitem(
        payment_owners._owners,
        PaymentSource.GRANT,
        payment_owners.PaymentOwner(
            target=owner.target, paid=broken, label=owner.label, related=owner.related
        ),
    )
    with pytest.raises(ValidationError):
        mark(payment, case_handler)
    assert Payment.objects.get(pk=payment.pk).paid_on is None
