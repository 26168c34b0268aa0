"""The committee's deadline: each report it owes (``deadlines.reports_follow_up``). The board is
reminded ``REPORT_REMINDER_DAYS_BEFORE`` (14) days before; once overdue the board is told again
and it is escalated to the department. Open and returned reports only; each once, missed runs
caught up."""

import datetime

import pytest

from agreements import notifications as kinds
from agreements.deadlines import reports_follow_up
from agreements.models import DutyState, ReportDuty, State
from agreements.tasks import follow_up_reports
from notifications.models import Notification
from tests.factories import ReportDutyFactory

from .payment_helpers import agreement_for, at, told

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 10, 31)
SOON, PASSED = kinds.REPORT_DUE, kinds.REPORT_OVERDUE


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


@pytest.fixture
def duty(committee, department):
    return ReportDutyFactory(
        agreement=agreement_for(committee, department), title="Sesongen 2027", due_on=DUE
    )


def test_the_board_is_reminded_two_weeks_before_once(duty, leader, board_member, case_handler):
    assert reports_follow_up(today=day(-15)) == {"soon": 0, "passed": 0}
    assert reports_follow_up(today=day(-14)) == {"soon": 2, "passed": 0}
    assert told(SOON) == {leader.email, board_member.email}
    note = Notification.objects.filter(kind=SOON).first()
    assert (
        note.dedupe_key == f"agreement:{duty.agreement_id}:report:{duty.pk}:report:2027-10-31:soon"
    )
    assert note.target_url.endswith(f"/rapport/{duty.pk}/")
    for today in (day(-14), day(-1), DUE):
        assert reports_follow_up(today=today) == {"soon": 0, "passed": 0}


def test_overdue_to_the_board_and_escalated_to_the_department(
    duty, leader, board_member, case_handler
):
    assert reports_follow_up(today=day(1)) == {"soon": 0, "passed": 3}
    assert told(PASSED) == {leader.email, board_member.email, case_handler.email}
    assert reports_follow_up(today=day(2)) == {"soon": 0, "passed": 0}


def test_a_missed_run_is_caught_up_within_the_look_back(duty, leader, case_handler):
    assert reports_follow_up(today=day(10)) == {"soon": 0, "passed": 2}
    assert reports_follow_up(today=day(11)) == {"soon": 0, "passed": 0}
    assert reports_follow_up(today=day(30)) == {"soon": 0, "passed": 0}


@pytest.mark.parametrize(
    ("state", "followed"),
    [
        (DutyState.OPEN, True),
        (DutyState.RETURNED, True),
        (DutyState.SUBMITTED, False),
        (DutyState.APPROVED, False),
        (DutyState.CANCELLED, False),
    ],
)
def test_only_reports_still_owed(duty, leader, case_handler, state, followed):
    ReportDuty.objects.filter(pk=duty.pk).update(state=state)
    assert reports_follow_up(today=day(1))["passed"] == (2 if followed else 0)


def test_submitted_after_the_reminder_no_overdue_notice(duty, leader, case_handler):
    reports_follow_up(today=day(-14))
    ReportDuty.objects.filter(pk=duty.pk).update(state=DutyState.SUBMITTED)
    assert reports_follow_up(today=day(1)) == {"soon": 0, "passed": 0}


@pytest.mark.parametrize("state", [State.DRAFT, State.SIGNED_MUNICIPALITY, State.RENEWED])
def test_only_agreements_in_force(duty, leader, case_handler, state):
    type(duty.agreement).objects.filter(pk=duty.agreement_id).update(state=state)
    assert reports_follow_up(today=day(-14)) == {"soon": 0, "passed": 0}
    assert reports_follow_up(today=day(1)) == {"soon": 0, "passed": 0}


def test_the_task_runs_the_follow_up_for_today(duty, leader):
    with at(day(-14)):
        assert follow_up_reports.run() == {"soon": 1, "passed": 0}
        assert follow_up_reports.run() == {"soon": 0, "passed": 0}
