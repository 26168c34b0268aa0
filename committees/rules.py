"""What someone may change about their own place on a committee's board, on the site.

The rule is written once here and used twice: ``services.membership_update`` refuses a change
with these codes, and ``forms.MembershipForm`` shows the same fields read-only (and gives itself
back with the same words if they are posted anyway).

Why: a leader edits the board on the site, and their own membership is on that board. Left to
themselves they could extend their own leadership indefinitely or end it without a handover.
docs/committees.md says a leader cannot end or change their own leadership on the site; the
municipality does it in the admin (which does not go through this rule).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Membership

OWN_ROLE = "own_role"
OWN_TERM = "own_term"

TERM_FIELDS = ("term_start", "term_end")

OWN_ROLE_MESSAGE = _("You cannot change your own role here.")
OWN_TERM_MESSAGE = _(
    "You cannot change or end your own term as leader here. To extend it or hand over, "
    "contact the municipality, which changes it for you."
)


def own_membership_locked_fields(*, membership: Membership, actor) -> set[str]:
    """The fields of ``membership`` that ``actor`` may not change on the site: none of someone
    else's; of their own, the role and the term (start and end). ``actor=None`` is the system
    (the demo data, a script), which the rule does not limit."""
    if actor is None or membership.user_id != actor.pk:
        return set()
    return {"role", *TERM_FIELDS}


def own_membership_problems(
    *,
    stored: Membership,
    actor,
    role: str,
    term_start: datetime.date,
    term_end: datetime.date | None,
) -> dict[str, list[ValidationError]]:
    """Why ``actor`` may not make these changes to ``stored`` (the membership as saved), by
    field; empty when they may. Fields left as they are never count against the actor."""
    locked = own_membership_locked_fields(membership=stored, actor=actor)
    problems: dict[str, list[ValidationError]] = {}
    if "role" in locked and role != stored.role:
        problems["role"] = [ValidationError(OWN_ROLE_MESSAGE, code=OWN_ROLE)]
    new_term = {"term_start": term_start, "term_end": term_end}
    for field in TERM_FIELDS:
        if field in locked and new_term[field] != getattr(stored, field):
            problems[field] = [ValidationError(OWN_TERM_MESSAGE, code=OWN_TERM)]
    return problems


# --- The committee page -------------------------------------------------------------------------

DESCRIPTION_REQUIRED = "description_required"
DESCRIPTION_REQUIRED_MESSAGE = _(
    "Write a few words about the committee: what it works on and for whom. It is the first "
    "thing residents read on its page."
)


def committee_details_problems(*, description: str) -> dict[str, list[ValidationError]]:
    """Why the leader's edit of the committee page cannot be saved (empty when it can).

    The page's description may not be emptied: a blank post (a broken or tampered form, which
    still carries its CSRF token) must give errors, not wipe the page. The admin, which keeps
    the register, may leave it empty for a committee that is still forming."""
    if not (description or "").strip():
        return {
            "description": [
                ValidationError(DESCRIPTION_REQUIRED_MESSAGE, code=DESCRIPTION_REQUIRED)
            ]
        }
    return {}
