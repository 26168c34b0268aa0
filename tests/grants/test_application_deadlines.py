"""Both parties' deadlines on a grant application (grants.deadlines.applications_follow_up),
with frozen time: the municipality's answer and review (``answer_due``), the committee's extra
information, report and corrections (``committee_due``). Reminded ``REMINDER_DAYS_BEFORE`` (5)
days before; once passed told again and escalated; each once, missed runs caught up, a moved
deadline reminded afresh, a decided application not at all."""

import datetime

import pytest

from grants import notifications as kinds
from grants.deadlines import applications_follow_up
from grants.models import Application
from grants.tasks import follow_up_applications
from notifications.models import Notification
from tests.factories import DepartmentStaffFactory

from ..agreements.payment_helpers import at, told

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 6, 30)
NOTHING = {"soon": 0, "passed": 0}


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


def waiting(application, state: str, **fields) -> Application:
    Application.objects.filter(pk=application.pk).update(state=state, **fields)
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def other_handler(db):
    """A case handler in another department: hears only the escalation."""
    from django.contrib.auth.models import Group

    from core.staff import CASE_HANDLER, group_name

    user = DepartmentStaffFactory(user__email="other.case@larvik.kommune.no").user
    user.groups.add(Group.objects.get(name=group_name(CASE_HANDLER)))
    return user


@pytest.fixture
def people(leader, board_member, case_handler, other_handler):
    return {
        "leader": leader,
        "board": board_member,
        "handler": case_handler,
        "other": other_handler,
    }


# --- the municipality -----------------------------------------------------------------------


@pytest.mark.parametrize(("state", "kind"), [("submitted", "answer"), ("reported", "review")])
def test_the_department_is_reminded_before_its_answer_once(application, people, state, kind):
    application = waiting(application, state, answer_due=DUE)
    assert applications_follow_up(today=day(-6)) == NOTHING
    assert applications_follow_up(today=day(-5)) == {"soon": 1, "passed": 0}
    assert told(kinds.ANSWER_DUE) == {people["handler"].email}
    note = Notification.objects.get(kind=kinds.ANSWER_DUE)
    assert note.dedupe_key == f"grant-application:{application.pk}:deadline:{kind}:2027-06-30:soon"
    assert note.target_url == application.get_absolute_url()
    for today in (day(-5), day(-1), DUE):
        assert applications_follow_up(today=today) == NOTHING


def test_a_passed_answer_is_escalated_to_every_case_handler_and_the_board(application, people):
    waiting(application, "submitted", answer_due=DUE)
    assert applications_follow_up(today=day(1)) == {"soon": 0, "passed": 4}
    assert told(kinds.ANSWER_OVERDUE) == {
        people["handler"].email,
        people["other"].email,
        people["leader"].email,
        people["board"].email,
    }
    assert applications_follow_up(today=day(2)) == NOTHING


def test_a_department_with_nobody_on_the_portal_falls_back_to_the_case_handlers(
    application, people, application_scheme
):
    from committees.models import Department

    type(application_scheme).objects.filter(pk=application_scheme.pk).update(
        department=Department.objects.create(name="Tom", slug="tom")
    )
    waiting(application, "submitted", answer_due=DUE)
    applications_follow_up(today=day(-5))
    assert told(kinds.ANSWER_DUE) == {people["handler"].email, people["other"].email}


@pytest.mark.parametrize("state", ["granted", "refused", "more_info", "withdrawn", "payable"])
def test_an_answered_application_is_not_reminded(application, people, state):
    application = waiting(application, "submitted", answer_due=DUE)
    assert applications_follow_up(today=day(-5))["soon"] == 1
    waiting(application, state)
    assert applications_follow_up(today=day(1)) == NOTHING
    assert not Notification.objects.filter(kind=kinds.ANSWER_OVERDUE).exists()


def test_a_moved_deadline_gets_fresh_reminders(application, people):
    application = waiting(application, "submitted", answer_due=DUE)
    applications_follow_up(today=day(-5))
    # More information asked for, sent again: a new answer date.
    waiting(application, "submitted", answer_due=day(14))
    assert applications_follow_up(today=day(9)) == {"soon": 1, "passed": 0}
    assert Notification.objects.filter(kind=kinds.ANSWER_DUE).count() == 2


