"""The notification category and kinds the committees app sends (in ``CommitteesConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from notifications import categories, kinds

# The topic people choose how often to hear about (Min side → Varsler → Innstillinger).
CATEGORY = "committee"
# News from the committees a person follows: a new proposal now, dugnads and agreements when
# those apps come. Its own topic, so a resident can hear of news weekly and of a board role at once.
FOLLOWING = "committee_following"

BOARD_ADDED = "committee.board_added"
BOARD_REMOVED = "committee.board_removed"
TERM_ENDING = "committee.term_ending"
TERM_ENDED = "committee.term_ended"
# A board member (or follower) given another role on the board by the leader.
BOARD_ROLE_GIVEN = "committee.board_role_given"
# An invitation to join a board (to an account with the address), and its answer (to the leader).
BOARD_INVITATION = "committee.board_invitation"
BOARD_INVITATION_ANSWERED = "committee.board_invitation_answered"

# A board term's reminder goes out this many days before the term ends.
TERM_REMINDER_DAYS = 30
# The daily follow-up looks this far back, so a missed day (or week) is caught up.
TERM_ENDED_LOOKBACK_DAYS = 14


def register() -> None:
    categories.register_category(
        CATEGORY,
        label=_("Committees and board roles"),
        help_text=_("Your roles on committee boards, and board terms that are ending."),
        order=40,
    )
    categories.register_category(
        FOLLOWING,
        label=_("Committees you follow"),
        help_text=_("News from the committees you follow, such as new proposals."),
        order=30,
    )
    kinds.register(BOARD_ADDED, category=CATEGORY, label=_("Added to a board"))
    kinds.register(BOARD_REMOVED, category=CATEGORY, label=_("Board membership ended"))
    kinds.register(TERM_ENDING, category=CATEGORY, label=_("Board term ends soon"), personal=True)
    kinds.register(TERM_ENDED, category=CATEGORY, label=_("Board term has ended"), personal=True)
    kinds.register(BOARD_ROLE_GIVEN, category=CATEGORY, label=_("New role on a board"))
    kinds.register(BOARD_INVITATION, category=CATEGORY, label=_("Invitation to join a board"))
    kinds.register(
        BOARD_INVITATION_ANSWERED, category=CATEGORY, label=_("Answer to a board invitation")
    )


def register_news_kind(key: str, *, label):
    """Register a higher app's kind of news for a committee's followers (a new proposal; a new
    dugnad or agreement when those apps come), in the ``FOLLOWING`` category: followers choose
    once how often they hear what is new in the committees they follow, whatever app it comes
    from. Who they are: ``committees.selectors.committee_follower_users``."""
    return kinds.register(key, category=FOLLOWING, label=label)
