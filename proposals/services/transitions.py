"""The one transition service: every change of a proposal's state goes through
``core.steps.take_step`` with the proposal's step table (``proposals.steps.TRANSITIONS``), which
says who may take each step and who hears of it; here are the clocks each state starts and the
recipients each audience name means."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.steps import take_step, tell
from core.validators import past_date_problems
from notifications.services import notify

from .. import deadlines
from ..models import (
    DECIDED_STATES,
    OUTCOMES,
    EventKind,
    Follow,
    Message,
    OfficialAnswer,
    Party,
    Proposal,
    ProposalEvent,
    ReferenceCounter,
    State,
    message_length_problems,
    submit_problems,
)
from ..permissions import parties_of
from ..selectors import (
    committee_follower_recipients,
    committee_recipients,
    follower_recipients,
    municipal_recipients,
)
from ..steps import AUTHOR, BOARD, COMMITTEE_FOLLOWERS, FOLLOWERS, MUNICIPALITY, TRANSITIONS
from .common import _answer_open_requests, _refresh_next_due


def _next_reference(year: int) -> str:
    """NMU-2026-0001: one counter row per year, incremented atomically (safe in parallel)."""
    number = ReferenceCounter.next_number(year)
    return f"{settings.PROPOSALS['REFERENCE_PREFIX']}-{year}-{number:04d}"


# Audience names in the step table -> who they are for a case (the recipient selectors).
AUDIENCES = {
    AUTHOR: lambda proposal, event: [proposal.author],
    FOLLOWERS: lambda proposal, event: follower_recipients(proposal),
    BOARD: lambda proposal, event: committee_recipients(proposal),
    MUNICIPALITY: lambda proposal, event: municipal_recipients(proposal),
    COMMITTEE_FOLLOWERS: lambda proposal, event: committee_follower_recipients(proposal),
}


@transaction.atomic
def proposal_transition(
    *,
    proposal: Proposal,
    actor,
    to_state: str,
    message: str = "",
    due: datetime.date | None = None,
    answer: OfficialAnswer | None = None,
) -> Proposal:
    """Take the step to ``to_state`` if the step table (``proposals.steps.TRANSITIONS``) has it
    and ``actor`` is a party that may (``core.steps.take_step`` checks, records and tells).

    Sets the clocks the new state starts, records the timeline entry and tells the people the
    table names. ``due`` sets the committee's deadline when information is requested (default
    from settings). Decisions need the official ``answer`` and come through ``answer_publish``.
    """
    proposal = Proposal.objects.select_for_update().select_related("committee").get(pk=proposal.pk)
    from_state = proposal.state
    now = timezone.now()

    def change(*, step, party, message):
        """The proposal's own rules for the step, and the clocks the new state starts."""
        if to_state in OUTCOMES and (
            answer is None or answer.outcome != to_state or answer.proposal_id != proposal.pk
        ):
            raise ValidationError(_("A decision needs a published official answer."))
        if too_long := message_length_problems(message):
            raise ValidationError({"message": too_long})
        today = timezone.localdate()
        if to_state == State.SUBMITTED:
            errors = submit_problems(proposal)
            if errors:
                raise ValidationError(errors)
            proposal.reference = proposal.reference or _next_reference(today.year)
            proposal.submitted_at = now
            proposal.committee_due = deadlines.committee_due(today)
        elif to_state == State.FORWARDED:
            proposal.forwarded_at = now
            proposal.preliminary_due = deadlines.preliminary_due(today)
            if not proposal.is_citizen_proposal:
                proposal.decision_due = deadlines.decision_due(today)
        elif to_state == State.INFO_REQUESTED:
            if past := past_date_problems(due, today=today):
                raise ValidationError({"due": past})
            proposal.info_due = due or deadlines.info_due(today)
        elif to_state in DECIDED_STATES:
            proposal.decided_at = now
        elif to_state == State.COMPLETED:
            proposal.completed_at = now
        if (
            party == Party.MUNICIPALITY
            and proposal.first_response_at is None
            and to_state != State.FORWARDED
        ):
            proposal.first_response_at = now
        _refresh_next_due(proposal)

    def after(*, step, event):
        """What else the step leaves: the question and its answer are lines of the dialogue."""
        if to_state == State.INFO_REQUESTED:
            # Its deadline is ``info_due``.
            Message.objects.create(
                proposal=proposal, sender=actor, party=Party.MUNICIPALITY, body=event.message
            )
        elif from_state == State.INFO_REQUESTED and to_state == State.IN_REVIEW:
            _answer_open_requests(proposal, answering_party=Party.COMMITTEE, at=now)
            Message.objects.create(
                proposal=proposal, sender=actor, party=Party.COMMITTEE, body=event.message
            )
            _refresh_next_due(proposal)
            proposal.save(update_fields=["next_due"])
        if to_state == State.SUBMITTED:
            Follow.objects.get_or_create(proposal=proposal, user=proposal.author)

    def tell_people(*, step, event):
        tell(
            step=step,
            obj=proposal,
            event=event,
            actor=actor,
            audiences=AUDIENCES,
            send=notify,
            context={"proposal": proposal, "event": event},
            key=f"proposal:{proposal.pk}:event:{event.pk}",
        )

    take_step(
        table=TRANSITIONS,
        obj=proposal,
        to_state=to_state,
        actor=actor,
        parties=parties_of(actor, proposal) if actor is not None else set(),
        message=message,
        change=change,
        record=lambda **fields: ProposalEvent.objects.create(
            proposal=proposal, kind=EventKind.TRANSITION, **fields
        ),
        after=after,
        notify=tell_people,
    )
    return proposal


def proposal_submit(*, proposal: Proposal, actor) -> Proposal:
    return proposal_transition(proposal=proposal, actor=actor, to_state=State.SUBMITTED)
