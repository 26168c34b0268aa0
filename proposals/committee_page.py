"""Proposals' sections on the committee page (committees.sections.committee_page).

Registered in ``ProposalsConfig.ready``: the committee page renders them without naming this app.
"""

from committees import permissions as committee_permissions
from core.sections import context_user

from . import selectors

RECENT_LIMIT = 5


def board_inbox_context(context, committee) -> dict:
    """For the committee's board only: the link to its inbox with how many proposals wait for
    the committee (one query; nothing at all for everyone else)."""
    user = context_user(context)
    is_board = user is not None and committee_permissions.is_board_member(user, committee)
    return {
        "committee": committee,
        "is_board": is_board,
        "waiting": selectors.committee_inbox_waiting_count(committee=committee) if is_board else 0,
    }


def recent_proposals_context(context, committee) -> dict:
    """The latest proposals to a committee (and its sub-committees), for its page."""
    return {
        "committee": committee,
        "proposals": selectors.committee_recent_proposals(committee=committee, limit=RECENT_LIMIT),
        "request": context.get("request"),
        "user": context_user(context),
    }


def register() -> None:
    from committees.sections import committee_page

    committee_page.register("top", "proposals/_committee_board_inbox.html", board_inbox_context)
    committee_page.register("main", "proposals/_committee_proposals.html", recent_proposals_context)
