"""Drafts: the author writes, changes and deletes a proposal before submitting it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Kind,
    Proposal,
    State,
)
from .attachments import _delete_file_on_commit

DRAFT_FIELDS = [
    "committee",
    "title",
    "summary",
    "body",
    "kind",
    "category",
    "location_text",
    "latitude",
    "longitude",
    "task",
    "season",
    "volunteer_hours_per_year",
    "compensation_per_year",
    "municipality_provides",
]


TAKEOVER_FIELDS = ["task", "season", "volunteer_hours_per_year", "compensation_per_year"]


NULLABLE_FIELDS = {"latitude", "longitude", "volunteer_hours_per_year", "compensation_per_year"}


def _clear_other_kind_fields(proposal: Proposal) -> None:
    """Take-over details belong to take-over proposals only."""
    if proposal.kind != Kind.TAKEOVER:
        for name in [*TAKEOVER_FIELDS, "municipality_provides"]:
            setattr(proposal, name, None if name in NULLABLE_FIELDS else "")


def _apply_fields(proposal: Proposal, fields: dict) -> None:
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"Not draft fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(
            proposal,
            name,
            "" if value is None and name not in NULLABLE_FIELDS | {"committee"} else value,
        )
    _clear_other_kind_fields(proposal)


@transaction.atomic
def proposal_create_draft(*, author, **fields) -> Proposal:
    if not (author.is_authenticated and author.is_active):
        raise ValidationError(_("You must be logged in to write a proposal."))
    proposal = Proposal(author=author, state=State.DRAFT)
    _apply_fields(proposal, fields)
    proposal.full_clean(exclude=["reference"])
    proposal.save()
    return proposal


@transaction.atomic
def proposal_update_draft(*, proposal: Proposal, actor, **fields) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != State.DRAFT or proposal.author_id != actor.pk:
        raise ValidationError(_("Only the author can change a proposal, and only as a draft."))
    _apply_fields(proposal, fields)
    proposal.full_clean(exclude=["reference"])
    proposal.save()
    return proposal


@transaction.atomic
def proposal_delete_draft(*, proposal: Proposal, actor) -> None:
    # Locked and read again: a draft submitted meanwhile (another tab) is a case, not a draft.
    current = Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if current is None:
        return  # deleted already (a second click)
    proposal = current
    if proposal.state != State.DRAFT or proposal.author_id != actor.pk:
        raise ValidationError(_("Only the author can delete a draft."))
    for attachment in proposal.attachments.all():
        _delete_file_on_commit(attachment)
    proposal.delete()
