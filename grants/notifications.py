"""The notification category and kinds the grants app sends (in ``GrantsConfig.ready``).

Both parties are bound by deadlines: the municipality's answer to an application and its review
of a report, the committee's extra information, its report and its annual report. Each side is
reminded before, told (and escalated) after, exactly alike (``grants.deadlines``)."""

from django.utils.translation import gettext_lazy as _

from notifications import categories, kinds

CATEGORY = "grants"

# Applications: each step tells the other party (steps.APPLICATION_STEPS).
APPLICATION_SUBMITTED = "grant.application_submitted"
APPLICATION_MORE_INFO = "grant.application_more_info"
APPLICATION_GRANTED = "grant.application_granted"
APPLICATION_REFUSED = "grant.application_refused"
APPLICATION_REPORTED = "grant.application_reported"
APPLICATION_REPORT_RETURNED = "grant.application_report_returned"
APPLICATION_PAYABLE = "grant.application_payable"
# Deadlines on both sides.
ANSWER_DUE = "grant.answer_due"
ANSWER_OVERDUE = "grant.answer_overdue"
COMMITTEE_DUE = "grant.committee_due"
COMMITTEE_OVERDUE = "grant.committee_overdue"
# Allocations: the list approved (to each committee's board: its sum, or why reserved/held).
ALLOCATION_APPROVED = "grant.allocation_approved"
# A grant's payment marked paid (to the committee's board).
GRANT_PAID = "grant.paid"
# Annual reports.
ANNUAL_REPORT_DUE = "grant.annual_report_due"
ANNUAL_REPORT_OVERDUE = "grant.annual_report_overdue"
ANNUAL_REPORT_SUBMITTED = "grant.annual_report_submitted"
ANNUAL_REPORT_APPROVED = "grant.annual_report_approved"
ANNUAL_REPORT_RETURNED = "grant.annual_report_returned"

LABELS = {
    APPLICATION_SUBMITTED: _("A grant application was submitted"),
    APPLICATION_MORE_INFO: _("More information is asked for on a grant application"),
    APPLICATION_GRANTED: _("A grant application was granted"),
    APPLICATION_REFUSED: _("A grant application was refused"),
    APPLICATION_REPORTED: _("A grant report was submitted"),
    APPLICATION_REPORT_RETURNED: _("A grant report was returned"),
    APPLICATION_PAYABLE: _("A grant was approved for payment"),
    ANSWER_DUE: _("An answer to a grant application is due soon"),
    ANSWER_OVERDUE: _("An answer to a grant application is overdue"),
    COMMITTEE_DUE: _("A grant deadline for the committee is near"),
    COMMITTEE_OVERDUE: _("A grant deadline for the committee has passed"),
    ALLOCATION_APPROVED: _("A grant allocation was approved"),
    GRANT_PAID: _("A grant was paid"),
    ANNUAL_REPORT_DUE: _("The annual report is due soon"),
    ANNUAL_REPORT_OVERDUE: _("The annual report is overdue"),
    ANNUAL_REPORT_SUBMITTED: _("An annual report was submitted"),
    ANNUAL_REPORT_APPROVED: _("The annual report was approved"),
    ANNUAL_REPORT_RETURNED: _("The annual report was returned"),
}


def register() -> None:
    categories.register_category(
        CATEGORY,
        label=_("Grants and annual reports"),
        help_text=_(
            "Grants your committee applies for or is allocated, their payments, and the "
            "committee's annual report."
        ),
        order=27,
    )
    for key, label in LABELS.items():
        kinds.register(key, category=CATEGORY, label=label)
