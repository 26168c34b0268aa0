"""The committee page's line about last year's annual report, for the committee's board only
(``committees.sections.committee_page``, slot "top": the board's own tools): "Annual report
2025: not submitted, due 01.05.2026, overdue", linking the report's page. One query; nothing
for anyone else (the report is the board's and the municipality's own)."""

from django.urls import reverse
from django.utils import timezone

from committees.permissions import is_board_member
from core.deadlines import is_overdue
from core.sections import context_user

from .models import ANNUAL_REPORT_OWED, AnnualReport, AnnualReportState, annual_report_due


def annual_report_context(context, committee) -> dict | None:
    user = context_user(context)
    if user is None or not user.is_authenticated or not is_board_member(user, committee):
        return None
    today = timezone.localdate()
    year = today.year - 1
    report = (
        AnnualReport.objects.filter(committee=committee, year=year)
        .only("state", "due_on", "year", "committee_id")
        .first()
    )
    state = report.state if report else AnnualReportState.OPEN
    due_on = report.due_on if report else annual_report_due(year)
    return {
        "committee": committee,
        "year": year,
        "state": state,
        "state_label": AnnualReportState(state).label,
        "due_on": due_on,
        "overdue": state in ANNUAL_REPORT_OWED and is_overdue(due_on, today=today),
        "url": reverse("grants:annual-report", kwargs={"slug": committee.slug, "year": year}),
    }


def register() -> None:
    from committees.sections import committee_page

    committee_page.register(
        "top", "grants/_annual_report_section.html", annual_report_context, order=110
    )
