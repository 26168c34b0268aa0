"""core.images: a picture is decoded and saved again with its pixels only — no EXIF, no GPS
position, no XMP, ICC profile or text — turned upright, shrunk, and hostile files refused."""

import io

import pytest
from django.utils import translation
from PIL import ExifTags, Image

from core.images import ImageProblem, reencode
from tests.photo_files import (
    bomb_png,
    has_gps_or_exif,
    jpeg_with_gps,
    picture,
    png_with_gps,
    truncated_jpeg,
    webp_with_gps,
)


def clean(data: bytes, **kwargs):
    with translation.override("en"):
        return reencode(data, name="foto", max_side=kwargs.pop("max_side", 2000), **kwargs)


@pytest.mark.parametrize(
    ("make", "fmt"), [(png_with_gps, "PNG"), (jpeg_with_gps, "JPEG"), (webp_with_gps, "WEBP")]
)
def test_gps_and_every_other_metadata_are_gone(make, fmt):
    original = make()
    assert has_gps_or_exif(original)  # the test picture does carry them
    result = clean(original)
    assert result.format == fmt
    assert not has_gps_or_exif(result.content)
    with Image.open(io.BytesIO(result.content)) as image:
        assert image.format == fmt
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert image.size == (result.width, result.height) == (40, 30)


def test_the_exif_orientation_is_applied_before_it_is_dropped():
    """Orientation 6: the camera was turned; the stored picture is upright (30 × 40), the red
    half now on top, with no orientation tag left to turn it again."""
    result = clean(jpeg_with_gps((40, 30), orientation=6))
    assert (result.width, result.height) == (30, 40)
    with Image.open(io.BytesIO(result.content)) as image:
        assert ExifTags.Base.Orientation not in image.getexif()
        red, green, blue = image.convert("RGB").getpixel((15, 5))
        assert red > 200 and blue < 60


def test_a_large_picture_is_shrunk_to_the_limit_keeping_its_shape():
    buffer = io.BytesIO()
    picture((3000, 1500)).save(buffer, "PNG")
    result = clean(buffer.getvalue(), max_side=1000)
    assert (result.width, result.height) == (1000, 500)


def test_a_transparent_png_stays_transparent():
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, "PNG")
    with Image.open(io.BytesIO(clean(buffer.getvalue()).content)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    with pytest.raises(ImageProblem, match="too large to open"):
        clean(bomb_png())


def test_more_pixels_than_the_callers_limit_is_refused():
    with pytest.raises(ImageProblem, match="too many pixels"):
        clean(bomb_png(8000, 8000))
    with pytest.raises(ImageProblem, match="at most 1 megapixels"):
        clean(png_with_gps((1001, 1000)), max_source_pixels=1_000_000)


@pytest.mark.parametrize(
    "data",
    [truncated_jpeg(), b"RIFF\x00\x00\x00\x00WEBPjunk", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40],
    ids=["truncated-jpeg", "fake-webp", "fake-png"],
)
def test_a_broken_file_is_a_problem_not_a_crash(data):
    with pytest.raises(ImageProblem, match="could not be read"):
        clean(data)


def test_only_the_allowed_formats_are_opened():
    buffer = io.BytesIO()
    picture().save(buffer, "GIF")
    with pytest.raises(ImageProblem):
        clean(buffer.getvalue())
    with pytest.raises(ImageProblem):
        clean(png_with_gps(), formats=("JPEG",))
