"""A dugnad's life: created (as a draft, perhaps from a proposal), changed, and every step of
its step table (``dugnads.steps.TRANSITIONS``) through ``core.steps.take_step``."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.steps import take_step, tell
from notifications.services import notify

from .. import notifications as kinds
from ..models import EDITABLE_STATES, Dugnad, DugnadEvent, Party, ResourceState, State
from ..permissions import can_create_dugnad, parties_of
from ..rules import default_resources_due
from ..selectors import (
    board_recipients,
    committee_followers,
    department_recipients,
    guest_signups,
    organiser_recipients,
    participant_recipients,
)
from ..steps import BOARD, COMMITTEE_FOLLOWERS, DEPARTMENTS, ORGANISERS, PARTICIPANTS, TRANSITIONS
from .participants import guest_mail_queue, tell_participants

logger = logging.getLogger(__name__)

AUDIENCES = {
    ORGANISERS: lambda dugnad, event: organiser_recipients(dugnad),
    BOARD: lambda dugnad, event: board_recipients(dugnad),
    PARTICIPANTS: lambda dugnad, event: participant_recipients(dugnad),
    DEPARTMENTS: lambda dugnad, event: department_recipients(dugnad),
    COMMITTEE_FOLLOWERS: lambda dugnad, event: committee_followers(dugnad),
}

# What, when changed on a published dugnad, the participants must hear of (and calendars see).
NOTIFIED_FIELDS = ("starts_at", "ends_at", "meeting_point")
CALENDAR_FIELDS = (*NOTIFIED_FIELDS, "title", "description", "latitude", "longitude")


def _lock(dugnad: Dugnad) -> Dugnad:
    """The dugnad's row only (``of=self``): the committee's row stays free for its other dugnads."""
    return (
        Dugnad.objects.select_for_update(of=("self",)).select_related("committee").get(pk=dugnad.pk)
    )


@transaction.atomic
def dugnad_create(*, committee, actor, proposal=None, **fields) -> Dugnad:
    """A draft dugnad of ``committee``, its creator its first organiser. From a resident's
    proposal of kind "wish for a joint dugnad" (``proposal``): linked both ways; the proposal's
    timeline and followers learn of it when the dugnad is published."""
    if not can_create_dugnad(actor, committee):
        raise ValidationError(_("Only the committee's board can create a dugnad."))
    dugnad = Dugnad(committee=committee, created_by=actor, origin_proposal=proposal, **fields)
    if dugnad.starts_at and not dugnad.resources_due:
        dugnad.resources_due = default_resources_due(dugnad.starts_at)
    dugnad.full_clean()
    dugnad.save()
    dugnad.organisers.add(actor)
    return dugnad


def _tell_the_proposal(*, proposal, actor, dugnad: Dugnad) -> None:
    """The proposal's timeline says what became of it, and its followers hear of the dugnad
    (its author among them), once it is published: a draft is the board's own, and its page
    would be a 404 to them."""
    from django.utils.formats import date_format

    from proposals import selectors as proposal_selectors
    from proposals import services as proposal_services

    when = date_format(timezone.localtime(dugnad.starts_at), "SHORT_DATE_FORMAT")
    proposal_services.proposal_followed_up(
        proposal=proposal,
        actor=actor,
        message=_("The committee is making a dugnad of this proposal: “%(title)s”, %(date)s.")
        % {"title": dugnad.title, "date": when},
    )
    notify(
        recipients=[
            person
            for person in proposal_selectors.follower_recipients(proposal)
            if person.pk != actor.pk
        ],
        kind=kinds.FROM_PROPOSAL,
        context={"dugnad": dugnad, "proposal": proposal},
        target=proposal,
        dedupe_key=f"dugnad:{dugnad.pk}:from_proposal:{proposal.pk}",
    )


@transaction.atomic
def dugnad_update(*, dugnad: Dugnad, actor, **fields) -> Dugnad:
    """Change a draft or a published dugnad. On a published one, a new time or place is a
    timeline entry and every participant hears of it (a calendar sees a new version); reminders
    are worked out from the row, so none for the old time is left behind."""
    dugnad = _lock(dugnad)
    if Party.COMMITTEE not in parties_of(actor, dugnad):
        raise ValidationError(_("You are not allowed to change this dugnad."))
    if dugnad.state not in EDITABLE_STATES:
        raise ValidationError(
            _("A dugnad that has taken place or was cancelled cannot be changed.")
        )
    old = {name: getattr(dugnad, name) for name in CALENDAR_FIELDS}
    old_default_due = dugnad.starts_at and default_resources_due(dugnad.starts_at)
    old_capacity = dugnad.capacity
    for name, value in fields.items():
        setattr(dugnad, name, value)
    if "resources_due" not in fields and dugnad.resources_due == old_default_due:
        dugnad.resources_due = default_resources_due(dugnad.starts_at)
    dugnad.full_clean()
    if (
        dugnad.state == State.PUBLISHED
        and dugnad.starts_at != old["starts_at"]
        and dugnad.starts_at <= timezone.now()
    ):
        # Participants could no longer cancel, and the portal would mark it held at once.
        raise ValidationError({"starts_at": _("A published dugnad cannot be moved into the past.")})
    moved = [name for name in NOTIFIED_FIELDS if getattr(dugnad, name) != old[name]]
    if any(getattr(dugnad, name) != old[name] for name in CALENDAR_FIELDS):
        dugnad.sequence += 1
    dugnad.save()
    if dugnad.state == State.PUBLISHED and moved:
        event = DugnadEvent.objects.create(
            dugnad=dugnad,
            kind=DugnadEvent.Kind.CHANGED,
            actor=actor,
            actor_party=Party.COMMITTEE,
            from_state=dugnad.state,
            to_state=dugnad.state,
        )
        tell_participants(
            dugnad=dugnad,
            kind=kinds.CHANGED,
            dedupe_key=f"dugnad:{dugnad.pk}:changed:{event.pk}",
            context={"changed": moved},
        )
        _ask_again(dugnad=dugnad, event=event)
    if dugnad.capacity != old_capacity and dugnad.state == State.PUBLISHED:
        from .signups import promote_from_waitlist

        promote_from_waitlist(dugnad=dugnad)
    return dugnad


def _ask_again(*, dugnad: Dugnad, event: DugnadEvent) -> None:
    """A new time or place undoes the municipality's answers: a container confirmed for
    Saturday at the school is not confirmed for Sunday at the church. Every answered resource is
    asked for again (the answer stays on the row until the new one replaces it), and every
    department asked hears of it, with the new deadline."""
    now = timezone.now()
    asked_again = dugnad.resources.exclude(state=ResourceState.REQUESTED).update(
        state=ResourceState.REQUESTED, requested_at=now, answered_at=None
    )
    dugnad.resources.filter(requested_at__isnull=True).update(requested_at=now)
    if not dugnad.resources.exists():
        return
    notify(
        recipients=department_recipients(dugnad),
        kind=kinds.RESOURCE_REQUESTED,
        context={"dugnad": dugnad, "moved": True, "asked_again": asked_again},
        target=dugnad,
        dedupe_key=f"dugnad:{dugnad.pk}:event:{event.pk}:resources",
    )


@transaction.atomic
def dugnad_transition(*, dugnad: Dugnad, actor, to_state: str, message: str = "") -> Dugnad:
    """Take the step to ``to_state`` (``core.steps.take_step`` checks the party and records).
    ``actor=None`` is the portal itself (marking a dugnad held once it has ended)."""
    dugnad = _lock(dugnad)
    now = timezone.now()
    parties = {Party.SYSTEM} if actor is None else parties_of(actor, dugnad)

    def change(*, step, party, message):
        if to_state == State.PUBLISHED:
            if dugnad.starts_at <= now:
                raise ValidationError(_("A dugnad that has already started cannot be published."))
            dugnad.published_at = now
            dugnad.sequence += 1
            if not dugnad.resources_due:
                dugnad.resources_due = default_resources_due(dugnad.starts_at)
            dugnad.resources.filter(requested_at__isnull=True).update(requested_at=now)
        elif to_state == State.CANCELLED:
            dugnad.sequence += 1
        elif to_state == State.COMPLETED and dugnad.ends_at > now:
            raise ValidationError(_("A dugnad can be marked as held once it has ended."))
        elif to_state == State.REPORTED and dugnad.hours_total is None:
            # The report page (services.reports.dugnad_report) saves the hours, then steps.
            raise ValidationError(_("Report the hours to report the dugnad."))

    def tell_people(*, step, event):
        tell(
            step=step,
            obj=dugnad,
            event=event,
            actor=actor,
            audiences=AUDIENCES,
            send=notify,
            context={"dugnad": dugnad, "event": event},
            key=f"dugnad:{dugnad.pk}:event:{event.pk}",
        )
        if to_state == State.PUBLISHED and dugnad.origin_proposal_id:
            _tell_the_proposal(proposal=dugnad.origin_proposal, actor=actor, dugnad=dugnad)
        if to_state == State.CANCELLED:
            guest_mail_queue(
                signups=guest_signups(dugnad),
                kind=kinds.CANCELLED,
                dedupe_key=f"dugnad:{dugnad.pk}:cancelled",
                context={"reason": event.message},
            )

    take_step(
        table=TRANSITIONS,
        obj=dugnad,
        to_state=to_state,
        actor=actor,
        parties=parties,
        message=message,
        change=change,
        record=lambda **fields: DugnadEvent.objects.create(
            dugnad=dugnad, kind=DugnadEvent.Kind.TRANSITION, **fields
        ),
        notify=tell_people,
    )
    return dugnad


def dugnad_publish(*, dugnad: Dugnad, actor) -> Dugnad:
    return dugnad_transition(dugnad=dugnad, actor=actor, to_state=State.PUBLISHED)


def dugnad_cancel(*, dugnad: Dugnad, actor, reason: str = "") -> Dugnad:
    return dugnad_transition(dugnad=dugnad, actor=actor, to_state=State.CANCELLED, message=reason)


def dugnads_mark_held(*, now=None) -> int:
    """The portal marks published dugnads that have ended as held (hourly; safe to re-run)."""
    now = now or timezone.now()
    done = 0
    for dugnad in Dugnad.objects.filter(state=State.PUBLISHED, ends_at__lte=now).only("pk"):
        try:
            dugnad_transition(dugnad=dugnad, actor=None, to_state=State.COMPLETED)
        except ValidationError as error:
            # A row the rules no longer accept (changed by hand): said, so someone looks.
            logger.warning("Dugnad %s not marked as held: %s", dugnad.pk, error)
            continue
        done += 1
    return done
