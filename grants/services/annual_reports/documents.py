"""The annual report's documents (the checklist, ``DocumentKind``): PDF, PNG or JPEG, recognised
by their first bytes (``core.attachments``). The name must end like one of the three, but the
bytes decide what the file is: a scan saved as ``protokoll.pdf`` that is really a PNG is stored
and served as the PNG it is (``protokoll.png``); an EXE renamed ``.pdf`` is refused. At most
``GRANTS["MAX_DOCUMENT_BYTES"]`` each and ``GRANTS["MAX_DOCUMENTS_PER_REPORT"]`` per report,
stored under a random token, never the uploader's name.

Files are their own concern (names, bytes, storage, removal on commit), apart from what the
report says; the form asks the same rule (``document_problems``) as the service.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import attachments as core_attachments

from ...models import AnnualReport, AnnualReportDocument, DocumentKind
from ..lifecycle import lock_annual_report
from .editing import _check_board, _check_editable

DOCUMENT_TYPES = core_attachments.DOCUMENTS_AND_IMAGES
DOCUMENT_ACCEPT = DOCUMENT_TYPES.accept
TOO_MANY = gettext_lazy("An annual report can have at most %(n)d documents.")


def max_documents() -> int:
    return settings.GRANTS["MAX_DOCUMENTS_PER_REPORT"]


def max_document_bytes() -> int:
    return settings.GRANTS["MAX_DOCUMENT_BYTES"]


class _Renamed:
    """An uploaded file seen under another name (what its bytes say it is), for the checks."""

    def __init__(self, uploaded_file, name: str):
        self._file = uploaded_file
        self.name = name
        self.size = uploaded_file.size

    def seek(self, *args):
        return self._file.seek(*args)

    def read(self, *args):
        return self._file.read(*args)


def type_by_bytes(uploaded_file) -> core_attachments.FileType | None:
    """Which of the allowed types the file's first bytes say it is (None: none of them)."""
    uploaded_file.seek(0)
    head = uploaded_file.read(core_attachments.SIGNATURE_BYTES)
    uploaded_file.seek(0)
    return next((kind for kind in DOCUMENT_TYPES.types if kind.matches(head)), None)


def stored_name(uploaded_file) -> str:
    """The file's name as it is kept: the uploader's, ending as its bytes say (``scan.pdf``
    that is a PNG is ``scan.png``). A name that does not end like an allowed type is left as
    it is (and refused)."""
    name = Path(uploaded_file.name or "").name
    by_name = DOCUMENT_TYPES.for_name(name)
    by_bytes = type_by_bytes(uploaded_file) if uploaded_file.size else None
    if by_name is None or by_bytes is None or by_name == by_bytes:
        return name
    suffix = Path(name).suffix
    return name[: len(name) - len(suffix)] + by_bytes.extensions[0]


def document_problems(*, uploaded_file, existing_count: int) -> list[str]:
    """Why a file cannot be one of the report's documents (empty when it can): its name must
    end like a PDF, PNG or JPEG and its bytes must be one of them; not empty, not too large,
    not one too many. The service's rule, also the form's."""
    name = Path(uploaded_file.name or "").name
    if "\x00" in name:
        return [_("The file name contains a character that is not allowed.")]
    checked = stored_name(uploaded_file)
    problems = core_attachments.attachment_problems(
        uploaded_file=_Renamed(uploaded_file, checked),
        existing_count=existing_count,
        types=DOCUMENT_TYPES,
        max_bytes=max_document_bytes(),
        max_count=max_documents(),
        too_many=TOO_MANY,
    )
    if len(name) > core_attachments.MAX_NAME_LENGTH >= len(checked):
        problems.append(_("The file name is too long (at most 200 characters)."))
    return problems


@transaction.atomic
def document_upload(*, report: AnnualReport, actor, kind: str, uploaded_file):
    """Add one document of ``kind`` to the checklist (the board, while the report is owed)."""
    report = lock_annual_report(report)
    _check_board(actor, report)
    _check_editable(report)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose which document this is.")})
    problems = document_problems(
        uploaded_file=uploaded_file, existing_count=report.documents.count()
    )
    if problems:
        raise ValidationError({"file": problems})
    name = stored_name(uploaded_file)
    document = AnnualReportDocument(
        annual_report=report,
        kind=kind,
        token=core_attachments.new_token(),
        extension=Path(name).suffix.lower(),
        content_type=DOCUMENT_TYPES.content_type_for(name),
        original_name=name,
        size=uploaded_file.size,
        uploaded_by=actor,
    )
    document.file.save(name, uploaded_file, save=False)  # upload_to: the token, not the name
    try:
        document.full_clean(exclude=["file"])
        document.save()
    except Exception:
        # Nothing in the database points at the file: do not leave it behind.
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def document_delete(*, document: AnnualReportDocument, actor) -> None:
    """Remove a document (the board, while the report is owed); the file goes on commit."""
    report = lock_annual_report(document.annual_report)
    _check_board(actor, report)
    _check_editable(report)
    document = AnnualReportDocument.objects.get(pk=document.pk, annual_report=report)
    core_attachments.delete_file_on_commit(document.file)
    document.delete()
