"""Photos in a dugnad's report: what may be uploaded, and storing them with no EXIF left.

A photo is allowed when its extension and its first bytes say JPEG, PNG or WebP
(``core.attachments.PHOTOS``), it is within ``settings.DUGNADS["PHOTO_MAX_BYTES"]`` and the
dugnad has fewer than ``PHOTO_MAX_COUNT`` photos. It is then decoded and saved again by
``core.images.reencode`` — upright, at most ``PHOTO_MAX_PIXELS`` wide and tall, in its own
format, with no metadata (a phone's photo carries the GPS position of where it was taken) — and
only the re-encoded file is stored, under a random name. Every photo of a batch is checked and
re-encoded before the first is stored, so one bad photo saves none (``photos_add``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import attachments as core_attachments
from core import images

from ..models import Dugnad, Photo

PHOTO_TYPES = core_attachments.PHOTOS
PHOTO_ACCEPT = PHOTO_TYPES.accept
DESCRIPTION_MAX_LENGTH = Photo._meta.get_field("description").max_length
TOO_MANY = gettext_lazy("A dugnad's report can have at most %(n)d photos.")
# The content type the byte check found → the one format Pillow may decode the file as.


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo that passed every check, re-encoded in memory, not yet stored."""

    image: images.CleanImage
    description: str


def photo_problems(*, uploaded_file, existing_count: int) -> list[str]:
    """Why a file cannot be a photo of the report, by its name, size and first bytes (empty
    when it can). Cheap, so the form asks it too; decoding is ``photo_prepare``'s."""
    limits = settings.DUGNADS
    return core_attachments.attachment_problems(
        uploaded_file=uploaded_file,
        existing_count=existing_count,
        types=PHOTO_TYPES,
        max_bytes=limits["PHOTO_MAX_BYTES"],
        max_count=limits["PHOTO_MAX_COUNT"],
        too_many=TOO_MANY,
    )


def description_problems(description: str) -> list[str]:
    if not description.strip():
        return [_("Describe what the photo shows, for those who cannot see it.")]
    if len(description) > DESCRIPTION_MAX_LENGTH:
        return [
            _("The description can be at most %(n)d characters.") % {"n": DESCRIPTION_MAX_LENGTH}
        ]
    if "\x00" in description:
        return [_("The description contains a character that is not allowed.")]
    return []


def photo_prepare(*, uploaded_file, description: str, existing_count: int) -> PreparedPhoto:
    """Check one photo and re-encode it (nothing is stored); ``ValidationError`` if it cannot
    be used, with the reasons for the person who uploaded it."""
    problems = photo_problems(uploaded_file=uploaded_file, existing_count=existing_count)
    problems += description_problems(description)
    if problems:
        raise ValidationError(problems)
    clean = images.reencode_upload(
        uploaded_file, types=PHOTO_TYPES, max_side=settings.DUGNADS["PHOTO_MAX_PIXELS"]
    )
    return PreparedPhoto(image=clean, description=description.strip())


def photos_prepare(*, dugnad: Dugnad, photos) -> list[PreparedPhoto]:
    """Every photo of a batch ``[(uploaded_file, description), …]`` checked and re-encoded, or
    a ``ValidationError`` with every problem of the batch (and nothing prepared)."""
    existing = dugnad.photos.count()
    prepared, problems = [], []
    for index, (uploaded_file, description) in enumerate(photos):
        try:
            prepared.append(
                photo_prepare(
                    uploaded_file=uploaded_file,
                    description=description,
                    existing_count=existing + index,
                )
            )
        except ValidationError as error:
            problems += error.messages
    if problems:
        # The count problem repeats for each photo over the limit: say it once.
        raise ValidationError(list(dict.fromkeys(problems)))
    return prepared


def photos_store(*, dugnad: Dugnad, actor, prepared: list[PreparedPhoto]) -> list[Photo]:
    """Store prepared photos (inside the caller's transaction, with the dugnad locked). A file
    written before a later one fails is deleted again, so no file is left without its row."""
    stored: list[Photo] = []
    try:
        for item in prepared:
            photo = Photo(
                dugnad=dugnad,
                token=core_attachments.new_token(),
                extension=item.image.extension,
                content_type=item.image.content_type,
                width=item.image.width,
                height=item.image.height,
                description=item.description,
                uploaded_by=actor,
            )
            photo.image.save(
                f"{photo.token}.{photo.extension}", ContentFile(item.image.content), save=False
            )
            stored.append(photo)
            photo.full_clean(exclude=["image"])
            photo.save()
    except Exception:
        for photo in stored:
            photo.image.storage.delete(photo.image.name)
        raise
    return stored


def photo_delete(*, photo: Photo) -> None:
    """Remove a photo; its file goes once the transaction commits (a rollback keeps it)."""
    core_attachments.delete_file_on_commit(photo.image)
    photo.delete()
