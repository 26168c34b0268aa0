"""The notification category and kinds the dugnads app sends (in ``DugnadsConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from committees.notifications import register_news_kind
from notifications import categories, kinds

CATEGORY = "dugnads"

# To the committee's followers when a dugnad is published (the "following" topic).
NEW_IN_COMMITTEE = "dugnad.new_in_committee"
# To a participant: their place (or place on the waiting list), and a place freed for them.
SIGNED_UP = "dugnad.signed_up"
PROMOTED = "dugnad.promoted"
# To every participant: the time or the place changed; the dugnad was cancelled; a reminder;
# a message from the organisers.
CHANGED = "dugnad.changed"
CANCELLED = "dugnad.cancelled"
REMINDER = "dugnad.reminder"
MESSAGE = "dugnad.message"
# The municipality's side: resources asked for, answered, and the answer's deadline.
RESOURCE_REQUESTED = "dugnad.resource_requested"
RESOURCE_ANSWERED = "dugnad.resource_answered"
RESOURCE_DUE_SOON = "dugnad.resource_due_soon"
RESOURCE_DUE_PASSED = "dugnad.resource_due_passed"
# The committee's side after the event: the report.
REPORT_DUE = "dugnad.report_due"
REPORT_OVERDUE = "dugnad.report_overdue"
# To a proposal's followers: the committee made a dugnad of it.
FROM_PROPOSAL = "dugnad.from_proposal"


def register() -> None:
    categories.register_category(
        CATEGORY,
        label=_("Dugnads"),
        help_text=_("Dugnads you have signed up for or organise, and requests for resources."),
        order=20,
    )
    for key, label in [
        (SIGNED_UP, _("Your sign-up for a dugnad")),
        (PROMOTED, _("You got a place from the waiting list")),
        (CHANGED, _("A dugnad changed time or place")),
        (CANCELLED, _("A dugnad was cancelled")),
        (REMINDER, _("Reminder before a dugnad")),
        (MESSAGE, _("Message from the organisers of a dugnad")),
        (RESOURCE_REQUESTED, _("Resources requested for a dugnad")),
        (RESOURCE_ANSWERED, _("The municipality answered a resource request")),
        (RESOURCE_DUE_SOON, _("A resource request must be answered soon")),
        (RESOURCE_DUE_PASSED, _("A resource request was not answered in time")),
        (REPORT_DUE, _("Report on a dugnad")),
        (REPORT_OVERDUE, _("A dugnad has not been reported")),
        (FROM_PROPOSAL, _("A proposal became a dugnad")),
    ]:
        kinds.register(key, category=CATEGORY, label=label)
    register_news_kind(NEW_IN_COMMITTEE, label=_("New dugnad in a committee you follow"))
