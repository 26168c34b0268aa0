"""Pictures people upload, decoded and re-encoded so nothing but the pixels is kept.

A photo from a phone carries EXIF data: the camera, the time and often the GPS position of
where it was taken (a resident's garden, say). Stripping known tags is a blacklist that misses
the next one, so :func:`reencode` keeps only the pixels: it decodes the file with Pillow, turns
it the way its EXIF orientation says (so it is not shown on its side once the tag is gone),
shrinks it to at most ``max_side`` pixels wide and tall, and saves a new file **in the same
format** (JPEG stays JPEG, PNG stays PNG, WebP stays WebP) from a fresh image with no ``info``:
no EXIF, no GPS, no XMP, no ICC profile, no text chunks, no thumbnail. The same format keeps what
the format was chosen for (a PNG drawing stays sharp, a transparent PNG or WebP stays
transparent) and keeps the stored file's extension and content type those the byte check
(``core.attachments``) accepted.

Decoding is where a hostile file does harm, so it is fenced: only the plugins of the allowed
formats are tried (``formats=``), the declared size is checked against ``max_source_pixels``
*before* the pixels are decoded (a "decompression bomb" is a few kilobytes that claim a
gigapixel), Pillow's own bomb warning is an error here, and every decoding error becomes an
:class:`ImageProblem` with a message for the person who uploaded it. ``core`` imports no app:
the caller passes its limits.
"""

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name → the format we save (an MPO is a JPEG with extra pictures, as phones make).
FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Above this many pixels a file is refused before it is decoded: 50 megapixels is more than a
# phone's photo, and far below Pillow's own limit (``Image.MAX_IMAGE_PIXELS``, about 89 million).
DEFAULT_MAX_SOURCE_PIXELS = 50_000_000
JPEG_QUALITY = 85
WEBP_QUALITY = 85


class ImageProblem(ValueError):
    """A picture that cannot be used; ``str(problem)`` is the message for the uploader."""


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    format: str  # "JPEG", "PNG" or "WEBP"
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def _open(data: bytes, *, name: str, allowed: tuple[str, ...], max_source_pixels: int):
    try:
        image = Image.open(io.BytesIO(data), formats=allowed)
    except Image.DecompressionBombError:
        raise ImageProblem(_("“%(name)s” is too large to open.") % {"name": name}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageProblem(
            _("“%(name)s” could not be read as a picture.") % {"name": name}
        ) from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > max_source_pixels:
        image.close()
        raise ImageProblem(
            _("“%(name)s” has too many pixels (at most %(mp)d megapixels).")
            % {"name": name, "mp": max_source_pixels // 1_000_000}
        )
    return image


def reencode(
    data: bytes,
    *,
    name: str,
    max_side: int,
    formats: tuple[str, ...] = ("JPEG", "PNG", "WEBP"),
    max_source_pixels: int = DEFAULT_MAX_SOURCE_PIXELS,
) -> CleanImage:
    """The picture in ``data`` decoded, turned upright, shrunk to ``max_side`` and saved again
    in its own format with no metadata at all. ``name`` is only for the messages; ``formats``
    are Pillow's names of the formats allowed (an MPO counts as JPEG)."""
    allowed = tuple(formats)  # Pillow opens an MPO through its JPEG plugin
    unreadable = _("“%(name)s” could not be read as a picture.") % {"name": name}
    with warnings.catch_warnings():
        # Pillow warns (and goes on) between its limit and twice it: here that is an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # verify() checks the file's structure (a PNG's checksums) without decoding; the
            # image cannot be used after it, so the file is opened again to decode it.
            with _open(
                data, name=name, allowed=allowed, max_source_pixels=max_source_pixels
            ) as probe:
                probe.verify()
            with _open(
                data, name=name, allowed=allowed, max_source_pixels=max_source_pixels
            ) as image:
                out_format = FORMATS[image.format]
                image.load()
                upright = ImageOps.exif_transpose(image)
        except ImageProblem:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageProblem(_("“%(name)s” is too large to open.") % {"name": name}) from None
        except (OSError, SyntaxError, ValueError, KeyError, EOFError):
            raise ImageProblem(unreadable) from None
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    mode = "RGBA" if has_alpha and out_format != "JPEG" else "RGB"
    pixels = upright.convert(mode)
    pixels.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # A fresh image holds the pixels and nothing else: Pillow carries some of ``info`` (the ICC
    # profile, a PNG's transparency) into a saved file unless it is empty.
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    clean.info = {}
    buffer = io.BytesIO()
    if out_format == "JPEG":
        clean.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif out_format == "WEBP":
        clean.save(buffer, "WEBP", quality=WEBP_QUALITY)
    else:
        clean.save(buffer, "PNG", optimize=True)
    return CleanImage(
        content=buffer.getvalue(), format=out_format, width=clean.width, height=clean.height
    )


# The Pillow format each photo content type (core.attachments.PHOTOS) is decoded as.
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def reencode_upload(uploaded_file, *, types, max_side: int) -> CleanImage:
    """An uploaded photo, already checked by ``core.attachments.attachment_problems`` against
    ``types``, re-encoded (:func:`reencode`) — decoded only as the format its name and first
    bytes said (a JPEG is decoded as nothing else). A photo that cannot be used is a
    ``ValidationError`` with the reason, for the person who uploaded it."""
    from pathlib import Path

    from django.core.exceptions import ValidationError

    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    name = Path(uploaded_file.name or "").name
    kind = types.for_name(name)
    try:
        return reencode(
            data, name=name, max_side=max_side, formats=(PILLOW_FORMATS[kind.content_type],)
        )
    except ImageProblem as problem:
        raise ValidationError(str(problem)) from None
