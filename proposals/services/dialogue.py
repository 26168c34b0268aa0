"""The dialogue between the committee and the municipality, and the municipality's internal notes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.validators import past_date_problems
from notifications.services import notify

from .. import notifications as kinds
from ..models import (
    DIALOGUE_CLOSED,
    MUNICIPAL_STATES,
    EventKind,
    Message,
    Party,
    Proposal,
    ProposalEvent,
    State,
    message_length_problems,
)
from ..permissions import (
    is_municipal_staff,
    message_party,
    parties_of,
    reply_answers_question,
)
from ..selectors import (
    party_recipients,
)
from .common import _answer_open_requests, _record, _refresh_next_due, _without
from .transitions import proposal_transition


@transaction.atomic
def message_send(
    *, proposal: Proposal, actor, body: str, answer_by: datetime.date | None = None
) -> Message:
    """A message in the dialogue. It answers the other side's open requests; ``answer_by`` asks
    the other side for an answer by that day."""
    proposal = Proposal.objects.select_for_update().select_related("committee").get(pk=proposal.pk)
    if not parties_of(actor, proposal) - {Party.AUTHOR}:
        raise ValidationError(_("Only the committee and the municipality write in this dialogue."))
    party = message_party(actor, proposal)
    if party is None:
        raise ValidationError(DIALOGUE_CLOSED)
    if past := past_date_problems(answer_by):
        raise ValidationError({"answer_by": past})
    # The rule's own words for every message, not only the answer to a question (the model's
    # max_length would otherwise refuse in Django's words).
    if too_long := message_length_problems(body):
        raise ValidationError({"body": too_long})
    if reply_answers_question(proposal, party):
        # The committee's reply is its answer to the question: the case goes back to review.
        proposal_transition(proposal=proposal, actor=actor, to_state=State.IN_REVIEW, message=body)
        return Message.objects.filter(proposal=proposal, party=Party.COMMITTEE).latest("pk")
    now = timezone.now()
    message = Message(
        proposal=proposal,
        sender=actor,
        party=party,
        body=(body or "").strip(),
        answer_by=answer_by,
        created_at=now,
    )
    message.full_clean()
    _answer_open_requests(proposal, answering_party=party, at=now)
    message.save()
    if (
        party == Party.MUNICIPALITY
        and proposal.first_response_at is None
        and proposal.state in MUNICIPAL_STATES
    ):
        proposal.first_response_at = now
    _refresh_next_due(proposal)
    proposal.save(update_fields=["next_due", "first_response_at", "updated_at"])
    other = Party.MUNICIPALITY if party == Party.COMMITTEE else Party.COMMITTEE
    notify(
        recipients=_without(party_recipients(proposal, other) + [proposal.author], actor),
        kind=kinds.MESSAGE,
        context={
            "proposal": proposal,
            "party": party,
            "body": message.body,
            "answer_by": answer_by,
        },
        target=proposal,
        dedupe_key=f"proposal:{proposal.pk}:message:{message.pk}",
    )
    return message


@transaction.atomic
def internal_note_add(*, proposal: Proposal, actor, text: str) -> ProposalEvent:
    if not is_municipal_staff(actor):
        raise ValidationError(_("Only municipal staff write internal notes."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"message": _("Write the note.")})
    return _record(
        proposal,
        actor=actor,
        kind=EventKind.NOTE,
        party=Party.MUNICIPALITY,
        message=text,
        internal=True,
    )
