"""Template helpers for proposals: state colours and the deadline everyone may see.

The committee page's proposal sections are not tags here: proposals registers them on the page's
seam (proposals/committee_page.py, committees/sections.py)."""

from django import template

from core import formatting
from core.deadlines import is_overdue

from .. import deadlines
from ..models import State
from ..sections import inbox_row, proposal_page

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


@register.simple_tag(takes_context=True)
def proposal_inbox_row_sections(context, slot, proposal):
    """``{% proposal_inbox_row_sections "actions" p %}``: what higher apps add to an inbox row
    (proposals/sections.py)."""
    return inbox_row.render(slot, context, proposal)


@register.simple_tag(takes_context=True)
def proposal_page_sections(context, slot, proposal):
    """``{% proposal_page_sections "top" proposal %}``: what higher apps add to the page."""
    return proposal_page.render(slot, context, proposal)
