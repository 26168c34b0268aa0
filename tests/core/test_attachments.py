"""core.attachments: one table of file types (extension and first bytes), the size and count
limits, and serving a file only to those allowed, with safe headers."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import translation

from core.attachments import (
    DOCUMENTS_AND_IMAGES,
    attachment_problems,
    delete_file_on_commit,
    file_response,
)

PDF = b"%PDF-1.4 a drawing of the benches"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
MB = 1024 * 1024


def problems(upload, *, existing_count=0, max_bytes=10 * MB, max_count=5, **kwargs):
    with translation.override("en"):
        return attachment_problems(
            uploaded_file=upload,
            existing_count=existing_count,
            max_bytes=max_bytes,
            max_count=max_count,
            **kwargs,
        )


@pytest.mark.parametrize(
    ("name", "content"),
    [("tegning.pdf", PDF), ("bilde.PNG", PNG), ("foto.jpg", JPEG), ("foto.jpeg", JPEG)],
)
def test_allowed_types_pass(name, content):
    assert problems(SimpleUploadedFile(name, content)) == []


def test_a_png_renamed_pdf_is_refused():
    assert problems(SimpleUploadedFile("kart.pdf", PNG)) == [
        "“kart.pdf” does not look like a PDF file."
    ]


def test_an_unknown_extension_is_refused_even_with_good_bytes():
    assert problems(SimpleUploadedFile("kart.gif", PNG)) == [
        "“kart.gif” is not a PDF, PNG or JPEG file."
    ]


def test_the_check_leaves_the_file_at_its_start():
    upload = SimpleUploadedFile("tegning.pdf", PDF)
    problems(upload)
    assert upload.read() == PDF


def test_over_size_is_refused():
    upload = SimpleUploadedFile("stor.pdf", PDF + b"x" * MB)
    assert problems(upload, max_bytes=MB) == ["“stor.pdf” is too large. The limit is 1 MB."]
    assert problems(upload, max_bytes=2 * MB) == []


def test_empty_is_refused_with_the_apps_own_message():
    """The app's own empty-file check, on its own: an empty file has no first bytes to compare,
    so "is empty" is the one thing said about it (issue 10)."""
    assert problems(SimpleUploadedFile("tom.png", b"")) == ["“tom.png” is empty."]
    assert problems(SimpleUploadedFile("tom.pdf", b"")) == ["“tom.pdf” is empty."]
    assert problems(SimpleUploadedFile("tom.gif", b"")) == [
        "“tom.gif” is empty.",
        "“tom.gif” is not a PDF, PNG or JPEG file.",
    ]


def test_one_byte_is_not_empty():
    assert problems(SimpleUploadedFile("en.pdf", b"%")) == [
        "“en.pdf” does not look like a PDF file."
    ]


# --- The size limit, at the byte (issue 10) -----------------------------------------------------


@pytest.mark.parametrize("max_bytes", [MB, 10 * MB, 1234567])
def test_a_file_of_exactly_the_limit_is_allowed_and_one_byte_more_is_not(max_bytes):
    at_limit = SimpleUploadedFile("akkurat.pdf", PDF + b"x" * (max_bytes - len(PDF)))
    over = SimpleUploadedFile("for-stor.pdf", PDF + b"x" * (max_bytes + 1 - len(PDF)))
    assert (at_limit.size, over.size) == (max_bytes, max_bytes + 1)
    assert problems(at_limit, max_bytes=max_bytes) == []
    assert problems(over, max_bytes=max_bytes) == [
        f"“for-stor.pdf” is too large. The limit is {max_bytes // MB} MB."
    ]


def test_the_count_limit_at_the_file():
    """``existing_count`` files are there already: the last allowed one makes ``max_count``."""
    upload = SimpleUploadedFile("neste.pdf", PDF)
    for max_count in (1, 5):
        assert problems(upload, existing_count=max_count - 1, max_count=max_count) == []
        assert problems(upload, existing_count=max_count, max_count=max_count) == [
            f"You can attach at most {max_count} files."
        ]


def test_the_name_limit_at_the_character():
    from core.attachments import MAX_NAME_LENGTH

    assert MAX_NAME_LENGTH == 200
    at_limit = SimpleUploadedFile("x" * (MAX_NAME_LENGTH - 4) + ".pdf", PDF)
    over = SimpleUploadedFile("x" * (MAX_NAME_LENGTH - 3) + ".pdf", PDF)
    assert problems(at_limit) == []
    assert problems(over) == ["The file name is too long (at most 200 characters)."]


def test_over_count_is_refused_with_the_apps_wording():
    upload = SimpleUploadedFile("sjette.pdf", PDF)
    assert problems(upload, existing_count=4) == []
    assert problems(upload, existing_count=5) == ["You can attach at most 5 files."]
    assert problems(upload, existing_count=5, too_many="At most %(n)d, please.") == [
        "At most 5, please."
    ]


def test_a_too_long_name_is_refused():
    upload = SimpleUploadedFile("x" * 197 + ".pdf", PDF)
    assert problems(upload) == ["The file name is too long (at most 200 characters)."]


def test_the_accept_string_is_the_table():
    accept = DOCUMENTS_AND_IMAGES.accept
    assert accept == ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
    parts = set(accept.split(","))
    for kind in DOCUMENTS_AND_IMAGES.types:
        assert kind.content_type in parts
        assert set(kind.extensions) <= parts


def test_the_proposal_form_accepts_what_the_table_allows():
    from proposals import services
    from proposals.forms import ATTACHMENT_ACCEPT, ProposalForm

    assert services.ATTACHMENT_TYPES.accept == ATTACHMENT_ACCEPT
    widget = ProposalForm.base_fields["attachments"].widget
    assert widget.attrs["accept"] == services.ATTACHMENT_TYPES.accept


def test_content_type_comes_from_the_table():
    assert DOCUMENTS_AND_IMAGES.content_type_for("Foto.JPG") == "image/jpeg"
    assert DOCUMENTS_AND_IMAGES.content_type_for("skript.html") == "application/octet-stream"


@pytest.fixture
def stored(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("abc123.pdf", ContentFile(PDF))

    class Stored:  # what a FileField gives: .storage, .name and .open()
        def __init__(self):
            self.storage, self.name = storage, name

        def open(self, mode="rb"):
            return storage.open(self.name, mode)

    return Stored()


# Closing a response sends request_finished, which looks at the database connection: after a
# test that left one open on this thread (another app's concurrency test), that is DB access.
@pytest.mark.django_db
def test_a_file_is_served_as_a_download_with_safe_headers(stored):
    response = file_response(stored, allowed=True, filename="Tegning <b>.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Tegning" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF
    response.close()


@pytest.mark.django_db
def test_inline_when_asked(stored):
    response = file_response(stored, allowed=True, filename="tegning.pdf", inline=True)
    assert response["Content-Disposition"] == 'inline; filename="tegning.pdf"'
    response.close()


def test_only_those_allowed_get_the_file_and_a_missing_file_is_404(stored):
    with pytest.raises(Http404):
        file_response(stored, allowed=False, filename="tegning.pdf")
    stored.storage.delete(stored.name)
    with pytest.raises(Http404):
        file_response(stored, allowed=True, filename="tegning.pdf")


@pytest.mark.django_db(transaction=True)
def test_a_file_is_deleted_only_when_the_transaction_commits(stored):
    with pytest.raises(RuntimeError), transaction.atomic():
        delete_file_on_commit(stored)
        raise RuntimeError  # rolled back: the file stays
    assert stored.storage.exists(stored.name)
    with transaction.atomic():
        delete_file_on_commit(stored)
    assert not stored.storage.exists(stored.name)
