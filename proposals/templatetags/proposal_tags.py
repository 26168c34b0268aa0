"""Template helpers for proposals: state colours, and the committee page's
list of proposals (committees may not import proposals, so the committee template asks here)."""

from django import template

from committees import permissions as committee_permissions
from core import formatting
from core.deadlines import is_overdue

from .. import deadlines, selectors
from ..models import State

register = template.Library()

STATE_COLORS = {
    State.DRAFT: "neutral",
    State.SUBMITTED: "info",
    State.COMMITTEE_REVIEW: "info",
    State.DECLINED: "danger",
    State.FORWARDED: "accent",
    State.RECEIVED: "accent",
    State.IN_REVIEW: "accent",
    State.INFO_REQUESTED: "warning",
    State.ACCEPTED: "success",
    State.PARTLY_ACCEPTED: "success",
    State.REJECTED: "danger",
    State.IN_PROGRESS: "accent",
    State.COMPLETED: "success",
    State.WITHDRAWN: "neutral",
}


register.filter("money", formatting.money)
register.filter("public_name", formatting.public_name)


@register.filter
def public_next_due(proposal):
    """The earliest running deadline everyone may see, as on the proposal's page: the deadlines
    messages set belong to the dialogue (``next_due`` includes them, for the review queue)."""
    running = deadlines.proposal_deadlines(proposal)
    return running[0].due if running else None


@register.filter
def overdue(due) -> bool:
    """``{% if due|overdue %}``: the one rule (``core.deadlines.is_overdue``)."""
    return is_overdue(due)


@register.filter
def state_color(state) -> str:
    return STATE_COLORS.get(state, "neutral")


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.inclusion_tag("proposals/_committee_proposals.html", takes_context=True)
def committee_proposals(context, committee, limit: int = 5):
    """The latest proposals to a committee (and its sub-committees), for its page."""
    return {
        "committee": committee,
        "proposals": selectors.committee_recent_proposals(committee=committee, limit=limit),
        "request": context.get("request"),
        "user": _user(context),
    }


@register.inclusion_tag("proposals/_committee_board_inbox.html", takes_context=True)
def committee_board_inbox(context, committee):
    """For the committee's board only: the link to its inbox with how many proposals wait for
    the committee (one query; nothing at all for everyone else)."""
    user = _user(context)
    is_board = user is not None and committee_permissions.is_board_member(user, committee)
    return {
        "committee": committee,
        "is_board": is_board,
        "waiting": selectors.committee_inbox_waiting_count(committee=committee) if is_board else 0,
    }
