"""An agreement's life: created (as a draft, perhaps from a take-over proposal), and every step
of its step table (``agreements.steps.TRANSITIONS``) through ``core.steps.take_step``."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.deadlines import add_months
from core.steps import take_step, tell
from notifications.services import notify

from ..models import Agreement, AgreementCounter, AgreementEvent, Party, State
from ..permissions import can_draft_agreements, parties_of
from ..selectors import (
    board_recipients,
    department_recipients,
    leader_recipients,
    proposal_follower_recipients,
)
from ..steps import BOARD, DEPARTMENT, LEADER, PROPOSAL_FOLLOWERS, TRANSITIONS

AUDIENCES = {
    LEADER: lambda agreement, event: leader_recipients(agreement),
    BOARD: lambda agreement, event: board_recipients(agreement),
    DEPARTMENT: lambda agreement, event: department_recipients(agreement.department),
    PROPOSAL_FOLLOWERS: lambda agreement, event: proposal_follower_recipients(agreement),
}

NUMBER_PREFIX = "AVT"


def next_number(year: int) -> str:
    """AVT-2026-001: one counter row per year, taken atomically (safe in parallel)."""
    return f"{NUMBER_PREFIX}-{year}-{AgreementCounter.next_number(year):03d}"


def lock(agreement: Agreement) -> Agreement:
    """The agreement's row only (``of=self``): the committee's row stays free."""
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("committee", "department", "origin_proposal")
        .get(pk=agreement.pk)
    )


def record(agreement: Agreement, *, kind: str, actor, party: str, message: str = ""):
    """A timeline line that is not a step (a signature, a change of terms, a payment)."""
    return AgreementEvent.objects.create(
        agreement=agreement,
        kind=kind,
        actor=actor,
        actor_party=party,
        from_state=agreement.state,
        to_state=agreement.state,
        message=message,
    )


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """From the first of next month, for a year."""
    first = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first, add_months(first, 12) - datetime.timedelta(days=1)


@transaction.atomic
def agreement_create(*, committee, department, actor, proposal=None, **fields) -> Agreement:
    """A draft agreement between ``committee`` and ``department``, numbered AVT-YYYY-NNN.
    Municipal staff draft agreements (the municipality's own contract); both parties see it."""
    if actor is not None and not can_draft_agreements(actor):
        raise ValidationError(_("Only municipal staff can draft an agreement."))
    today = timezone.localdate()
    if not fields.get("starts_on") or not fields.get("ends_on"):
        starts, ends = default_period(today)
        fields.setdefault("starts_on", starts)
        fields.setdefault("ends_on", ends)
    agreement = Agreement(
        committee=committee,
        department=department,
        origin_proposal=proposal,
        created_by=actor,
        number=next_number(today.year),
        **fields,
    )
    agreement.full_clean()
    agreement.save()
    AgreementEvent.objects.create(
        agreement=agreement,
        kind=AgreementEvent.Kind.TRANSITION,
        actor=actor,
        actor_party=Party.MUNICIPALITY,
        to_state=State.DRAFT,
    )
    return agreement


def agreement_create_from_proposal(*, proposal, actor, department=None) -> Agreement:
    """ "Lag avtaleutkast": a draft pre-filled from an accepted take-over proposal (its task,
    place, season, hours and compensation), linked both ways. Written in ``services.drafting``."""
    from .drafting import draft_from_proposal

    return draft_from_proposal(proposal=proposal, actor=actor, department=department)


def notify_step(agreement: Agreement, *, actor, key: str, context: dict | None = None):
    """The hook ``take_step`` calls: the step's notices to the table's audiences."""

    def hook(*, step, event):
        tell(
            step=step,
            obj=agreement,
            event=event,
            actor=actor,
            audiences=AUDIENCES,
            send=notify,
            context={"agreement": agreement, **(context or {})},
            key=f"{key}:{event.pk}",
        )

    return hook


@transaction.atomic
def agreement_transition(
    *,
    agreement: Agreement,
    actor,
    to_state: str,
    message: str = "",
    parties: set[str] | None = None,
    change=None,
) -> Agreement:
    """Take the step to ``to_state`` if the table has it and ``actor`` is a party that may.

    ``parties`` is given only by this app's services for steps they take as a consequence of
    something else (a signature, the daily follow-up: ``{Party.SYSTEM}``); a person's parties
    are worked out from who they are. ``change(agreement=, step=, party=, message=)`` applies the
    calling service's own rules before the row is validated and saved."""
    agreement = lock(agreement)
    if parties is None:
        parties = parties_of(actor, agreement) if actor is not None else set()
        step = TRANSITIONS.step(agreement.state, to_state)
        if step.by_service:
            raise ValidationError(str(TRANSITIONS.refused))

    def apply(*, step, party, message):
        if change is not None:
            change(agreement=agreement, step=step, party=party, message=message)

    take_step(
        table=TRANSITIONS,
        obj=agreement,
        to_state=to_state,
        actor=actor,
        parties=parties,
        message=message,
        change=apply,
        record=lambda **fields: AgreementEvent.objects.create(
            agreement=agreement, kind=AgreementEvent.Kind.TRANSITION, **fields
        ),
        notify=notify_step(agreement, actor=actor, key=f"agreement:{agreement.pk}:step"),
    )
    return agreement


def agreement_send(*, agreement: Agreement, actor) -> Agreement:
    """Send for signing: the agreement needs at least one task first."""

    def change(*, agreement, step, party, message):
        if not agreement.tasks.exists():
            raise ValidationError(_("Add at least one task before sending the agreement."))

    return agreement_transition(
        agreement=agreement, actor=actor, to_state=State.SENT, change=change
    )


def termination_day(agreement: Agreement, *, today: datetime.date) -> datetime.date:
    """A termination takes effect at the end of the notice period (or the agreement's own end,
    if that comes first)."""
    return min(agreement.ends_on, add_months(today, agreement.notice_months))


def agreement_terminate(*, agreement: Agreement, actor, reason: str) -> Agreement:
    """Either party terminates, with a reason, after notice: it ends on ``termination_day``;
    payments and report duties after that day are cancelled (``services.payments``)."""

    def change(*, agreement, step, party, message):
        agreement.terminated_on = termination_day(agreement, today=timezone.localdate())

    agreement = agreement_transition(
        agreement=agreement,
        actor=actor,
        to_state=State.TERMINATED,
        message=reason,
        change=change,
    )
    from .payments import cancel_after

    cancel_after(agreement=agreement, day=agreement.terminated_on)
    return agreement
