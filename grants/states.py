"""The vocabulary of grants: scheme kinds and rules, allocation, application and annual report
states, the parties and the documents a committee reports each year.

Kept apart from the models so the step tables, the rules and the templates can use them without
the models' imports.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SchemeKind(models.TextChoices):
    # A sum per committee worked out from a formula (base + rate × residents in an age range).
    FORMULA = "formula", _("Formula (start-up or operating grant)")
    # Committees apply; staff grant, refuse or ask for more.
    APPLICATION = "application", _("Application-based")


class PaymentRule(models.TextChoices):
    ADVANCE = "advance", _("Paid in advance")
    # Paid against a report of actual costs, hours and photos (forskjønning).
    AFTERWARDS = "afterwards", _("Paid afterwards, against documentation")


class OverPotRule(models.TextChoices):
    """What happens when the formula's sum is larger than the pot."""

    PRO_RATA = "pro_rata", _("Scale every allocation down pro rata")
    HOLD_BACK = "hold_back", _("Hold back approval until the pot or the rules are changed")


class AllocationListState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("allocation list", "Draft")
    APPROVED = "approved", pgettext_lazy("allocation list", "Approved")


class AllocationState(models.TextChoices):
    # Worked out, waiting for the list's approval.
    PROPOSED = "proposed", pgettext_lazy("allocation", "Proposed")
    # The committee is not (yet) eligible: kept for it, not payable (``reasons`` say why).
    RESERVED = "reserved", _("Reserved, not payable")
    # Eligible, but held by a rule of the scheme (last year's annual report not approved).
    HELD = "held", pgettext_lazy("allocation", "Held")
    # Approved: a payment has been created on the payment machinery.
    PAYABLE = "payable", _("Approved for payment")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("application", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("application", "Submitted")
    MORE_INFO = "more_info", _("More information asked for")
    GRANTED = "granted", pgettext_lazy("application", "Granted")
    REFUSED = "refused", pgettext_lazy("application", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("application", "Withdrawn")
    # Paid afterwards: the committee's report of what was done, and its review.
    REPORTED = "reported", _("Report submitted")
    REPORT_RETURNED = "report_returned", _("Report returned for changes")
    # The payment has been created (in advance at once, afterwards once the report is approved).
    PAYABLE = "payable", _("Approved for payment")


# Steps waiting for the municipality (it has a deadline) and for the committee.
WAITING_FOR_MUNICIPALITY = frozenset({ApplicationState.SUBMITTED, ApplicationState.REPORTED})
WAITING_FOR_COMMITTEE = frozenset({ApplicationState.MORE_INFO, ApplicationState.REPORT_RETURNED})
# Where the committee may still edit the application (its budget, photos "before").
APPLICATION_EDITABLE = frozenset({ApplicationState.DRAFT, ApplicationState.MORE_INFO})
# Where the committee may edit the report (paid afterwards).
REPORT_EDITABLE = frozenset({ApplicationState.GRANTED, ApplicationState.REPORT_RETURNED})
# Public: a granted application and what came of it (never a draft or a refused one's budget).
PUBLIC_APPLICATION_STATES = frozenset(
    {
        ApplicationState.GRANTED,
        ApplicationState.REPORTED,
        ApplicationState.REPORT_RETURNED,
        ApplicationState.PAYABLE,
    }
)


class Party(models.TextChoices):
    COMMITTEE = "committee", _("Committee")
    MUNICIPALITY = "municipality", _("Municipality")
    SYSTEM = "system", _("The portal")


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")


class AnnualReportState(models.TextChoices):
    OPEN = "open", pgettext_lazy("annual report", "Not submitted")
    SUBMITTED = "submitted", pgettext_lazy("annual report", "Submitted")
    RETURNED = "returned", pgettext_lazy("annual report", "Returned for changes")
    APPROVED = "approved", pgettext_lazy("annual report", "Approved")


ANNUAL_REPORT_OWED = frozenset({AnnualReportState.OPEN, AnnualReportState.RETURNED})


class DocumentKind(models.TextChoices):
    """The checklist: what an association reports every year."""

    PROTOCOL = "protocol", _("Minutes of the annual meeting (årsmøteprotokoll)")
    ANNUAL_REPORT = "annual_report", _("Annual report (årsmelding)")
    ACCOUNTS = "accounts", _("Accounts (regnskap)")
    BUDGET = "budget", _("Budget (budsjett)")
