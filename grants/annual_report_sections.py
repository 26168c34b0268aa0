"""The annual reports a committee's board has before it, where the board looks: the committee
page (``committees.sections.committee_page``, slot "top": the board's own tools) and Min side →
My committees (``my_committees_page``), across every committee where the person sits on the
board. Each line: "Annual report 2025: not submitted, due 01.05.2026, overdue", linking the
report's page.

The lines are last year's report (opened or not: the board owes it either way) and any earlier
report still owed (open, or returned by the municipality): one returned two years ago must not
be lost behind last year's. One query whatever the number of committees; nothing for anyone
else (the report is the board's and the municipality's own)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from committees.permissions import is_board_member
from core.deadlines import is_overdue
from core.sections import context_user

from .models import ANNUAL_REPORT_OWED, AnnualReport, AnnualReportState, annual_report_due


@dataclass(frozen=True)
class ReportLine:
    committee: object
    year: int
    state: str
    due_on: datetime.date
    today: datetime.date

    @property
    def state_label(self) -> str:
        return AnnualReportState(self.state).label

    @property
    def owed(self) -> bool:
        return self.state in ANNUAL_REPORT_OWED

    @property
    def overdue(self) -> bool:
        return self.owed and is_overdue(self.due_on, today=self.today)

    @property
    def url(self) -> str:
        return reverse(
            "grants:annual-report", kwargs={"slug": self.committee.slug, "year": self.year}
        )


def report_lines(committees, *, today: datetime.date | None = None) -> list[ReportLine]:
    """Each committee's lines, by committee (as given) and newest year first."""
    today = today or timezone.localdate()
    last_year = today.year - 1
    by_pk = {committee.pk: committee for committee in committees}
    found = {
        (report.committee_id, report.year): report
        for report in AnnualReport.objects.filter(committee_id__in=list(by_pk))
        .filter(Q(year=last_year) | Q(state__in=sorted(ANNUAL_REPORT_OWED)))
        .only("state", "due_on", "year", "committee_id")
    }
    lines = []
    for committee in committees:
        years = {year for pk, year in found if pk == committee.pk} | {last_year}
        for year in sorted(years, reverse=True):
            report = found.get((committee.pk, year))
            lines.append(
                ReportLine(
                    committee=committee,
                    year=year,
                    state=report.state if report else AnnualReportState.OPEN,
                    due_on=report.due_on if report else annual_report_due(year),
                    today=today,
                )
            )
    return lines


def annual_report_context(context, committee) -> dict | None:
    user = context_user(context)
    if user is None or not user.is_authenticated or not is_board_member(user, committee):
        return None
    return {"committee": committee, "lines": report_lines([committee])}


def my_annual_reports_context(context, user=None) -> dict | None:
    """Min side: the lines of every committee where the person sits on the board."""
    from agreements.selectors import board_committee_ids
    from committees.models import Committee

    user = user or context_user(context)
    if user is None or not user.is_authenticated:
        return None
    committee_ids = board_committee_ids(user=user)
    if not committee_ids:
        return None
    committees = list(Committee.objects.filter(pk__in=committee_ids).order_by("name"))
    return {"lines": report_lines(committees)}


def register() -> None:
    from committees.sections import committee_page, my_committees_page

    committee_page.register(
        "top", "grants/_annual_report_section.html", annual_report_context, order=110
    )
    my_committees_page.register("main", "grants/_my_annual_reports.html", my_annual_reports_context)
