"""A proposal taken further by the committee in a higher app (a wish for a joint dugnad that
became one): a public line on the proposal's timeline, written here so the timeline stays the
proposals' own, and the case in progress (the committee's deadline no longer runs: it has acted).
When what it became is done (the dugnad held and reported), the case is completed. The higher app
tells the proposal's followers what it became itself, with its own kind."""

from django.db import transaction

from ..models import EventKind, Party, Proposal, ProposalEvent, State
from ..steps import TRANSITIONS
from .common import _record
from .transitions import proposal_transition


@transaction.atomic
def proposal_followed_up(*, proposal: Proposal, actor, message: str) -> ProposalEvent:
    """``message`` says what became of it ("Made into the dugnad “Vårdugnad”, 12.05.2027").
    From the committee's review, or after the municipality said yes, the case is in progress."""
    event = _record(
        proposal, actor=actor, kind=EventKind.FOLLOWED_UP, party=Party.COMMITTEE, message=message
    )
    if (proposal.state, State.IN_PROGRESS) in TRANSITIONS:
        proposal_transition(proposal=proposal, actor=actor, to_state=State.IN_PROGRESS)
    return event


@transaction.atomic
def proposal_follow_up_done(*, proposal: Proposal, actor) -> Proposal:
    """What the committee made of the proposal is done: a case in progress is completed."""
    proposal = Proposal.objects.get(pk=proposal.pk)
    if proposal.state == State.IN_PROGRESS:
        return proposal_transition(proposal=proposal, actor=actor, to_state=State.COMPLETED)
    return proposal
