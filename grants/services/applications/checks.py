"""The rules for what a committee writes in an application, apart from the writing itself: text,
amounts, the budget's lines and the photos. They are here on their own because three places ask
the same rule — the application's services (``drafts``, ``sending``, ``answers``), the
application form (which says what the service would) and the paid-afterwards report
(``services.application_reports``: its photos "after", its texts and amounts) — and a rule is
written once.

Photos: JPEG, PNG or WebP checked by name and first bytes (``core.attachments``), at most
``GRANTS["MAX_PHOTO_BYTES"]`` each and ``GRANTS["MAX_PHOTOS_PER_APPLICATION"]`` in all (before
and after together), each with a description for those who cannot see it; re-encoded
(``core.images.reencode_upload``: no EXIF, no GPS position). Storing them is the caller's.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import MONEY
from core import attachments as core_attachments
from core import images

from ...models import MAX_BUDGET_LINES, ApplicationPhoto, BudgetLine

PHOTO_TYPES = core_attachments.PHOTOS
PHOTO_MAX_PIXELS = 2000
ORE = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"]) - ORE
NOT_ALLOWED = "\x00"
MESSAGE_MAX_LENGTH = 2_000
LINE_DESCRIPTION_MAX_LENGTH = BudgetLine._meta.get_field("description").max_length
PHOTO_DESCRIPTION_MAX_LENGTH = ApplicationPhoto._meta.get_field("description").max_length
TOO_MANY_PHOTOS = gettext_lazy("An application can have at most %(n)d photos.")
TOO_MANY_LINES = gettext_lazy("A budget can have at most %(n)d lines.")


def max_photo_bytes() -> int:
    return settings.GRANTS["MAX_PHOTO_BYTES"]


def max_photos() -> int:
    return settings.GRANTS["MAX_PHOTOS_PER_APPLICATION"]


def text_problems(value, *, max_length: int, required: str | None = None) -> list[str]:
    if not isinstance(value, str):
        return [_("Write it as text.")]
    if required and not value.strip():
        return [str(required)]
    if len(value) > max_length:
        return [_("At most %(n)d characters.") % {"n": max_length}]
    if NOT_ALLOWED in value:
        return [_("The text contains a character that is not allowed.")]
    return []


def _decimal(value) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        return None


def line_amount_problems(value) -> list[str]:
    """A budget line's amount: 0 or more (a line may be work done for free), in kroner and
    øre."""
    number = _decimal(value)
    if number is None or not number.is_finite():
        return [_("Write the amount as a number, e.g. 1250.50.")]
    if number < 0 or number > MAX_AMOUNT:
        return [_("The amount must be 0 or more and at most %(max)s.") % {"max": MAX_AMOUNT}]
    if number != number.quantize(ORE):
        return [_("Write the amount with at most two decimals (øre).")]
    return []


@dataclass(frozen=True)
class CheckedLine:
    description: str
    amount: Decimal


def budget_check(lines) -> tuple[list[CheckedLine], list[str]]:
    """The budget's lines ``[{description, amount}, …]``: the lines to write, or the problems,
    each naming its line."""
    lines = list(lines)
    if len(lines) > MAX_BUDGET_LINES:
        return [], [str(TOO_MANY_LINES) % {"n": MAX_BUDGET_LINES}]
    checked, problems = [], []
    for number, given in enumerate(lines, start=1):
        description = given.get("description") or ""
        found = text_problems(
            description,
            max_length=LINE_DESCRIPTION_MAX_LENGTH,
            required=_("Say what the cost is for."),
        )
        found += line_amount_problems(given.get("amount"))
        problems += [
            _("Budget line %(n)d: %(problem)s") % {"n": number, "problem": m} for m in found
        ]
        if not found:
            checked.append(
                CheckedLine(description=description.strip(), amount=_decimal(given["amount"]))
            )
    return checked, problems


def budget_total(lines) -> Decimal:
    """The budget's total (of ``BudgetLine`` rows or checked lines)."""
    return sum((line.amount for line in lines), Decimal(0))


def photo_problems(uploaded_file, *, existing_count: int, too_many=TOO_MANY_PHOTOS) -> list[str]:
    """Why a file cannot be an application's photo, "before" or (the report's, with its own
    ``too_many``) "after" (empty when it can); decoding is the service's."""
    return core_attachments.attachment_problems(
        uploaded_file=uploaded_file,
        existing_count=existing_count,
        max_bytes=max_photo_bytes(),
        max_count=max_photos(),
        types=PHOTO_TYPES,
        too_many=too_many,
    )


def photo_description_problems(description) -> list[str]:
    return text_problems(
        description,
        max_length=PHOTO_DESCRIPTION_MAX_LENGTH,
        required=_("Say what the photo shows, for those who cannot see it."),
    )


@dataclass(frozen=True)
class PreparedPhoto:
    image: images.CleanImage
    description: str

    def store(self, *, application, kind: str, actor, stored: list) -> ApplicationPhoto:
        """Save it as the application's photo of ``kind`` ("before" or "after"); the file
        written is added to ``stored``, for the caller to delete if a later step fails (the
        rows roll back with the transaction, files do not)."""
        photo = ApplicationPhoto(
            application=application,
            kind=kind,
            token=core_attachments.new_token(),
            extension=f".{self.image.extension}",
            content_type=self.image.content_type,
            width=self.image.width,
            height=self.image.height,
            description=self.description,
            uploaded_by=actor,
        )
        photo.image.save(photo.token, ContentFile(self.image.content), save=False)
        stored.append(photo.image)
        photo.full_clean(exclude=["image"])
        photo.save()
        return photo


def photos_prepare(
    *, existing: int, photos, too_many=TOO_MANY_PHOTOS
) -> tuple[list[PreparedPhoto], list[str]]:
    """Every photo of ``[(uploaded file, description), …]`` checked and re-encoded, or the
    problems (and nothing prepared). The report's photos "after" use it too (``too_many``)."""
    prepared, problems = [], []
    for index, (uploaded_file, description) in enumerate(photos):
        found = photo_problems(uploaded_file, existing_count=existing + index, too_many=too_many)
        found += photo_description_problems(description)
        if not found:
            try:
                clean = images.reencode_upload(
                    uploaded_file, types=PHOTO_TYPES, max_side=PHOTO_MAX_PIXELS
                )
            except ValidationError as error:
                found += error.messages
            else:
                prepared.append(PreparedPhoto(image=clean, description=description.strip()))
        problems += found
    if problems:
        return [], list(dict.fromkeys(problems))  # the count problem once
    return prepared, []
