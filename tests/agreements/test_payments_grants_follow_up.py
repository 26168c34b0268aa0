"""The municipality's deadline on a grant's payment, followed up exactly as an agreement's
instalment (``agreements.deadlines.payments_follow_up``): the paying department's staff are
reminded ``PAYMENT_REMINDER_DAYS_BEFORE`` (7) days before; once overdue they are told again with
every case handler, and the payee committee's board sees it too. Each once (dedupe keys
``grant-payment:<pk>:…``), linked to the grant's page, in words that name the grant."""

import datetime

import pytest

from agreements import notifications as kinds
from agreements.deadlines import payments_follow_up
from agreements.models import Payment
from notifications.models import Notification
from tests.factories import DepartmentFactory, DepartmentStaffFactory, PaymentFactory

from .payment_helpers import agreement_for, told
from .test_payments_grants_helpers import DUE, allocation_payment, application_payment

pytestmark = pytest.mark.django_db

SOON, PASSED = kinds.PAYMENT_DUE, kinds.PAYMENT_OVERDUE


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


@pytest.fixture
def payment(committee, department):
    return application_payment(committee, department)


@pytest.fixture
def other_case_handler(db):
    """A case handler of another department: not reminded, but escalated to."""
    from django.contrib.auth.models import Group

    from core.staff import CASE_HANDLER, group_name

    staff = DepartmentStaffFactory(user__email="kultur@larvik.kommune.no").user
    staff.groups.add(Group.objects.get(name=group_name(CASE_HANDLER)))
    return staff


def in_english(*users):
    for user in users:
        type(user).objects.filter(pk=user.pk).update(preferred_language="en")


def test_the_department_is_reminded_a_week_before_once(
    payment, case_handler, other_case_handler, leader
):
    in_english(case_handler)
    assert payments_follow_up(today=day(-8)) == {"soon": 0, "passed": 0}
    assert payments_follow_up(today=day(-7)) == {"soon": 1, "passed": 0}
    assert told(SOON) == {case_handler.email}  # the paying department's; the committee waits
    note = Notification.objects.get(kind=SOON)
    assert note.dedupe_key == f"grant-payment:{payment.pk}:payment:2027-06-30:soon"
    assert note.target_url == payment.application.get_absolute_url()
    assert note.subject == f"Payment due soon: grant {payment.reference}"
    assert "Svarstad" in note.body and "30" in note.body and "agreement" not in note.body
    for today in (day(-7), day(-3), DUE):
        assert payments_follow_up(today=today) == {"soon": 0, "passed": 0}


def test_overdue_to_the_department_every_case_handler_and_the_board_once(
    payment, case_handler, other_case_handler, leader, board_member
):
    in_english(leader)
    assert payments_follow_up(today=DUE) == {"soon": 1, "passed": 0}
    assert payments_follow_up(today=day(1)) == {"soon": 0, "passed": 4}
    assert told(PASSED) == {
        case_handler.email,
        other_case_handler.email,
        leader.email,
        board_member.email,
    }
    note = Notification.objects.get(kind=PASSED, recipient=leader)
    assert note.dedupe_key == f"grant-payment:{payment.pk}:payment:2027-06-30:passed"
    assert note.subject == f"Payment overdue: grant {payment.reference}"
    assert "has not been marked as paid" in note.body
    for today in (day(1), day(2), day(14)):
        assert payments_follow_up(today=today) == {"soon": 0, "passed": 0}


def test_the_payer_is_the_payments_own_department(committee, case_handler, other_case_handler):
    """A grant paid by another department: its staff are reminded, not the case handler's."""
    payment = application_payment(committee, other_case_handler.department_staff.department)
    assert payments_follow_up(today=day(-7)) == {"soon": 1, "passed": 0}
    assert told(SOON) == {other_case_handler.email}
    assert payment.pk


def test_a_department_with_nobody_on_the_portal_every_case_handler_hears(
    committee, case_handler, other_case_handler
):
    application_payment(committee, DepartmentFactory())
    assert payments_follow_up(today=day(-7)) == {"soon": 2, "passed": 0}
    assert told(SOON) == {case_handler.email, other_case_handler.email}


def test_an_allocations_payment_links_to_the_scheme(committee, department, case_handler):
    payment = allocation_payment(committee, department)
    payments_follow_up(today=day(-7))
    note = Notification.objects.get(kind=SOON)
    assert note.target_url == payment.allocation.scheme.get_absolute_url()


def test_paid_or_cancelled_is_not_followed_up(payment, case_handler, leader):
    payments_follow_up(today=day(-7))
    Payment.objects.filter(pk=payment.pk).update(paid_on=day(-1), voucher="B-1")
    assert payments_follow_up(today=day(1)) == {"soon": 0, "passed": 0}
    Payment.objects.filter(pk=payment.pk).update(paid_on=None, voucher="", cancelled=True)
    assert payments_follow_up(today=day(1)) == {"soon": 0, "passed": 0}


def test_an_agreements_and_a_grants_payment_are_followed_up_side_by_side(
    payment, committee, department, case_handler, leader
):
    instalment = PaymentFactory(agreement=agreement_for(committee, department), due_on=DUE)
    assert payments_follow_up(today=day(-7)) == {"soon": 2, "passed": 0}
    keys = set(Notification.objects.filter(kind=SOON).values_list("dedupe_key", flat=True))
    assert keys == {
        f"grant-payment:{payment.pk}:payment:2027-06-30:soon",
        f"agreement:{instalment.agreement_id}:payment:{instalment.pk}:payment:2027-06-30:soon",
    }
    agreement_note = Notification.objects.get(kind=SOON, dedupe_key__startswith="agreement:")
    assert agreement_note.target_url == instalment.agreement.get_absolute_url()
    assert payments_follow_up(today=day(1)) == {"soon": 0, "passed": 4}
    assert payments_follow_up(today=day(1)) == {"soon": 0, "passed": 0}
