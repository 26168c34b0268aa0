"""The notification kinds the committees app sends (registered in ``CommitteesConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds
from notifications.models import Category

BOARD_ADDED = "committee.board_added"
BOARD_REMOVED = "committee.board_removed"
TERM_ENDING = "committee.term_ending"
TERM_ENDED = "committee.term_ended"

# A board term's reminder goes out this many days before the term ends.
TERM_REMINDER_DAYS = 30
# The daily follow-up looks this far back, so a missed day (or week) is caught up.
TERM_ENDED_LOOKBACK_DAYS = 14


def register() -> None:
    kinds.register(BOARD_ADDED, category=Category.COMMITTEE, label=_("Added to a board"))
    kinds.register(BOARD_REMOVED, category=Category.COMMITTEE, label=_("Board membership ended"))
    kinds.register(TERM_ENDING, category=Category.COMMITTEE, label=_("Board term ends soon"))
    kinds.register(TERM_ENDED, category=Category.COMMITTEE, label=_("Board term has ended"))
