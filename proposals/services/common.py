"""What several write modules share: the timeline entry, the next deadline, "not the actor"
and answering the other side's open questions."""

from .. import deadlines
from ..models import (
    EventKind,
    Message,
    Party,
    Proposal,
    ProposalEvent,
)


def _record(
    proposal,
    *,
    actor,
    kind=EventKind.TRANSITION,
    party="",
    from_state="",
    to_state="",
    message="",
    internal=False,
) -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        actor=actor,
        actor_party=party,
        from_state=from_state,
        to_state=to_state,
        message=message,
        is_internal=internal,
    )


def _refresh_next_due(proposal: Proposal) -> None:
    running = deadlines.proposal_deadlines(
        proposal, open_requests=deadlines.open_requests_for(proposal)
    )
    proposal.next_due = running[0].due if running else None


def _without(people, actor) -> list:
    return [p for p in people if actor is None or p.pk != actor.pk]


def _answer_open_requests(proposal: Proposal, *, answering_party: str, at) -> None:
    asking = Party.MUNICIPALITY if answering_party == Party.COMMITTEE else Party.COMMITTEE
    Message.objects.filter(
        proposal=proposal, party=asking, answer_by__isnull=False, answered_at__isnull=True
    ).update(answered_at=at)
