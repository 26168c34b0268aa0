"""A proposal taken further by the committee in a higher app (a wish for a joint dugnad that
became one): a public line on the proposal's timeline, written here so the timeline stays the
proposals' own. The higher app tells the proposal's followers itself, with its own kind."""

from django.db import transaction

from ..models import EventKind, Party, Proposal, ProposalEvent
from .common import _record


@transaction.atomic
def proposal_followed_up(*, proposal: Proposal, actor, message: str) -> ProposalEvent:
    """``message`` says what became of it ("Made into the dugnad “Vårdugnad”, 12.05.2027")."""
    return _record(
        proposal, actor=actor, kind=EventKind.FOLLOWED_UP, party=Party.COMMITTEE, message=message
    )
