"""The one transition service: every change of a proposal's state, its clocks, its timeline
entry and who is told."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.services import notify

from .. import deadlines
from .. import notifications as kinds
from ..models import (
    DECIDED_STATES,
    MUNICIPAL_STATES,
    OUTCOMES,
    TRANSITIONS,
    Follow,
    Message,
    OfficialAnswer,
    Party,
    Proposal,
    ProposalEvent,
    ReferenceCounter,
    State,
)
from ..permissions import (
    is_dialogue_event,
    parties_of,
)
from ..selectors import (
    committee_recipients,
    follower_recipients,
    municipal_recipients,
)
from .common import _answer_open_requests, _record, _refresh_next_due, _without
from .drafts import _required_for_submit


def _next_reference(year: int) -> str:
    """NMU-2026-0001: one counter row per year, incremented atomically (safe in parallel)."""
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last_number) VALUES (%s, 1) "  # noqa: S608 (our table name)
            f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [year],
        )
        number = cursor.fetchone()[0]
    return f"{settings.PROPOSALS['REFERENCE_PREFIX']}-{year}-{number:04d}"


def _acting_party(parties: set, allowed: frozenset) -> str:
    for party in (Party.MUNICIPALITY, Party.COMMITTEE, Party.AUTHOR):
        if party in parties and party in allowed:
            return party
    return ""


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
    """Move a proposal to ``to_state`` if the table allows it and ``actor`` is a party that may.

    Sets the clocks the new state starts, records the timeline entry and tells the people who
    should know. ``due`` sets the committee's deadline when information is requested (default
    from settings). Decisions need the official ``answer`` and come through ``answer_publish``.
    """
    proposal = Proposal.objects.select_for_update().select_related("committee").get(pk=proposal.pk)
    from_state = proposal.state
    transition = TRANSITIONS.get((from_state, to_state))
    if transition is None:
        raise ValidationError(
            _("A proposal cannot go from “%(old)s” to “%(new)s”.")
            % {"old": State(from_state).label, "new": State(to_state).label}
        )
    parties = parties_of(actor, proposal) if actor is not None else set()
    party = _acting_party(parties, transition.by)
    if not party:
        raise ValidationError(_("You are not allowed to make this change to the proposal."))
    message = (message or "").strip()
    if to_state in OUTCOMES:
        if answer is None or answer.outcome != to_state or answer.proposal_id != proposal.pk:
            raise ValidationError(_("A decision needs a published official answer."))
    elif transition.message_required and not message:
        raise ValidationError(
            {"message": str(MESSAGE_REQUIRED.get(to_state, _("Write a message.")))}
        )
    if len(message) > 5000:
        raise ValidationError({"message": _("The message can be at most 5,000 characters.")})

    now = timezone.now()
    today = timezone.localdate()
    if to_state == State.SUBMITTED:
        errors = _required_for_submit(proposal)
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
        if due is not None and due < today:
            raise ValidationError({"due": _("The deadline cannot be in the past.")})
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

    proposal.state = to_state
    _refresh_next_due(proposal)
    proposal.full_clean()
    proposal.save()
    event = _record(
        proposal,
        actor=actor,
        party=party,
        from_state=from_state,
        to_state=to_state,
        message=message,
    )
    if to_state == State.INFO_REQUESTED:
        # The question is also a line of the dialogue; its deadline is ``info_due``.
        Message.objects.create(
            proposal=proposal, sender=actor, party=Party.MUNICIPALITY, body=message
        )
    elif from_state == State.INFO_REQUESTED and to_state == State.IN_REVIEW:
        _answer_open_requests(proposal, answering_party=Party.COMMITTEE, at=now)
        Message.objects.create(proposal=proposal, sender=actor, party=Party.COMMITTEE, body=message)
        _refresh_next_due(proposal)
        proposal.save(update_fields=["next_due"])
    if to_state == State.SUBMITTED:
        Follow.objects.get_or_create(proposal=proposal, user=proposal.author)
    _notify_transition(proposal, event=event, actor=actor)
    return proposal


MESSAGE_REQUIRED = {
    State.DECLINED: gettext_lazy("Write the reason the committee declines the proposal."),
    State.INFO_REQUESTED: gettext_lazy("Write the question to the committee."),
    State.IN_REVIEW: gettext_lazy("Write the committee's answer to the municipality."),
}


def _notify_transition(proposal: Proposal, *, event: ProposalEvent, actor) -> None:
    to_state = event.to_state
    context = {"proposal": proposal, "event": event}
    key = f"proposal:{proposal.pk}:event:{event.pk}"
    if to_state == State.SUBMITTED:
        notify(
            recipients=_without(committee_recipients(proposal), actor),
            kind=kinds.NEW_IN_INBOX,
            context=context,
            target=proposal,
            dedupe_key=key,
        )
        return
    if to_state == State.FORWARDED:
        notify(
            recipients=_without(municipal_recipients(proposal), actor),
            kind=kinds.NEW_CASE,
            context=context,
            target=proposal,
            dedupe_key=key + ":case",
        )
    elif to_state == State.INFO_REQUESTED:
        notify(
            recipients=_without(committee_recipients(proposal), actor),
            kind=kinds.INFO_REQUESTED,
            context=context,
            target=proposal,
            dedupe_key=key + ":question",
        )
    elif to_state == State.WITHDRAWN:
        # Whoever was working on the case hears that it is withdrawn, follower or not.
        people = committee_recipients(proposal)
        if event.from_state in MUNICIPAL_STATES:
            people += municipal_recipients(proposal)
        following = {user.pk for user in follower_recipients(proposal)}  # told below
        notify(
            recipients=[p for p in _without(people, actor) if p.pk not in following],
            kind=kinds.STATUS_CHANGED,
            context=context,
            target=proposal,
            dedupe_key=key + ":parties",
        )
    elif event.from_state == State.INFO_REQUESTED and to_state == State.IN_REVIEW:
        notify(
            recipients=_without(municipal_recipients(proposal), actor),
            kind=kinds.MESSAGE,
            context={**context, "party": Party.COMMITTEE, "body": event.message},
            target=proposal,
            dedupe_key=key + ":answer",
        )
    if to_state in DECIDED_STATES:
        notify(
            # The author is told of the answer even after they stopped following the proposal.
            recipients=_without(
                [proposal.author] + follower_recipients(proposal) + committee_recipients(proposal),
                actor,
            ),
            kind=kinds.ANSWER_PUBLISHED,
            context=context,
            target=proposal,
            dedupe_key=key,
        )
        return
    notify(
        recipients=_without(follower_recipients(proposal), actor),
        kind=kinds.STATUS_CHANGED,
        # Anyone may follow: a line of the dialogue (a question, its answer) is not theirs.
        context={**context, "message": "" if is_dialogue_event(event) else event.message},
        target=proposal,
        dedupe_key=key,
    )


def proposal_submit(*, proposal: Proposal, actor) -> Proposal:
    return proposal_transition(proposal=proposal, actor=actor, to_state=State.SUBMITTED)
