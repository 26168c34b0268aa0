"""The organisers write to everyone signed up for a dugnad or on its waiting list.

One message is one ``DugnadEvent`` (kind ``message``: what was sent, by whom, when — the
organisers' record; the public page must not show its text, which may hold a phone number) and
one notification per resident (``dugnad.message``, through the notification engine and its
preferences) or one ``GuestMail`` row per guest, all in one transaction: a message is recorded
exactly when it is sent. The dedupe key names the event, so a double click sends two messages
only if two were written, and a re-run of delivery never sends one twice.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import notifications as kinds
from ..models import ACTIVE_SIGNUP_STATES, Dugnad, DugnadEvent, Party, State
from ..permissions import parties_of
from .participants import tell_participants

MESSAGE_MAX_LENGTH = 2_000
# A message goes to the people of a dugnad that is on (or has been held: "thank you").
MESSAGE_STATES = frozenset({State.PUBLISHED, State.COMPLETED, State.REPORTED})


def message_problems(body: str) -> list[str]:
    """Why ``body`` cannot be sent (empty when it can): the form and the service say the same."""
    if not body:
        return [_("Write the message.")]
    if len(body) > MESSAGE_MAX_LENGTH:
        return [_("The message can be at most %(max)d characters.") % {"max": MESSAGE_MAX_LENGTH}]
    if "\x00" in body:
        return [_("The message contains a character that cannot be saved.")]
    return []


@transaction.atomic
def participants_message(*, dugnad: Dugnad, actor, body: str) -> int:
    """Send ``body`` to everyone signed up or waiting; returns how many were told."""
    dugnad = Dugnad.objects.select_for_update().select_related("committee").get(pk=dugnad.pk)
    if Party.COMMITTEE not in parties_of(actor, dugnad):
        raise ValidationError(_("Only the dugnad's organisers can write to its participants."))
    if dugnad.state not in MESSAGE_STATES:
        raise ValidationError(_("Messages can be sent once the dugnad is published."))
    body = (body or "").strip()
    if problems := message_problems(body):
        raise ValidationError({"body": problems})
    if not dugnad.signups.filter(state__in=list(ACTIVE_SIGNUP_STATES)).exists():
        raise ValidationError(_("Nobody has signed up yet, so there is nobody to write to."))
    event = DugnadEvent.objects.create(
        dugnad=dugnad,
        kind=DugnadEvent.Kind.MESSAGE,
        actor=actor,
        actor_party=Party.COMMITTEE,
        from_state=dugnad.state,
        to_state=dugnad.state,
        message=body,
    )
    return tell_participants(
        dugnad=dugnad,
        kind=kinds.MESSAGE,
        dedupe_key=f"dugnad:{dugnad.pk}:message:{event.pk}",
        context={"body": body},
    )
