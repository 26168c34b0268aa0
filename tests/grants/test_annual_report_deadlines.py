"""The annual reports' daily follow-up, with frozen time: last year's report opened for every
registered committee, the board reminded before the due date, told and the department told
after; once each, and never once the report is sent."""

import datetime

import pytest
import time_machine

from committees.models import CommitteeStatus
from grants import notifications as kinds
from grants.annual_report_deadlines import annual_reports_follow_up
from grants.models import AnnualReport, AnnualReportState
from notifications.models import Notification
from tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
DUE = datetime.date(2026, 5, 1)


def on(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(7), tzinfo=datetime.UTC), tick=False
    )


def run(day: datetime.date) -> dict:
    with on(day):
        return annual_reports_follow_up()


def sent(kind: str, user) -> int:
    return Notification.objects.filter(kind=kind, recipient=user).count()


@pytest.fixture
def people(committee, leader, board_member, case_handler):
    return {"leader": leader, "board_member": board_member, "case_handler": case_handler}


def test_last_years_report_is_opened_for_registered_committees_only(committee):
    forming = CommitteeFactory(status=CommitteeStatus.FORMING, organisation_number="")
    dormant = CommitteeFactory(status=CommitteeStatus.DORMANT)
    counts = run(datetime.date(2026, 1, 10))
    assert counts["opened"] == 2
    opened = AnnualReport.objects.get(committee=committee)
    assert (opened.year, opened.due_on, opened.state) == (YEAR, DUE, AnnualReportState.OPEN)
    assert AnnualReport.objects.filter(committee=dormant, year=YEAR).exists()
    assert not AnnualReport.objects.filter(committee=forming).exists()
    # Opened once.
    assert run(datetime.date(2026, 1, 11))["opened"] == 0
    assert AnnualReport.objects.count() == 2


def test_the_board_is_reminded_days_before_once(people, settings):
    days = settings.GRANTS["ANNUAL_REPORT_REMINDER_DAYS_BEFORE"]
    first = DUE - datetime.timedelta(days=days)
    assert run(first - datetime.timedelta(days=1))["soon"] == 0
    assert run(first)["soon"] == 2  # the leader and the board member
    assert run(first + datetime.timedelta(days=1))["soon"] == 0
    assert run(DUE)["soon"] == 0
    assert sent(kinds.ANNUAL_REPORT_DUE, people["leader"]) == 1
    assert sent(kinds.ANNUAL_REPORT_DUE, people["board_member"]) == 1
    assert sent(kinds.ANNUAL_REPORT_DUE, people["case_handler"]) == 0


def test_a_missed_reminder_is_caught_up(people):
    assert run(DUE)["soon"] == 2


def test_once_passed_the_board_and_the_department_are_told_once(people, settings):
    run(DUE)
    assert run(DUE + datetime.timedelta(days=1))["passed"] == 3
    assert run(DUE + datetime.timedelta(days=2))["passed"] == 0
    for person in people.values():
        assert sent(kinds.ANNUAL_REPORT_OVERDUE, person) == 1
    notice = Notification.objects.filter(
        kind=kinds.ANNUAL_REPORT_OVERDUE, recipient=people["leader"]
    ).get()
    assert notice.dedupe_key.startswith("annual-report:")


def test_after_the_lookback_nothing_more_is_said(people, settings):
    late = DUE + datetime.timedelta(days=settings.GRANTS["LOOKBACK_DAYS"] + 1)
    assert run(late) == {"opened": 1, "soon": 0, "passed": 0}


def test_a_named_department_hears_instead_of_every_case_handler(
    people, settings, department, case_handler
):
    from django.contrib.auth.models import Group

    from core.staff import CASE_HANDLER, group_name
    from tests.factories import DepartmentStaffFactory

    # A case handler in another department: without the setting every case handler hears.
    other = DepartmentStaffFactory().user
    other.groups.add(Group.objects.get(name=group_name(CASE_HANDLER)))
    settings.GRANTS = {**settings.GRANTS, "ANNUAL_REPORT_DEPARTMENT": department.slug}
    run(DUE + datetime.timedelta(days=1))
    assert sent(kinds.ANNUAL_REPORT_OVERDUE, case_handler) == 1
    assert sent(kinds.ANNUAL_REPORT_OVERDUE, other) == 0


@pytest.mark.parametrize("state", [AnnualReportState.SUBMITTED, AnnualReportState.APPROVED])
def test_a_sent_report_is_not_followed_up(people, committee, state):
    with on(datetime.date(2026, 1, 2)):
        annual_reports_follow_up()
    AnnualReport.objects.filter(committee=committee).update(state=state)
    assert run(DUE) == {"opened": 0, "soon": 0, "passed": 0}
    assert run(DUE + datetime.timedelta(days=1)) == {"opened": 0, "soon": 0, "passed": 0}


def test_a_returned_report_is_followed_up(people, committee):
    with on(datetime.date(2026, 1, 2)):
        annual_reports_follow_up()
    AnnualReport.objects.filter(committee=committee).update(state=AnnualReportState.RETURNED)
    assert run(DUE)["soon"] == 2


def test_a_moved_due_date_gets_fresh_reminders(people, committee):
    run(DUE)
    later = DUE + datetime.timedelta(days=30)
    AnnualReport.objects.filter(committee=committee).update(due_on=later)
    assert run(later)["soon"] == 2
    assert sent(kinds.ANNUAL_REPORT_DUE, people["leader"]) == 2


def test_the_task_runs_the_follow_up(people):
    from grants.tasks import follow_up_annual_reports

    with on(DUE):
        assert follow_up_annual_reports.apply().get() == {"opened": 1, "soon": 2, "passed": 0}


def test_without_a_named_department_every_case_handler_hears(people):
    from django.contrib.auth.models import Group

    from core.staff import CASE_HANDLER, group_name
    from tests.factories import DepartmentStaffFactory

    other = DepartmentStaffFactory().user
    other.groups.add(Group.objects.get(name=group_name(CASE_HANDLER)))
    run(DUE + datetime.timedelta(days=1))
    assert sent(kinds.ANNUAL_REPORT_OVERDUE, other) == 1
