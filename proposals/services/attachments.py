"""Attachments to a draft: what may be attached, adding and removing (the file goes only when the
transaction commits)."""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Attachment,
    Proposal,
    State,
)

# Allowed file types: the extension and the first bytes must both say the same thing.
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", [b"%PDF-"]),
    ".png": ("image/png", [b"\x89PNG\r\n\x1a\n"]),
    ".jpg": ("image/jpeg", [b"\xff\xd8\xff"]),
    ".jpeg": ("image/jpeg", [b"\xff\xd8\xff"]),
}


def attachment_problems(*, uploaded_file, existing_count: int) -> list[str]:
    """Why a file cannot be attached (empty when it can). Also used by the form."""
    limits = settings.PROPOSALS
    problems = []
    name = Path(uploaded_file.name or "").name
    extension = Path(name).suffix.lower()
    if existing_count >= limits["ATTACHMENT_MAX_COUNT"]:
        problems.append(
            _("A proposal can have at most %(n)d attachments.")
            % {"n": limits["ATTACHMENT_MAX_COUNT"]}
        )
    if uploaded_file.size > limits["ATTACHMENT_MAX_BYTES"]:
        problems.append(
            _("“%(name)s” is too large. The limit is %(mb)d MB.")
            % {"name": name, "mb": limits["ATTACHMENT_MAX_BYTES"] // (1024 * 1024)}
        )
    if uploaded_file.size == 0:
        problems.append(_("“%(name)s” is empty.") % {"name": name})
    kind = ATTACHMENT_TYPES.get(extension)
    if kind is None:
        problems.append(_("“%(name)s” is not a PDF, PNG or JPEG file.") % {"name": name})
    else:
        uploaded_file.seek(0)
        head = uploaded_file.read(16)
        uploaded_file.seek(0)
        if not any(head.startswith(magic) for magic in kind[1]):
            problems.append(
                _("“%(name)s” does not look like a %(type)s file.")
                % {"name": name, "type": extension.lstrip(".").upper()}
            )
    if len(name) > 200:
        problems.append(_("The file name is too long (at most 200 characters)."))
    return problems


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
    extension = Path(name).suffix.lower()
    attachment = Attachment(
        proposal=proposal,
        token=secrets.token_hex(16),
        extension=extension,
        original_name=name,
        content_type=ATTACHMENT_TYPES[extension][0],
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
    storage, name = attachment.file.storage, attachment.file.name
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor) -> None:
    proposal = Proposal.objects.select_for_update().get(pk=attachment.proposal_id)
    if proposal.state != State.DRAFT or proposal.author_id != actor.pk:
        raise ValidationError(_("Attachments can only be removed from your own draft."))
    _delete_file_on_commit(attachment)
    attachment.delete()
