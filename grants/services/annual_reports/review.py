"""The annual report's steps between the committee and the municipality: the board sends it
(``annual_report_submit``) while it is open or returned, when every kind of document is there,
the meeting's day is given and the leader is elected; staff approve it or return it with a
comment (the comment is on the report and on its timeline); the committee corrects it and sends
it again. The steps are ``steps.ANNUAL_REPORT_STEPS``, each taken through
``services.lifecycle.annual_report_transition``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Role

from ...models import AnnualReport, AnnualReportState, DocumentKind, Party
from ..lifecycle import annual_report_transition, lock_annual_report
from .editing import _check_board, _check_editable

R = AnnualReportState


def submit_problems(report: AnnualReport) -> list[str]:
    """What is still missing before the report can be sent (empty when it can)."""
    problems = []
    present = set(report.documents.values_list("kind", flat=True))
    for kind in DocumentKind:
        if kind.value not in present:
            problems.append(_("Add the document “%(kind)s”.") % {"kind": kind.label})
    if report.meeting_on is None:
        problems.append(_("Give the day the annual meeting was held."))
    if not report.elected.filter(role=Role.LEADER).exists():
        problems.append(_("Fill in the board the annual meeting elected, with its leader."))
    return problems


@transaction.atomic
def annual_report_submit(*, report: AnnualReport, actor) -> AnnualReport:
    """The board sends the report to the municipality, once the checklist is complete."""
    report = lock_annual_report(report)
    _check_board(actor, report)
    _check_editable(report)
    if problems := submit_problems(report):
        raise ValidationError(problems)

    def change(*, report, step, party, message):
        report.submitted_at = timezone.now()
        report.submitted_by = actor

    return annual_report_transition(
        report=report,
        actor=actor,
        to_state=R.SUBMITTED,
        parties={Party.COMMITTEE},
        change=change,
    )


def _reviewed(actor, *, comment: str | None = None):
    def change(*, report, step, party, message):
        report.reviewed_at = timezone.now()
        report.reviewed_by = actor
        if comment is not None:
            report.comment = message

    return change


@transaction.atomic
def annual_report_approve(*, report: AnnualReport, actor) -> AnnualReport:
    """Staff approve a submitted report (``can_review_annual_reports``)."""
    return annual_report_transition(
        report=report, actor=actor, to_state=R.APPROVED, change=_reviewed(actor)
    )


@transaction.atomic
def annual_report_return(*, report: AnnualReport, actor, comment: str) -> AnnualReport:
    """Staff return a submitted report with what must be corrected (required): the committee
    sees it on the report's page, and it is on the timeline."""
    return annual_report_transition(
        report=report,
        actor=actor,
        to_state=R.RETURNED,
        message=comment,
        change=_reviewed(actor, comment=comment),
    )
