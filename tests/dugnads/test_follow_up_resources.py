"""The municipality's deadline for answering resource requests (``follow_up.resources_follow_up``):
reminded like the committee's deadlines — to the staff of the departments with an unanswered
line, ``RESOURCE_REMINDER_DAYS_BEFORE`` days before; once passed, to them and escalated to the
committee's municipal contact and the organisers; once each, missed runs caught up."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dugnads import services
from dugnads.models import ResourceState
from dugnads.services.follow_up import resources_follow_up
from dugnads.services.resources import resource_answer
from dugnads.tasks import follow_up_resources
from notifications.models import Notification
from tests.factories import DepartmentStaffFactory, DugnadFactory, ResourceFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
START = datetime.datetime(2027, 6, 12, 10, 0, tzinfo=OSLO)
DUE = datetime.date(2027, 6, 5)  # a week before, the default
SOON, PASSED = "dugnad.resource_due_soon", "dugnad.resource_due_passed"


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


@pytest.fixture
def dugnad(committee, leader):
    with time_machine.travel(START - datetime.timedelta(days=30), tick=False):
        dugnad = DugnadFactory(
            committee=committee, starts_at=START, ends_at=START + datetime.timedelta(hours=4)
        )
    dugnad.organisers.add(leader)
    assert dugnad.resources_due == DUE
    return dugnad


@pytest.fixture
def lines(dugnad, case_handler):
    """An unanswered container (the case handler's department), and gloves from another
    department, already confirmed."""
    gloves_staff = DepartmentStaffFactory(user__email="hansker@larvik.kommune.no").user
    return {
        "container": ResourceFactory(
            dugnad=dugnad, department=case_handler.department_staff.department
        ),
        "gloves": ResourceFactory(
            dugnad=dugnad,
            kind="gloves",
            department=gloves_staff.department_staff.department,
            state=ResourceState.CONFIRMED,
        ),
        "gloves_staff": gloves_staff,
    }


def told(kind) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_reminded_three_days_before_the_department_with_an_unanswered_line(
    dugnad, lines, case_handler
):
    assert resources_follow_up(today=day(-4)) == {"soon": 0, "passed": 0}
    assert resources_follow_up(today=day(-3)) == {"soon": 1, "passed": 0}
    assert told(SOON) == {case_handler.email}  # not the gloves' department: it has answered
    note = Notification.objects.get(kind=SOON)
    assert note.dedupe_key == f"dugnad:{dugnad.pk}:deadline:resources:2027-06-05:soon"
    for today in (day(-3), day(-2), DUE):
        assert resources_follow_up(today=today) == {"soon": 0, "passed": 0}


def test_passed_to_the_department_and_escalated_to_the_contact_and_the_organisers(
    dugnad, lines, case_handler, leader, board_member, municipal_contact
):
    assert resources_follow_up(today=day(1)) == {"soon": 0, "passed": 3}
    assert told(PASSED) == {case_handler.email, municipal_contact.email, leader.email}
    assert board_member.email not in told(PASSED)  # the organisers, not the whole board
    assert resources_follow_up(today=day(2)) == {"soon": 0, "passed": 0}


def test_a_missed_run_is_caught_up_within_the_look_back(dugnad, lines):
    assert resources_follow_up(today=day(5))["passed"] == 2  # the department, the organiser
    assert resources_follow_up(today=day(6))["passed"] == 0


def test_nothing_after_the_look_back(dugnad, lines):
    assert resources_follow_up(today=day(15)) == {"soon": 0, "passed": 0}


def test_answered_in_time_no_passed_notice(dugnad, lines, case_handler):
    resources_follow_up(today=day(-3))
    resource_answer(resource=lines["container"], actor=case_handler, confirmed=True)
    assert resources_follow_up(today=day(1)) == {"soon": 0, "passed": 0}


def test_a_moved_deadline_gets_a_fresh_reminder(dugnad, lines, case_handler):
    resources_follow_up(today=day(-3))
    type(dugnad).objects.filter(pk=dugnad.pk).update(resources_due=day(2))
    assert resources_follow_up(today=day(-1))["soon"] == 1
    assert Notification.objects.filter(kind=SOON, recipient=case_handler).count() == 2


def test_a_cancelled_dugnad_is_not_followed_up(dugnad, lines, leader):
    services.dugnad_cancel(dugnad=dugnad, actor=leader, reason="Meldt storm.")
    assert resources_follow_up(today=day(-3)) == {"soon": 0, "passed": 0}
    assert resources_follow_up(today=day(1)) == {"soon": 0, "passed": 0}


def test_a_dugnad_that_has_ended_is_not_followed_up(dugnad, lines):
    with time_machine.travel(dugnad.ends_at, tick=False):
        assert resources_follow_up(today=day(1)) == {"soon": 0, "passed": 0}


def test_the_task_runs_the_follow_up_for_today(dugnad, lines):
    with time_machine.travel(datetime.datetime(2027, 6, 2, 9, 0, tzinfo=OSLO), tick=False):
        assert follow_up_resources.run() == {"soon": 1, "passed": 0}
        assert follow_up_resources.run() == {"soon": 0, "passed": 0}
