"""The municipality's side of a dugnad: its department confirms or declines each resource.

The committee asks for resources when it publishes the dugnad; the municipality answers each
line from the admin (the department's work list), and the organisers hear of every answer. An
answer is the municipality's commitment, so it follows the same rules wherever it is given:

- only municipal staff answer (``committees.staff.is_municipal_staff``: the case handlers, the
  administrators): the department's own staff usually, any case handler when it must;
- a decline says why (the committee has to find another way, and needs to know);
- a first answer is possible while the dugnad is published and has not ended (a late answer is
  still better than none); a changed answer only until the dugnad starts — after that the
  committee can no longer act on it;
- every answer is a ``DugnadEvent`` on the dugnad's timeline and a notification to the
  organisers (a changed answer tells them again: the dedupe key names the event);
- it runs under the dugnad's row lock, like every other change to the dugnad, so an answer and
  a cancellation or a rescheduling never cross.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committees.staff import is_municipal_staff
from notifications.services import notify

from .. import notifications as kinds
from ..models import Dugnad, DugnadEvent, Party, Resource, ResourceState, State
from ..selectors import organiser_recipients

ANSWER_MAX_LENGTH = Resource._meta.get_field("answer").max_length


def can_answer_resource(user, resource: Resource | None = None) -> bool:
    """Municipal staff answer resource requests (the department's staff, or any case handler).

    The one rule, for the service and the admin alike; kept here (not in ``permissions``, the
    committee's rules) because it is the municipality's side."""
    return is_municipal_staff(user)


def resource_answer_problems(resource: Resource, dugnad: Dugnad, *, now=None) -> list[str]:
    """Why ``resource`` cannot be answered now (empty when it can)."""
    now = now or timezone.now()
    if dugnad.state != State.PUBLISHED:
        return [_("Resources can only be answered for a published dugnad.")]
    if dugnad.ends_at <= now:
        return [_("The dugnad has ended; its resources can no longer be answered.")]
    if resource.state != ResourceState.REQUESTED and dugnad.starts_at <= now:
        return [_("The dugnad has started; the answer can no longer be changed.")]
    return []


@transaction.atomic
def resource_answer(*, resource: Resource, actor, confirmed: bool, answer: str = "") -> Resource:
    """Confirm or decline ``resource`` for the municipality; a decline needs ``answer`` (why).

    Answering again with the same answer changes nothing (a double click); a different answer
    replaces the old one and the organisers are told again."""
    if not can_answer_resource(actor, resource):
        raise ValidationError(_("Only the municipality's staff can answer resource requests."))
    answer = (answer or "").strip()
    if not confirmed and not answer:
        raise ValidationError({"answer": _("Write why the resource cannot be provided.")})
    dugnad = (
        Dugnad.objects.select_for_update().select_related("committee").get(pk=resource.dugnad_id)
    )
    resource = Resource.objects.select_for_update().select_related("department").get(pk=resource.pk)
    resource.dugnad = dugnad
    if problems := resource_answer_problems(resource, dugnad):
        raise ValidationError(problems)
    state = ResourceState.CONFIRMED if confirmed else ResourceState.DECLINED
    if resource.state == state and resource.answer == answer:
        return resource
    resource.state = state
    resource.answer = answer
    resource.answered_by = actor
    resource.answered_at = timezone.now()
    resource.full_clean()
    resource.save(update_fields=["state", "answer", "answered_by", "answered_at"])
    event = DugnadEvent.objects.create(
        dugnad=dugnad,
        kind=DugnadEvent.Kind.RESOURCE,
        actor=actor,
        actor_party=Party.MUNICIPALITY,
        from_state=dugnad.state,
        to_state=dugnad.state,
        message=_event_message(resource),
    )
    notify(
        recipients=organiser_recipients(dugnad),
        kind=kinds.RESOURCE_ANSWERED,
        context={"dugnad": dugnad, "resource": resource},
        target=dugnad,
        dedupe_key=f"dugnad:{dugnad.pk}:resource:{resource.pk}:event:{event.pk}",
    )
    return resource


def _event_message(resource: Resource) -> str:
    """The timeline's line, in the portal's language (the record is one text for everyone):
    "Container (Park og idrett): Confirmed", then the answer."""
    with translation.override(settings.LANGUAGE_CODE):
        line = f"{resource.get_kind_display()} ({resource.department}): "
        line += str(resource.get_state_display())
    return f"{line}\n{resource.answer}" if resource.answer else line
