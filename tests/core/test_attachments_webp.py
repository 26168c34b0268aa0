"""core.attachments: a WebP is recognised by "RIFF" at byte 0 and "WEBP" at byte 8 (a matcher,
where a prefix cannot say it), so another RIFF file (a WAV) renamed .webp is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.attachments import PHOTOS, WEBP, attachment_problems

WEBP_HEAD = b"RIFF\x24\x00\x00\x00WEBPVP8 "
WAV_HEAD = b"RIFF\x24\x00\x00\x00WAVEfmt "
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def problems(name, content):
    with translation.override("en"):
        return attachment_problems(
            uploaded_file=SimpleUploadedFile(name, content),
            existing_count=0,
            max_bytes=1024 * 1024,
            max_count=5,
            types=PHOTOS,
        )


def test_the_matcher_looks_at_both_places():
    assert WEBP.matches(WEBP_HEAD)
    assert not WEBP.matches(WAV_HEAD)
    assert not WEBP.matches(b"RIFF")
    assert not WEBP.matches(b"xxxx\x00\x00\x00\x00WEBP")


@pytest.mark.parametrize(
    ("name", "content"), [("foto.webp", WEBP_HEAD), ("foto.WEBP", WEBP_HEAD), ("f.png", PNG)]
)
def test_photos_allow_webp_png_and_jpeg(name, content):
    assert problems(name, content) == []


def test_a_wav_renamed_webp_is_refused():
    assert problems("lyd.webp", WAV_HEAD) == ["“lyd.webp” does not look like a WEBP file."]


def test_a_png_renamed_webp_and_a_webp_renamed_png_are_refused():
    assert problems("bilde.webp", PNG) == ["“bilde.webp” does not look like a WEBP file."]
    assert problems("bilde.png", WEBP_HEAD) == ["“bilde.png” does not look like a PNG file."]


def test_a_pdf_is_not_a_photo():
    assert problems("x.pdf", b"%PDF-1.4") == ["“x.pdf” is not a JPEG, PNG or WebP picture."]


def test_the_accept_attribute_and_content_type_come_from_the_table():
    assert ".webp" in PHOTOS.accept and "image/webp" in PHOTOS.accept
    assert PHOTOS.content_type_for("a.webp") == "image/webp"
