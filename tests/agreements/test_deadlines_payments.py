"""The municipality's deadline: each unpaid instalment (``deadlines.payments_follow_up``). The
department is reminded ``PAYMENT_REMINDER_DAYS_BEFORE`` (7) days before; once overdue it is told
again with every case handler, and the committee's board sees it too — exactly as the
committee's report deadlines are followed up. Each once, missed runs caught up, agreements in
force only (and a terminated one until its last day)."""

import datetime

import pytest

from agreements import notifications as kinds
from agreements.deadlines import payments_follow_up
from agreements.models import Payment, State
from agreements.tasks import follow_up_payments
from notifications.models import Notification
from tests.factories import DepartmentStaffFactory, PaymentFactory

from .payment_helpers import agreement_for, at, told

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 6, 30)
SOON, PASSED = kinds.PAYMENT_DUE, kinds.PAYMENT_OVERDUE


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


@pytest.fixture
def payment(committee, department):
    return PaymentFactory(agreement=agreement_for(committee, department), due_on=DUE)


@pytest.fixture
def other_case_handler(db):
    """A case handler of another department: not reminded, but escalated to."""
    from django.contrib.auth.models import Group

    from core.staff import CASE_HANDLER, group_name

    staff = DepartmentStaffFactory(user__email="kultur@larvik.kommune.no").user
    staff.groups.add(Group.objects.get(name=group_name(CASE_HANDLER)))
    return staff


def test_the_department_is_reminded_a_week_before_once(payment, case_handler, leader):
    assert payments_follow_up(today=day(-8)) == {"soon": 0, "passed": 0}
    assert payments_follow_up(today=day(-7)) == {"soon": 1, "passed": 0}
    assert told(SOON) == {case_handler.email}  # the committee is not the one to act
    note = Notification.objects.get(kind=SOON)
    assert (
        note.dedupe_key
        == f"agreement:{payment.agreement_id}:payment:{payment.pk}:payment:2027-06-30:soon"
    )
    for today in (day(-7), day(-3), DUE):
        assert payments_follow_up(today=today) == {"soon": 0, "passed": 0}


def test_overdue_to_the_department_every_case_handler_and_the_board(
    payment, case_handler, other_case_handler, leader, board_member
):
    assert payments_follow_up(today=DUE) == {"soon": 1, "passed": 0}
    assert payments_follow_up(today=day(1)) == {"soon": 0, "passed": 4}
    assert told(PASSED) == {
        case_handler.email,
        other_case_handler.email,
        leader.email,
        board_member.email,
    }
    assert payments_follow_up(today=day(2)) == {"soon": 0, "passed": 0}


def test_a_missed_run_is_caught_up_within_the_look_back(payment, case_handler, leader):
    assert payments_follow_up(today=day(14)) == {"soon": 0, "passed": 2}
    assert payments_follow_up(today=day(15)) == {"soon": 0, "passed": 0}


def test_a_missed_reminder_is_caught_up_until_the_due_day(payment, case_handler):
    assert payments_follow_up(today=day(-1)) == {"soon": 1, "passed": 0}


def test_nothing_after_the_look_back(payment, case_handler, leader):
    assert payments_follow_up(today=day(15)) == {"soon": 0, "passed": 0}


def test_paid_in_time_no_overdue_notice(payment, case_handler, leader):
    payments_follow_up(today=day(-7))
    Payment.objects.filter(pk=payment.pk).update(paid_on=day(-1), voucher="B-1")
    assert payments_follow_up(today=day(1)) == {"soon": 0, "passed": 0}


def test_a_moved_due_date_gets_a_fresh_reminder(payment, case_handler):
    payments_follow_up(today=day(-7))
    Payment.objects.filter(pk=payment.pk).update(due_on=day(10))
    assert payments_follow_up(today=day(3)) == {"soon": 1, "passed": 0}


def test_cancelled_instalments_are_not_followed_up(payment, case_handler, leader):
    Payment.objects.filter(pk=payment.pk).update(cancelled=True)
    assert payments_follow_up(today=day(-7)) == {"soon": 0, "passed": 0}
    assert payments_follow_up(today=day(1)) == {"soon": 0, "passed": 0}


@pytest.mark.parametrize("state", [State.DRAFT, State.SENT, State.SIGNED_MUNICIPALITY, State.ENDED])
def test_only_agreements_in_force(payment, case_handler, leader, state):
    type(payment.agreement).objects.filter(pk=payment.agreement_id).update(state=state)
    assert payments_follow_up(today=day(-7)) == {"soon": 0, "passed": 0}
    assert payments_follow_up(today=day(1)) == {"soon": 0, "passed": 0}


def test_an_expiring_agreement_is_in_force(payment, case_handler):
    type(payment.agreement).objects.filter(pk=payment.agreement_id).update(state=State.EXPIRING)
    assert payments_follow_up(today=day(-7)) == {"soon": 1, "passed": 0}


def test_a_terminated_agreement_until_its_last_day(payment, case_handler, leader):
    agreements = type(payment.agreement).objects.filter(pk=payment.agreement_id)
    agreements.update(state=State.TERMINATED, terminated_on=day(1))
    assert payments_follow_up(today=day(1))["passed"] == 2
    agreements.update(terminated_on=day(-1))
    Payment.objects.exclude(pk=payment.pk).delete()
    other = PaymentFactory(agreement=payment.agreement, due_on=day(-3))
    assert payments_follow_up(today=day(1)) == {"soon": 0, "passed": 0}
    assert other.pk  # due before the last day, but the last day has passed: nothing more


def test_the_task_runs_the_follow_up_for_today(payment, case_handler):
    with at(day(-7)):
        assert follow_up_payments.run() == {"soon": 1, "passed": 0}
        assert follow_up_payments.run() == {"soon": 0, "passed": 0}
