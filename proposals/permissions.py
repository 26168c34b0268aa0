"""Who may do what with a proposal: pure functions of the user, the proposal and its committee.

The parties (author, committee, municipality) decide which steps a user may take; the step
table (``proposals.steps.TRANSITIONS``) says which party may take which. Views check here; the
services check the same parties again, so no interface can change a case it does not own.
"""

from committees import permissions as committee_permissions
from committees.staff import is_municipal_staff  # the one staff rule; callers here use it too

from .models import (
    DIALOGUE_STATES,
    SUPPORTABLE_STATES,
    EventKind,
    Party,
    Proposal,
    State,
)
from .steps import TRANSITIONS, allowed_targets


def parties_of(user, proposal: Proposal) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    parties = set()
    if proposal.author_id == user.pk:
        parties.add(Party.AUTHOR)
    if committee_permissions.is_board_member(user, proposal.committee):
        parties.add(Party.COMMITTEE)
    if is_municipal_staff(user):
        parties.add(Party.MUNICIPALITY)
    return parties


def can_view_proposal(user, proposal: Proposal) -> bool:
    if proposal.state != State.DRAFT:
        return True
    return user.is_authenticated and proposal.author_id == user.pk


def can_edit_draft(user, proposal: Proposal) -> bool:
    return proposal.state == State.DRAFT and user.is_authenticated and proposal.author_id == user.pk


def can_create_proposal(user) -> bool:
    return user.is_authenticated and user.is_active


def can_transition(user, proposal: Proposal, to_state: str) -> bool:
    return to_state in allowed_targets(proposal.state, parties_of(user, proposal))


def can_support(user, proposal: Proposal) -> bool:
    return user.is_authenticated and user.is_active and proposal.state in SUPPORTABLE_STATES


def can_follow(user, proposal: Proposal) -> bool:
    return user.is_authenticated and user.is_active and proposal.state != State.DRAFT


def can_view_dialogue(user, proposal: Proposal) -> bool:
    """The dialogue is between the committee and the municipality; the author reads along."""
    return proposal.state != State.DRAFT and bool(parties_of(user, proposal))


def is_dialogue_event(event) -> bool:
    """A timeline entry whose message is a line of the dialogue: the municipality's request for
    information and the committee's answer to it (the steps whose message the table calls
    private). Its text is for those who see the dialogue, not for the public timeline or the
    followers."""
    if event.kind != EventKind.TRANSITION:
        return False
    step = TRANSITIONS.get((event.from_state, event.to_state))
    return step is not None and step.message_private


def message_party(user, proposal: Proposal) -> str | None:
    """The side a user writes for in the dialogue (the committee first when someone is both);
    None when the user may not write, or the case is not (or no longer) with the municipality."""
    if proposal.state not in DIALOGUE_STATES:
        return None
    parties = parties_of(user, proposal)
    if Party.COMMITTEE in parties:
        return Party.COMMITTEE
    if Party.MUNICIPALITY in parties:
        return Party.MUNICIPALITY
    return None


def reply_answers_question(proposal: Proposal, party: str | None) -> bool:
    """While the municipality waits for information, the committee's message is its answer
    (the service moves the case back to review; the page says so before it is sent)."""
    return proposal.state == State.INFO_REQUESTED and party == Party.COMMITTEE


def can_view_inbox(user, committee) -> bool:
    return committee_permissions.is_board_member(user, committee)
