"""Template helpers of the dugnads' public pages."""

from django import template
from django.utils import timezone

from core.formatting import local_zone

from ..rules import free_places
from ..states import ResourceState, State

register = template.Library()

# The colour only repeats what the tag's text says (WCAG 1.4.1).
STATE_COLORS = {
    State.DRAFT: "neutral",
    State.PUBLISHED: "info",
    State.CANCELLED: "danger",
    State.COMPLETED: "success",
    State.REPORTED: "success",
}
RESOURCE_COLORS = {
    ResourceState.REQUESTED: "warning",
    ResourceState.CONFIRMED: "success",
    ResourceState.DECLINED: "danger",
}


@register.filter
def state_color(state) -> str:
    return STATE_COLORS.get(state, "neutral")


@register.filter
def resource_color(state) -> str:
    return RESOURCE_COLORS.get(state, "neutral")


@register.filter
def same_local_day(starts_at, ends_at) -> bool:
    """Whether a dugnad ends on the day it starts in local time, so its end is written as a time
    only ("10:00–14:00") and not with a date of its own."""
    if not starts_at or not ends_at:
        return False
    zone = local_zone()
    return timezone.localtime(starts_at, zone).date() == timezone.localtime(ends_at, zone).date()


@register.filter
def places_left(dugnad) -> int | None:
    """Places anyone can still take, of a dugnad annotated by ``selectors.with_people`` (None: no
    limit). While people wait, none: a freed place is kept for the first party on the waiting
    list (the waiting-list rule, services.signups), so a list showing "1 place left" would
    promise what a new sign-up cannot get."""
    return free_places(
        capacity=dugnad.capacity,
        confirmed=getattr(dugnad, "people_confirmed", 0) or 0,
        waiting=getattr(dugnad, "people_waiting", 0) or 0,
    )
