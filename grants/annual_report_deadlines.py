"""The committees' annual reports, followed up daily through ``core.deadlines``
(``grants.tasks.follow_up_annual_reports``).

Every committee registered in Frivillighetsregisteret (``committees.models.REGISTERED_STATUSES``:
registered, active or dormant) owes a report for last year, due by ``GRANTS["ANNUAL_REPORT_DUE"]``
(month, day) of this year. Each run:

1. opens last year's report for every such committee that has none yet
   (``services.lifecycle.annual_report_get_or_open``: safe in parallel), so the board finds it
   on its page and the deadline is a row;
2. while a report is owed (open, or returned for changes), reminds the committee's board
   ``GRANTS["ANNUAL_REPORT_REMINDER_DAYS_BEFORE"]`` days before ``due_on``
   (``ANNUAL_REPORT_DUE``); once passed, tells the board again and escalates to the department
   that reviews annual reports (``GRANTS["ANNUAL_REPORT_DEPARTMENT"]``; with none, every case
   handler: ``ANNUAL_REPORT_OVERDUE``), for ``GRANTS["LOOKBACK_DAYS"]`` days, so a missed run is
   caught up.

A report sent or approved is not reminded. Each notification has a dedupe key naming the report
and its due date (``annual-report:7:deadline:annual-report:2026-05-01:soon``): a re-run sends
nothing twice, a moved due date gets fresh reminders.
"""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from committees.models import REGISTERED_STATUSES, Committee
from core.deadlines import Deadline, DeadlineFollowUp
from notifications.services import notify

from . import notifications as kinds
from .models import ANNUAL_REPORT_OWED, AnnualReport
from .selectors import board_recipients, department_recipients
from .services.lifecycle import _report_department, annual_report_get_or_open

DEADLINE_KIND = "annual-report"


def _registered() -> list[str]:
    return sorted(status.value for status in REGISTERED_STATUSES)


def open_reports(*, year: int) -> int:
    """Open ``year``'s report for every registered committee that has none; how many."""
    missing = Committee.objects.filter(status__in=_registered()).filter(
        ~Exists(AnnualReport.objects.filter(committee=OuterRef("pk"), year=year))
    )
    opened = 0
    for committee in missing.order_by("pk"):
        annual_report_get_or_open(committee=committee, year=year)
        opened += 1
    return opened


def report_deadline(report: AnnualReport) -> list[Deadline]:
    if report.state not in ANNUAL_REPORT_OWED:
        return []
    return [Deadline(DEADLINE_KIND, report.due_on)]


def _owed():
    return AnnualReport.objects.filter(
        state__in=sorted(ANNUAL_REPORT_OWED), committee__status__in=_registered()
    )


def annual_reports_follow_up(*, today: datetime.date | None = None) -> dict[str, int]:
    """Open last year's reports, then remind and escalate (see the module's docstring).
    Returns ``{"opened": n, "soon": n, "passed": n}`` (notifications written)."""
    today = today or timezone.localdate()
    opened = open_reports(year=today.year - 1)
    sent = DeadlineFollowUp(
        candidates=lambda low, high: _owed().filter(due_on__range=(low, high)),
        current=_owed().select_related("committee"),
        deadlines_of=report_deadline,
        key_prefix=lambda report: f"annual-report:{report.pk}:deadline",
        reminder_kind=kinds.ANNUAL_REPORT_DUE,
        passed_kind=kinds.ANNUAL_REPORT_OVERDUE,
        reminder_recipients=lambda report, deadline: board_recipients(report.committee),
        passed_recipients=lambda report, deadline: board_recipients(report.committee),
        escalation_recipients=lambda report, deadline: department_recipients(
            _report_department(report)
        ),
        context=lambda report, deadline, phase: {"report": report, "deadline": deadline},
        notify=notify,
        days_before=settings.GRANTS["ANNUAL_REPORT_REMINDER_DAYS_BEFORE"],
        lookback_days=settings.GRANTS["LOOKBACK_DAYS"],
    ).run(today=today)
    return {"opened": opened, **sent}
