"""The notification category and kinds the agreements app sends (in ``AgreementsConfig.ready``).

Both parties are bound by deadlines: the committee's reports, the municipality's payments and
signature. Each side is reminded before, told (and escalated) after, exactly alike."""

from django.utils.translation import gettext_lazy as _

from notifications import categories, kinds

CATEGORY = "agreements"

# Signing: sent to the committee's leader; signed by one party (to the other); voided by a
# change of terms (to both); signed by both (to both, and the origin proposal's followers).
SENT_FOR_SIGNING = "agreement.sent_for_signing"
SIGNED = "agreement.signed"
SIGNATURE_VOIDED = "agreement.signature_voided"
FULLY_SIGNED = "agreement.fully_signed"
# In force, renewed, ended, terminated; the notice period has started.
ACTIVE = "agreement.active"
NOTICE_PERIOD = "agreement.notice_period"
RENEWED = "agreement.renewed"
ENDED = "agreement.ended"
TERMINATED = "agreement.terminated"
# The municipality's side: a payment due soon and overdue.
PAYMENT_DUE = "agreement.payment_due"
PAYMENT_OVERDUE = "agreement.payment_overdue"
PAYMENT_PAID = "agreement.payment_paid"
# The committee's side: a report due soon and overdue; its review.
REPORT_DUE = "agreement.report_due"
REPORT_OVERDUE = "agreement.report_overdue"
REPORT_SUBMITTED = "agreement.report_submitted"
REPORT_APPROVED = "agreement.report_approved"
REPORT_RETURNED = "agreement.report_returned"
# To a proposal's followers: its agreement was signed.
FROM_PROPOSAL = "agreement.from_proposal"


def register() -> None:
    categories.register_category(
        CATEGORY,
        label=_("Agreements"),
        help_text=_(
            "Agreements your committee has with the municipality: signing, payments, reports "
            "and renewal."
        ),
        order=25,
    )
    for key, label in [
        (SENT_FOR_SIGNING, _("An agreement is ready for signing")),
        (SIGNED, _("The other party signed an agreement")),
        (SIGNATURE_VOIDED, _("A signature was voided by a change of terms")),
        (FULLY_SIGNED, _("An agreement was signed by both parties")),
        (ACTIVE, _("An agreement came into force")),
        (NOTICE_PERIOD, _("An agreement is in its notice period")),
        (RENEWED, _("An agreement was renewed")),
        (ENDED, _("An agreement ended")),
        (TERMINATED, _("An agreement was terminated")),
        (PAYMENT_DUE, _("A payment is due soon")),
        (PAYMENT_OVERDUE, _("A payment is overdue")),
        (PAYMENT_PAID, _("A payment was made")),
        (REPORT_DUE, _("A report on an agreement is due soon")),
        (REPORT_OVERDUE, _("A report on an agreement is overdue")),
        (REPORT_SUBMITTED, _("A report on an agreement was submitted")),
        (REPORT_APPROVED, _("A report on an agreement was approved")),
        (REPORT_RETURNED, _("A report on an agreement was returned")),
        (FROM_PROPOSAL, _("A proposal became an agreement")),
    ]:
        kinds.register(key, category=CATEGORY, label=label)
