"""Dugnads' sections on the committee page (``committees.sections.committee_page``).

Registered in ``DugnadsConfig.ready``: the committee page renders them without naming this app.
"""

from core.sections import context_user

from . import permissions, selectors

UPCOMING_LIMIT = 5


def upcoming_dugnads_context(context, committee) -> dict:
    """The committee's next dugnads (and its sub-committees'), at most ``UPCOMING_LIMIT`` in one
    query, and for its board the link to create one (the roles are cached on the user)."""
    user = context_user(context)
    return {
        "committee": committee,
        "dugnads": selectors.committee_upcoming_dugnads(committee=committee, limit=UPCOMING_LIMIT),
        "can_create": user is not None and permissions.can_create_dugnad(user, committee),
        "request": context.get("request"),
    }


def register() -> None:
    from committees.sections import committee_page

    committee_page.register("main", "dugnads/_committee_dugnads.html", upcoming_dugnads_context)
