"""Files people upload: which types are allowed, the limits, storing and serving them safely.

One table of types (``FileTypes``) is the rule for the service, the form's ``accept`` attribute
and the content type a file is served with. A file is allowed only when its extension **and** its
first bytes say the same type, so a PNG renamed ``.pdf`` is refused. Serving is always with the
type from the table, ``X-Content-Type-Options: nosniff`` and a private cache, and only to those
the app allows (anyone else gets a 404, which does not tell them the file exists).

The limits are the app's settings (``settings.PROPOSALS["ATTACHMENT_MAX_BYTES"]`` and
``["ATTACHMENT_MAX_COUNT"]`` for proposals); ``core`` imports no app.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_NAME_LENGTH = 200  # the stored original name (a CharField of this length)
SIGNATURE_BYTES = 16  # how much of a file's start is read to recognise its type


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]  # lower case, with the dot: (".jpg", ".jpeg")
    signatures: tuple[bytes, ...]  # the file starts with one of these
    # For a type a prefix cannot say (a WebP is "RIFF", four bytes of length, then "WEBP"):
    # a test of the file's first ``SIGNATURE_BYTES`` bytes, used instead of ``signatures``.
    matcher: Callable[[bytes], bool] | None = None

    def matches(self, head: bytes) -> bool:
        if self.matcher is not None:
            return self.matcher(head)
        return any(head.startswith(signature) for signature in self.signatures)


@dataclass(frozen=True)
class FileTypes:
    """The types one kind of upload allows, and how to say that a file is not one of them
    (``%(name)s`` is the file's name)."""

    types: tuple[FileType, ...]
    refused: str

    def for_name(self, name: str) -> FileType | None:
        extension = Path(name or "").suffix.lower()
        return next((t for t in self.types if extension in t.extensions), None)

    def content_type_for(self, name: str) -> str:
        kind = self.for_name(name)
        return kind.content_type if kind else "application/octet-stream"

    @property
    def accept(self) -> str:
        """The file input's ``accept`` attribute: every extension, then every content type."""
        extensions = [e for t in self.types for e in t.extensions]
        content_types = list(dict.fromkeys(t.content_type for t in self.types))
        return ",".join(extensions + content_types)


PDF = FileType("application/pdf", (".pdf",), (b"%PDF-",))
PNG = FileType("image/png", (".png",), (b"\x89PNG\r\n\x1a\n",))
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), (b"\xff\xd8\xff",))


def _is_webp(head: bytes) -> bool:
    """A RIFF container (bytes 0–3) of the WEBP form (bytes 8–11); bytes 4–7 are its length."""
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


WEBP = FileType("image/webp", (".webp",), (b"RIFF",), matcher=_is_webp)

# Documents and pictures a resident attaches to a proposal (and later a dugnad or agreement).
DOCUMENTS_AND_IMAGES = FileTypes(
    types=(PDF, PNG, JPEG), refused=gettext_lazy("“%(name)s” is not a PDF, PNG or JPEG file.")
)
# Photos (a dugnad's report): the three formats browsers show and ``core.images`` re-encodes.
PHOTOS = FileTypes(
    types=(JPEG, PNG, WEBP), refused=gettext_lazy("“%(name)s” is not a JPEG, PNG or WebP picture.")
)


def attachment_problems(
    *,
    uploaded_file,
    existing_count: int,
    max_bytes: int,
    max_count: int,
    types: FileTypes = DOCUMENTS_AND_IMAGES,
    too_many: str | None = None,
) -> list[str]:
    """Why a file cannot be attached (empty when it can): the service's rule, also the form's.

    ``existing_count``: files already there (this one not counted). ``too_many``: how the app
    says the count limit (``%(n)d`` is the limit).
    """
    problems = []
    name = Path(uploaded_file.name or "").name
    if existing_count >= max_count:
        message = too_many or _("You can attach at most %(n)d files.")
        problems.append(str(message) % {"n": max_count})
    if uploaded_file.size > max_bytes:
        problems.append(
            _("“%(name)s” is too large. The limit is %(mb)d MB.")
            % {"name": name, "mb": max_bytes // (1024 * 1024)}
        )
    if uploaded_file.size == 0:
        problems.append(_("“%(name)s” is empty.") % {"name": name})
    kind = types.for_name(name)
    if kind is None:
        problems.append(str(types.refused) % {"name": name})
    elif uploaded_file.size:  # an empty file has no first bytes: "is empty" says it all
        uploaded_file.seek(0)
        head = uploaded_file.read(SIGNATURE_BYTES)
        uploaded_file.seek(0)
        if not kind.matches(head):
            problems.append(
                _("“%(name)s” does not look like a %(type)s file.")
                % {"name": name, "type": Path(name).suffix.lstrip(".").upper()}
            )
    if len(name) > MAX_NAME_LENGTH:
        problems.append(_("The file name is too long (at most 200 characters)."))
    return problems


def new_token() -> str:
    """The random part of a stored file's name: the uploader's name is never used on disk."""
    return secrets.token_hex(16)


def delete_file_on_commit(field_file) -> None:
    """Delete a stored file once the transaction that let go of it commits (not before: a
    rollback must find the file still there)."""
    storage, name = field_file.storage, field_file.name
    transaction.on_commit(lambda: storage.delete(name))


def file_response(
    field_file,
    *,
    allowed: bool,
    filename: str,
    content_type: str | None = None,
    inline: bool = False,
    types: FileTypes = DOCUMENTS_AND_IMAGES,
) -> FileResponse:
    """Serve a stored file to someone the app ``allowed`` (else, or when the file is missing,
    404). A download by default (``Content-Disposition: attachment`` with the file's name);
    ``inline`` shows it in the browser. The content type is the stored one, else the table's;
    ``nosniff`` stops the browser guessing another, and the response is never cached publicly.
    """
    if not allowed:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filename,
        content_type=content_type or types.content_type_for(filename),
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True)
    return response
