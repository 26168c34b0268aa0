"""An application's and an annual report's lives as step tables (``core.steps.StepTable``),
applied by ``services.lifecycle``.

Application: draft → submitted → granted | refused, or back to the committee for more
information (with a deadline) and submitted again; the committee may withdraw until it is
answered. Paid in advance, a granted application's payment is created at once (→ payable);
paid afterwards, the committee reports actual costs, hours and photos "after" (→ reported), and
staff approve the report (→ payable: the payment is created) or return it for changes.

Annual report: open → submitted → approved, or returned for changes and submitted again.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.steps import Notice, Step, StepTable, steps

from . import notifications as kinds
from .states import AnnualReportState, ApplicationState, Party

A, R, P = ApplicationState, AnnualReportState, Party

# Audiences (resolved by services.lifecycle.AUDIENCES).
BOARD = "board"  # the committee's board
DEPARTMENT = "department"  # the scheme's department (else every case handler)

APPLICATION_STEPS = StepTable(
    [
        Step(
            A.DRAFT,
            A.SUBMITTED,
            frozenset({P.COMMITTEE}),
            title=_("Send the application"),
            short=_("Send"),
            explanation=_(
                "The municipality gets the application and answers it by %(answer_due)s. You "
                "can withdraw it until it is answered."
            ),
            done=_("The application has been sent to the municipality."),
            notices=(Notice(kinds.APPLICATION_SUBMITTED, to=(DEPARTMENT,)),),
        ),
        Step(
            A.SUBMITTED,
            A.MORE_INFO,
            frozenset({P.MUNICIPALITY}),
            message_required=True,
            title=_("Ask for more information"),
            short=_("Ask for more"),
            explanation=_(
                "The committee is asked to add what is missing and send the application again "
                "by %(committee_due)s."
            ),
            done=_("The committee has been asked for more information."),
            message_label=_("What is missing"),
            message_missing=_("Write what the committee must add."),
            notices=(Notice(kinds.APPLICATION_MORE_INFO, to=(BOARD,), message_as="question"),),
        ),
        Step(
            A.MORE_INFO,
            A.SUBMITTED,
            frozenset({P.COMMITTEE}),
            title=_("Send the application again"),
            short=_("Send again"),
            explanation=_("The municipality gets the application with what you added."),
            done=_("The application has been sent to the municipality again."),
            notices=(Notice(kinds.APPLICATION_SUBMITTED, to=(DEPARTMENT,)),),
        ),
        # Granting takes an amount and conditions (services.applications.application_grant).
        Step(
            A.SUBMITTED,
            A.GRANTED,
            frozenset({P.MUNICIPALITY}),
            by_service=True,
            done=_("The application has been granted."),
            notices=(Notice(kinds.APPLICATION_GRANTED, to=(BOARD,), message_as="conditions"),),
        ),
        Step(
            A.SUBMITTED,
            A.REFUSED,
            frozenset({P.MUNICIPALITY}),
            message_required=True,
            title=_("Refuse the application"),
            short=pgettext_lazy("application", "Refuse"),
            explanation=_("The committee is told, with your reason."),
            done=_("The application has been refused."),
            message_label=_("Reason"),
            message_missing=_("Write why the application is refused."),
            danger=True,
            notices=(Notice(kinds.APPLICATION_REFUSED, to=(BOARD,), message_as="reason"),),
        ),
        *steps(
            [A.DRAFT, A.SUBMITTED, A.MORE_INFO],
            A.WITHDRAWN,
            by=[P.COMMITTEE],
            title=_("Withdraw the application"),
            short=pgettext_lazy("application", "Withdraw"),
            explanation=_("The application is closed. You can write a new one."),
            done=_("The application has been withdrawn."),
            danger=True,
            notices=(Notice(kinds.APPLICATION_SUBMITTED, to=(DEPARTMENT,), key=":withdrawn"),),
        ),
        # Paid in advance: the payment is created as soon as it is granted.
        Step(
            A.GRANTED,
            A.PAYABLE,
            frozenset({P.MUNICIPALITY, P.SYSTEM}),
            by_service=True,
            done=_("The grant has been approved for payment."),
            notices=(Notice(kinds.APPLICATION_PAYABLE, to=(BOARD,)),),
        ),
        # Paid afterwards: the report (services.application_reports).
        *steps(
            [A.GRANTED, A.REPORT_RETURNED],
            A.REPORTED,
            by=[P.COMMITTEE],
            by_service=True,
            done=_("The report has been sent to the municipality."),
            notices=(Notice(kinds.APPLICATION_REPORTED, to=(DEPARTMENT,)),),
        ),
        Step(
            A.REPORTED,
            A.REPORT_RETURNED,
            frozenset({P.MUNICIPALITY}),
            message_required=True,
            title=_("Return the report"),
            short=_("Return"),
            explanation=_(
                "The committee is asked to correct the report and send it again by "
                "%(committee_due)s."
            ),
            done=_("The report has been returned to the committee."),
            message_label=_("What must be corrected"),
            message_missing=_("Write what the committee must correct."),
            notices=(Notice(kinds.APPLICATION_REPORT_RETURNED, to=(BOARD,), message_as="comment"),),
        ),
        Step(
            A.REPORTED,
            A.PAYABLE,
            frozenset({P.MUNICIPALITY}),
            by_service=True,
            done=_("The report has been approved and the grant approved for payment."),
            notices=(Notice(kinds.APPLICATION_PAYABLE, to=(BOARD,)),),
        ),
    ],
    states=ApplicationState,
    party_order=(P.MUNICIPALITY, P.COMMITTEE, P.SYSTEM),
    impossible=_("An application cannot go from “%(old)s” to “%(new)s”."),
    refused=_("You are not allowed to make this change to the application."),
)

ANNUAL_REPORT_STEPS = StepTable(
    [
        *steps(
            [R.OPEN, R.RETURNED],
            R.SUBMITTED,
            by=[P.COMMITTEE],
            by_service=True,  # services.annual_reports.annual_report_submit checks the list
            done=_("The annual report has been sent to the municipality."),
            notices=(Notice(kinds.ANNUAL_REPORT_SUBMITTED, to=(DEPARTMENT,)),),
        ),
        Step(
            R.SUBMITTED,
            R.APPROVED,
            frozenset({P.MUNICIPALITY}),
            title=_("Approve the annual report"),
            short=pgettext_lazy("annual report", "Approve"),
            done=_("The annual report has been approved."),
            notices=(Notice(kinds.ANNUAL_REPORT_APPROVED, to=(BOARD,)),),
        ),
        Step(
            R.SUBMITTED,
            R.RETURNED,
            frozenset({P.MUNICIPALITY}),
            message_required=True,
            title=_("Return the annual report"),
            short=_("Return"),
            explanation=_("The committee is asked to correct the report and send it again."),
            done=_("The annual report has been returned to the committee."),
            message_label=_("What must be corrected"),
            message_missing=_("Write what the committee must correct."),
            notices=(Notice(kinds.ANNUAL_REPORT_RETURNED, to=(BOARD,), message_as="comment"),),
        ),
    ],
    states=AnnualReportState,
    party_order=(P.MUNICIPALITY, P.COMMITTEE, P.SYSTEM),
    impossible=_("An annual report cannot go from “%(old)s” to “%(new)s”."),
    refused=_("You are not allowed to make this change to the annual report."),
)
