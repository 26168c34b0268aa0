"""The notification category and kinds the proposals app sends (in ``ProposalsConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from committees.notifications import register_news_kind
from notifications import categories, kinds

# The topic people choose how often to hear about (Min side → Varsler → Innstillinger).
CATEGORY = "proposals"

NEW_IN_INBOX = "proposal.new_in_inbox"
# The author's receipt on submitting (the reference and the committee's deadline).
SUBMITTED_RECEIPT = "proposal.submitted_receipt"
# A new public proposal, told to the committee's followers (the committees' "following" topic).
NEW_IN_COMMITTEE = "proposal.new_in_committee"
STATUS_CHANGED = "proposal.status_changed"
NEW_CASE = "proposal.new_case"
ASSIGNED = "proposal.assigned"
INFO_REQUESTED = "proposal.info_requested"
MESSAGE = "proposal.message"
ANSWER_PUBLISHED = "proposal.answer_published"
CITIZEN_PROPOSAL = "proposal.citizen_proposal"
DEADLINE_SOON = "proposal.deadline_soon"
DEADLINE_PASSED = "proposal.deadline_passed"


def register() -> None:
    categories.register_category(
        CATEGORY,
        label=_("Proposals"),
        help_text=_("Proposals you have written, support or follow."),
        order=10,
    )
    for key, label in [
        (NEW_IN_INBOX, _("New proposal to the committee")),
        (SUBMITTED_RECEIPT, _("Receipt for a proposal you submitted")),
        (STATUS_CHANGED, _("A proposal changed status")),
        (NEW_CASE, _("New case for the municipality")),
        (ASSIGNED, _("A case was assigned to you")),
        (INFO_REQUESTED, _("The municipality asks for more information")),
        (MESSAGE, _("New message on a proposal")),
        (ANSWER_PUBLISHED, _("The municipality has answered a proposal")),
        (CITIZEN_PROPOSAL, _("A proposal became a citizens' proposal")),
        (DEADLINE_SOON, _("A deadline is near")),
        (DEADLINE_PASSED, _("A deadline has passed")),
    ]:
        kinds.register(key, category=CATEGORY, label=label)
    register_news_kind(NEW_IN_COMMITTEE, label=_("New proposal in a committee you follow"))
