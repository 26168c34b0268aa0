"""Photos in a report on an agreement: what may be uploaded, and storing them with no EXIF left.

The same rule as a dugnad's report photos (``dugnads.services.photos``), with the agreements'
own limits: a photo is allowed when its extension and its first bytes say JPEG, PNG or WebP
(``core.attachments.PHOTOS``), it is within ``settings.AGREEMENTS["MAX_PHOTO_BYTES"]`` and the
report has fewer than ``MAX_PHOTOS_PER_REPORT``. It is then decoded and saved again by
``core.images.reencode`` (upright, at most ``PHOTO_MAX_PIXELS`` wide and tall, no metadata: a
phone's photo carries the GPS position of where it was taken), and only the re-encoded file is
stored, under a random name. Every photo of a batch is checked and re-encoded before the first
is stored, so one bad photo saves none.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import attachments as core_attachments
from core import images

from ..models import ReportDuty, ReportPhoto

PHOTO_TYPES = core_attachments.PHOTOS
PHOTO_ACCEPT = PHOTO_TYPES.accept
CAPTION_MAX_LENGTH = ReportPhoto._meta.get_field("caption").max_length
# Stored at most this wide or tall (the dugnads' size: both are shown the same way).
DEFAULT_MAX_PIXELS = 2000
TOO_MANY = gettext_lazy("A report can have at most %(n)d photos.")
# The content type the byte check found → the one format Pillow may decode the file as.


def max_photos() -> int:
    return settings.AGREEMENTS["MAX_PHOTOS_PER_REPORT"]


def max_bytes() -> int:
    return settings.AGREEMENTS["MAX_PHOTO_BYTES"]


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo that passed every check, re-encoded in memory, not yet stored."""

    image: images.CleanImage
    caption: str


def photo_problems(*, uploaded_file, existing_count: int) -> list[str]:
    """Why a file cannot be a photo of the report, by its name, size and first bytes (empty
    when it can). Cheap, so the form asks it too; decoding is ``photo_prepare``'s."""
    return core_attachments.attachment_problems(
        uploaded_file=uploaded_file,
        existing_count=existing_count,
        types=PHOTO_TYPES,
        max_bytes=max_bytes(),
        max_count=max_photos(),
        too_many=TOO_MANY,
    )


def caption_problems(caption: str) -> list[str]:
    """A caption is the photo's text for those who cannot see it: required."""
    if not isinstance(caption, str) or not caption.strip():
        return [_("Say what the photo shows, for those who cannot see it.")]
    if len(caption) > CAPTION_MAX_LENGTH:
        return [_("The caption can be at most %(n)d characters.") % {"n": CAPTION_MAX_LENGTH}]
    if "\x00" in caption:
        return [_("The caption contains a character that is not allowed.")]
    return []


def photo_prepare(*, uploaded_file, caption: str, existing_count: int) -> PreparedPhoto:
    """Check one photo and re-encode it (nothing is stored); ``ValidationError`` if it cannot
    be used, with the reasons for the person who uploaded it."""
    problems = photo_problems(uploaded_file=uploaded_file, existing_count=existing_count)
    problems += caption_problems(caption)
    if problems:
        raise ValidationError(problems)
    clean = images.reencode_upload(
        uploaded_file,
        types=PHOTO_TYPES,
        max_side=settings.AGREEMENTS.get("PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS),
    )
    return PreparedPhoto(image=clean, caption=caption.strip())


def photos_prepare(*, existing: int, photos) -> list[PreparedPhoto]:
    """Every photo of a batch ``[(uploaded_file, caption), …]`` checked and re-encoded, or a
    ``ValidationError`` with every problem of the batch (and nothing prepared). ``existing``:
    the photos the report keeps."""
    prepared, problems = [], []
    for index, (uploaded_file, caption) in enumerate(photos):
        try:
            prepared.append(
                photo_prepare(
                    uploaded_file=uploaded_file, caption=caption, existing_count=existing + index
                )
            )
        except ValidationError as error:
            problems += error.messages
    if problems:
        # The count problem repeats for each photo over the limit: say it once.
        raise ValidationError(list(dict.fromkeys(problems)))
    return prepared


def photos_store(*, duty: ReportDuty, actor, prepared: list[PreparedPhoto]) -> list[ReportPhoto]:
    """Store prepared photos (inside the caller's transaction, with the duty locked). A file
    written before a later one fails is deleted again, so no file is left without its row; the
    caller stores photos last, so nothing after them can fail and roll their rows back."""
    stored: list[ReportPhoto] = []
    try:
        for item in prepared:
            photo = ReportPhoto(
                duty=duty,
                token=core_attachments.new_token(),
                extension=item.image.extension,
                caption=item.caption,
                size=len(item.image.content),
                uploaded_by=actor,
            )
            photo.file.save(
                f"{photo.token}.{photo.extension}", ContentFile(item.image.content), save=False
            )
            stored.append(photo)
            photo.full_clean(exclude=["file"])
            photo.save()
    except Exception:
        _delete_files(stored)
        raise
    return stored


def _delete_files(photos) -> None:
    for photo in photos:
        photo.file.storage.delete(photo.file.name)


def photo_delete(*, photo: ReportPhoto) -> None:
    """Remove a photo; its file goes once the transaction commits (a rollback keeps it)."""
    core_attachments.delete_file_on_commit(photo.file)
    photo.delete()


def content_type_of(photo: ReportPhoto) -> str:
    return PHOTO_TYPES.content_type_for(f"photo.{photo.extension}")
