"""Who may change a committee's annual report, and when: its board, while the report is owed
(open, or returned for changes). The documents, the elected board and sending ask the same two
questions, so they are answered once, here.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ...models import ANNUAL_REPORT_OWED, AnnualReport
from ...permissions import can_submit_annual_report


def is_editable(report: AnnualReport) -> bool:
    """The committee changes its report while it is owed: open, or returned for changes."""
    return report.state in ANNUAL_REPORT_OWED


def _check_board(actor, report: AnnualReport) -> None:
    if actor is None or not can_submit_annual_report(actor, report.committee):
        raise ValidationError(_("Only the committee's board can change its annual report."))


def _check_editable(report: AnnualReport) -> None:
    if not is_editable(report):
        raise ValidationError(
            _("The annual report has been sent to the municipality and cannot be changed now.")
        )
