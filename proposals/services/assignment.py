"""Giving a case to a department and a case handler."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from notifications.services import notify

from .. import notifications as kinds
from ..models import (
    EventKind,
    Party,
    Proposal,
    State,
)
from ..permissions import (
    is_municipal_staff,
)
from .common import _record


@transaction.atomic
def proposal_assign(*, proposal: Proposal, actor, handler=None, department=None) -> Proposal:
    """Give the case to a department and/or a case handler; the handler hears at once."""
    if not is_municipal_staff(actor):
        raise ValidationError(_("Only municipal staff assign cases."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state == State.DRAFT:
        raise ValidationError(_("A draft cannot be assigned."))
    if handler is not None and not is_municipal_staff(handler):
        raise ValidationError({"handler": _("The case handler must be a municipal case handler.")})
    if department is None and handler is not None:
        department = getattr(getattr(handler, "department_staff", None), "department", None)
    changed_handler = handler is not None and handler.pk != proposal.handler_id
    if department is not None:
        proposal.department = department
    if handler is not None:
        proposal.handler = handler
    proposal.save(update_fields=["department", "handler", "updated_at"])
    # The timeline is public: the handler by name only, never by e-mail address (str(user)).
    names = ", ".join(
        name
        for name in (
            proposal.department.name if proposal.department else "",
            proposal.handler.full_name if proposal.handler else "",
        )
        if name
    )
    event = _record(
        proposal, actor=actor, kind=EventKind.ASSIGNED, party=Party.MUNICIPALITY, message=names
    )
    if changed_handler and handler.pk != actor.pk:
        notify(
            recipients=[handler],
            kind=kinds.ASSIGNED,
            context={"proposal": proposal, "event": event, "actor": actor},
            target=proposal,
            dedupe_key=f"proposal:{proposal.pk}:assigned:{event.pk}",
        )
    return proposal