def test_a_missed_run_is_caught_up_within_the_look_back(application, people):
    waiting(application, "reported", answer_due=DUE)
    assert applications_follow_up(today=day(14))["passed"] == 4
    assert applications_follow_up(today=day(15)) == NOTHING
    waiting(application, "reported", answer_due=day(-30))
    assert applications_follow_up(today=day(0)) == NOTHING  # 30 days late is no news


def test_no_deadline_no_reminder(application, people):
    waiting(application, "submitted", answer_due=None)
    assert applications_follow_up(today=day(1)) == NOTHING


# --- the committee --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "kind", "page"),
    [
        ("more_info", "more-info", "detail"),
        ("granted", "report", "report"),
        ("report_returned", "correction", "report"),
    ],
)
def test_the_board_is_reminded_before_its_deadline(application, people, state, kind, page):
    application = waiting(application, state, committee_due=DUE, answer_due=day(-40))
    assert applications_follow_up(today=day(-6)) == NOTHING
    assert applications_follow_up(today=day(-5)) == {"soon": 2, "passed": 0}
    assert told(kinds.COMMITTEE_DUE) == {people["leader"].email, people["board"].email}
    note = Notification.objects.filter(kind=kinds.COMMITTEE_DUE).first()
    assert note.dedupe_key == f"grant-application:{application.pk}:deadline:{kind}:2027-06-30:soon"
    expected = (
        f"/tilskudd/soknad/{application.number}/rapport/"
        if page == "report"
        else application.get_absolute_url()
    )
    assert note.target_url.endswith(expected)
    assert applications_follow_up(today=DUE) == NOTHING


def test_a_passed_committee_deadline_is_escalated_to_the_department(application, people):
    waiting(application, "granted", committee_due=DUE)
    assert applications_follow_up(today=day(1)) == {"soon": 0, "passed": 3}
    assert told(kinds.COMMITTEE_OVERDUE) == {
        people["leader"].email,
        people["board"].email,
        people["handler"].email,
    }
    assert applications_follow_up(today=day(1)) == NOTHING


def test_granted_and_paid_in_advance_has_no_committee_deadline(application, people):
    type(application.scheme).objects.filter(pk=application.scheme_id).update(payment_rule="advance")
    waiting(application, "granted", committee_due=DUE)
    assert applications_follow_up(today=day(-5)) == NOTHING
    assert applications_follow_up(today=day(1)) == NOTHING


def test_a_report_sent_after_the_reminder_is_not_told_overdue(application, people):
    application = waiting(application, "granted", committee_due=DUE)
    applications_follow_up(today=day(-5))
    # Sent: the municipality's review runs now, far off.
    waiting(application, "reported", answer_due=day(30))
    assert applications_follow_up(today=day(1)) == NOTHING


def test_both_sides_are_followed_in_one_run(application, application_scheme, committee, people):
    from tests.factories import ApplicationFactory

    waiting(application, "submitted", answer_due=DUE)
    other = ApplicationFactory(
        committee=committee, scheme=application_scheme, state="report_returned", committee_due=DUE
    )
    assert applications_follow_up(today=day(-5)) == {"soon": 3, "passed": 0}
    assert {n.dedupe_key.split(":")[1] for n in Notification.objects.all()} == {
        str(application.pk),
        str(other.pk),
    }


def test_an_inactive_board_member_is_not_told(application, people):
    people["board"].is_active = False
    people["board"].save()
    waiting(application, "more_info", committee_due=DUE)
    assert applications_follow_up(today=day(-5)) == {"soon": 1, "passed": 0}


def test_the_task_runs_the_follow_up_for_today(application, people):
    waiting(application, "more_info", committee_due=DUE)
    with at(day(-5)):
        assert follow_up_applications.run() == {"soon": 2, "passed": 0}
        assert follow_up_applications.run() == NOTHING
    with at(day(1)):
        assert follow_up_applications.run() == {"soon": 0, "passed": 3}
