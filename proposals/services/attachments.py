"""Attachments to a draft: what may be attached, adding and removing (the file goes only when the
transaction commits). The rules are ``core.attachments``'; the limits are ``settings.PROPOSALS``."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import attachments as core_attachments

from ..models import (
    Attachment,
    Proposal,
    State,
)

# Allowed file types: the extension and the first bytes must both say the same thing. The form's
# ``accept`` attribute and the download's content type come from the same table.
ATTACHMENT_TYPES = core_attachments.DOCUMENTS_AND_IMAGES

TOO_MANY = gettext_lazy("A proposal can have at most %(n)d attachments.")


def attachment_problems(*, uploaded_file, existing_count: int) -> list[str]:
    """Why a file cannot be attached (empty when it can). Also used by the form."""
    return core_attachments.attachment_problems(
        uploaded_file=uploaded_file,
        existing_count=existing_count,
        types=ATTACHMENT_TYPES,
        max_bytes=settings.PROPOSALS["ATTACHMENT_MAX_BYTES"],
        max_count=settings.PROPOSALS["ATTACHMENT_MAX_COUNT"],
        too_many=TOO_MANY,
    )


@transaction.atomic
def attachment_add(*, proposal: Proposal, actor, uploaded_file) -> Attachment:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != State.DRAFT or proposal.author_id != actor.pk:
        raise ValidationError(_("Attachments can only be added to your own draft."))
    problems = attachment_problems(
        uploaded_file=uploaded_file, existing_count=proposal.attachments.count()
    )
    if problems:
        raise ValidationError(problems)
    name = Path(uploaded_file.name).name
    attachment = Attachment(
        proposal=proposal,
        token=core_attachments.new_token(),
        extension=Path(name).suffix.lower(),
        original_name=name,
        content_type=ATTACHMENT_TYPES.content_type_for(name),
        size=uploaded_file.size,
        uploaded_by=actor,
    )
    attachment.file.save(attachment_path_name(attachment), uploaded_file, save=False)
    try:
        attachment.full_clean(exclude=["file"])
        attachment.save()
    except Exception:
        # Nothing in the database points at the file: do not leave it behind.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def attachment_path_name(attachment: Attachment) -> str:
    return f"{attachment.token}{attachment.extension}"


def _delete_file_on_commit(attachment: Attachment) -> None:
    core_attachments.delete_file_on_commit(attachment.file)


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor) -> None:
    proposal = Proposal.objects.select_for_update().get(pk=attachment.proposal_id)
    if proposal.state != State.DRAFT or proposal.author_id != actor.pk:
        raise ValidationError(_("Attachments can only be removed from your own draft."))
    _delete_file_on_commit(attachment)
    attachment.delete()
