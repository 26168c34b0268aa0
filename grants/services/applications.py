"""A committee's application to an application-based scheme, and the municipality's answer.

The steps are ``steps.APPLICATION_STEPS``, each taken through
``services.lifecycle.application_transition``; this module adds each step's rules.

**The committee's board** writes the application (``application_new``, ``application_update``:
what, where — with optional coordinates, both or neither — who, when, the planned dugnad hours,
the amount applied for, a budget of at most ``MAX_BUDGET_LINES`` lines and photos "before"),
then sends it (``application_submit``) while the scheme is open (``opens_on`` ≤ today ≤
``application_deadline``, each when set): the municipality answers by ``answer_due`` (today +
the scheme's ``answer_days``). It may be changed only while it is a draft or more information
is asked for (``APPLICATION_EDITABLE``), sent again after more information
(``application_resubmit``, even after the scheme's deadline: it was sent in time) and withdrawn
until it is answered (``application_withdraw``).

To be sent, an application needs a budget, and asks for no more than the budget's total and no
more than the scheme gives (``max_amount``, also the model's rule).

**Municipal staff who answer applications** ask for more information (``application_ask_more``:
what is missing, required; the committee answers by ``committee_due`` = today + the scheme's
``info_days``), refuse (``application_refuse``: the reason, required) or grant
(``application_grant``): an amount more than 0, at most the amount applied for and the scheme's
``max_amount``, and within the pot (what the scheme has granted already plus this). Granting
locks the scheme's row, so two grants at once cannot both spend the last of the pot. Paid in
advance, the payment is created at once (``services.payments.grant_payment_create``, due in the
scheme's ``payment_days``) and the portal takes the step to "approved for payment"; paid
afterwards, the committee's report is due by the scheme's ``report_deadline``, or 30 days after
the application's end.

Photos "before": JPEG, PNG or WebP checked by name and first bytes (``core.attachments``), at
most ``GRANTS["MAX_PHOTO_BYTES"]`` each and ``GRANTS["MAX_PHOTOS_PER_APPLICATION"]`` in all
(before and after together), each with a description for those who cannot see it; re-encoded
(``core.images.reencode_upload``: no EXIF, no GPS position). Everything is checked before
anything is written; files are stored last and removed again if storing fails.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import MONEY
from core import attachments as core_attachments
from core import images
from core.formatting import local_date, money

from ..models import (
    APPLICATION_EDITABLE,
    MAX_BUDGET_LINES,
    PUBLIC_APPLICATION_STATES,
    Application,
    ApplicationEvent,
    ApplicationPhoto,
    ApplicationState,
    BudgetLine,
    GrantScheme,
    Party,
    PhotoKind,
    SchemeKind,
)
from ..permissions import can_answer_applications, is_board
from . import payments
from .lifecycle import application_create, application_transition, lock_application, record

A = ApplicationState
PHOTO_TYPES = core_attachments.PHOTOS
PHOTO_MAX_PIXELS = 2000
ORE = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"]) - ORE
NOT_ALLOWED = "\x00"
# After the application's last day, the report of a grant paid afterwards is due within this
# many days when the scheme has no report deadline of its own.
REPORT_DAYS_AFTER_END = 30
MESSAGE_MAX_LENGTH = 2_000

# The fields the board writes (everything else is the portal's or the municipality's).
FIELDS = (
    "title",
    "description",
    "place",
    "latitude",
    "longitude",
    "participants",
    "starts_on",
    "ends_on",
    "planned_hours",
    "amount_requested",
)
LINE_DESCRIPTION_MAX_LENGTH = BudgetLine._meta.get_field("description").max_length
PHOTO_DESCRIPTION_MAX_LENGTH = ApplicationPhoto._meta.get_field("description").max_length
CONDITIONS_MAX_LENGTH = Application._meta.get_field("conditions").max_length
TOO_MANY_PHOTOS = gettext_lazy("An application can have at most %(n)d photos.")
TOO_MANY_LINES = gettext_lazy("A budget can have at most %(n)d lines.")


def max_photo_bytes() -> int:
    return settings.GRANTS["MAX_PHOTO_BYTES"]


def max_photos() -> int:
    return settings.GRANTS["MAX_PHOTOS_PER_APPLICATION"]


# --- who may, and when ------------------------------------------------------------------------


def is_editable(application: Application) -> bool:
    return application.state in APPLICATION_EDITABLE


def can_edit_application(user, application: Application) -> bool:
    """The committee's board, while it is a draft or more information is asked for."""
    return is_editable(application) and is_board(user, application.committee)


def scheme_open_problems(scheme: GrantScheme, *, today: datetime.date | None = None) -> list[str]:
    """Why the scheme takes no applications today (empty when it does)."""
    today = today or timezone.localdate()
    if scheme.kind != SchemeKind.APPLICATION:
        return [_("This scheme is not open for applications: it is allocated by formula.")]
    if scheme.opens_on and today < scheme.opens_on:
        return [
            _("The scheme opens for applications on %(day)s.")
            % {"day": local_date(scheme.opens_on)}
        ]
    if scheme.application_deadline and today > scheme.application_deadline:
        return [
            _("The scheme's application deadline was %(day)s.")
            % {"day": local_date(scheme.application_deadline)}
        ]
    return []


def open_schemes(*, today: datetime.date | None = None):
    """The application-based schemes open today (with their department)."""
    from django.db.models import Q

    today = today or timezone.localdate()
    return (
        GrantScheme.objects.filter(kind=SchemeKind.APPLICATION)
        .filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today))
        .filter(Q(application_deadline__isnull=True) | Q(application_deadline__gte=today))
        .select_related("department")
        .order_by("application_deadline", "name", "pk")
    )


# --- the rules for what is written ------------------------------------------------------------


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


def _field_problems(fields: dict) -> dict[str, list[str]]:
    """The text fields' NUL bytes (PostgreSQL refuses them: a 500, not a message)."""
    problems = {}
    for name, value in fields.items():
        if isinstance(value, str) and NOT_ALLOWED in value:
            problems[name] = [_("The text contains a character that is not allowed.")]
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Not an application field the board writes: {sorted(unknown)}")
    return problems


def _store_photos(application: Application, actor, prepared: list[PreparedPhoto]) -> None:
    """Store prepared photos "before" (last: nothing after them can fail); a file written
    before a later one fails is deleted again."""
    stored = []
    try:
        for item in prepared:
            photo = ApplicationPhoto(
                application=application,
                kind=PhotoKind.BEFORE,
                token=core_attachments.new_token(),
                extension=f".{item.image.extension}",
                content_type=item.image.content_type,
                width=item.image.width,
                height=item.image.height,
                description=item.description,
                uploaded_by=actor,
            )
            photo.image.save(photo.token, ContentFile(item.image.content), save=False)
            stored.append(photo.image)
            photo.full_clean(exclude=["image"])
            photo.save()
    except Exception:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise


def _write_budget(application: Application, checked: list[CheckedLine]) -> None:
    application.budget_lines.filter(actual=False).delete()
    rows = [
        BudgetLine(
            application=application, actual=False, description=c.description, amount=c.amount
        )
        for c in checked
    ]
    for row in rows:
        row.full_clean(exclude=["application"])
    BudgetLine.objects.bulk_create(rows)


def _check_input(*, application, fields, budget_lines, photos, remove_photos, existing_photos):
    """Every problem of what the board wrote, by field; what to write when there is none."""
    problems = _field_problems(fields)
    checked = None
    if budget_lines is not None:
        checked, line_messages = budget_check(budget_lines)
        if line_messages:
            problems["budget_lines"] = line_messages
    removed = set(remove_photos)
    before = {p.pk: p for p in existing_photos if p.kind == PhotoKind.BEFORE}
    if removed - set(before):
        problems["remove_photos"] = [_("That photo is not in this application.")]
    kept = len(existing_photos) - len(removed & set(before))
    prepared, photo_messages = photos_prepare(existing=kept, photos=list(photos))
    if photo_messages:
        problems["photos"] = photo_messages
    return problems, checked, prepared, [before[pk] for pk in removed if pk in before]


@transaction.atomic
def application_new(
    *, scheme: GrantScheme, committee, actor, fields: dict, budget_lines=(), photos=()
) -> Application:
    """The board's new draft: its fields (``FIELDS``), its budget ``[{description, amount},
    …]`` and photos "before" ``[(uploaded file, description), …]``. The scheme must be open.
    ``ValidationError`` by field (the model's fields, ``budget_lines``, ``photos``, ``scheme``)
    and nothing written when anything is wrong."""
    if not is_board(actor, committee):
        raise ValidationError(_("Only the committee's board can apply for a grant."))
    if found := scheme_open_problems(scheme):
        raise ValidationError({"scheme": found})
    problems, checked, prepared, _removed = _check_input(
        application=None,
        fields=fields,
        budget_lines=budget_lines,
        photos=photos,
        remove_photos=(),
        existing_photos=[],
    )
    candidate = Application(scheme=scheme, committee=committee, number="-", **fields)
    try:
        candidate.full_clean(exclude=["number"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)
    application = application_create(scheme=scheme, committee=committee, actor=actor, **fields)
    _write_budget(application, checked or [])
    _store_photos(application, actor, prepared)
    return application


@transaction.atomic
def application_update(
    *,
    application: Application,
    actor,
    fields: dict,
    budget_lines=None,
    photos=(),
    remove_photos=(),
) -> Application:
    """The board changes its application while it is a draft or more information is asked for
    (``APPLICATION_EDITABLE``). ``budget_lines``: the whole budget after saving (``None``
    leaves it); ``photos`` are added, ``remove_photos`` (ids of photos "before") taken away."""
    application = lock_application(application)
    if not is_board(actor, application.committee):
        raise ValidationError(_("Only the committee's board can change its application."))
    if not is_editable(application):
        raise ValidationError(
            _(
                "The application can only be changed while it is a draft or the municipality "
                "has asked for more information."
            )
        )
    problems, checked, prepared, removed = _check_input(
        application=application,
        fields=fields,
        budget_lines=budget_lines,
        photos=photos,
        remove_photos=remove_photos,
        existing_photos=list(application.photos.all()),
    )
    for name, value in fields.items():
        setattr(application, name, value)
    try:
        application.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)
    application.save()
    if checked is not None:
        _write_budget(application, checked)
    for photo in removed:
        core_attachments.delete_file_on_commit(photo.image)
        photo.delete()
    _store_photos(application, actor, prepared)
    return application


# --- the committee sends, sends again, withdraws ----------------------------------------------


def submit_problems(application: Application) -> list[str]:
    """What the application lacks before it can be sent (empty when it can be)."""
    lines = list(application.budget_lines.filter(actual=False))
    if not lines:
        return [_("Add a budget: at least one line of what it will cost.")]
    if not application.amount_requested or application.amount_requested <= 0:
        return [_("Write the amount you apply for: more than zero.")]
    total = budget_total(lines)
    if application.amount_requested > total:
        return [
            _("The amount applied for (%(amount)s) is more than the budget's total (%(total)s).")
            % {"amount": money(application.amount_requested), "total": money(total)}
        ]
    return []


def _refuse_unless_board(application: Application, actor) -> None:
    if not is_board(actor, application.committee):
        raise ValidationError(_("Only the committee's board can do that."))


def _send(application: Application, *, actor, from_state: str) -> Application:
    application = lock_application(application)
    _refuse_unless_board(application, actor)
    if application.state != from_state:
        raise ValidationError(
            _("The application is “%(state)s”, so it cannot be sent now.")
            % {"state": application.get_state_display()}
        )
    if from_state == A.DRAFT and (found := scheme_open_problems(application.scheme)):
        raise ValidationError(found)
    if found := submit_problems(application):
        raise ValidationError(found)
    now = timezone.now()
    today = timezone.localdate()

    def change(*, application, **kwargs):
        application.submitted_at = now
        application.answer_due = today + datetime.timedelta(days=application.scheme.answer_days)
        application.committee_due = None

    return application_transition(
        application=application, actor=actor, to_state=A.SUBMITTED, change=change
    )


@transaction.atomic
def application_submit(*, application: Application, actor) -> Application:
    """The board sends its draft while the scheme is open: the department is told and answers
    by ``answer_due`` (today + the scheme's ``answer_days``)."""
    return _send(application, actor=actor, from_state=A.DRAFT)


@transaction.atomic
def application_resubmit(*, application: Application, actor) -> Application:
    """The board sends the application again with what was asked for (the scheme's deadline
    does not apply: it was sent in time); the municipality's clock starts again."""
    return _send(application, actor=actor, from_state=A.MORE_INFO)


@transaction.atomic
def application_withdraw(*, application: Application, actor, message: str = "") -> Application:
    """The board withdraws its application until it is answered; no deadline runs after."""
    application = lock_application(application)
    _refuse_unless_board(application, actor)
    if found := text_problems(message or "", max_length=MESSAGE_MAX_LENGTH):
        raise ValidationError({"message": found})

    def change(*, application, **kwargs):
        application.answer_due = None
        application.committee_due = None

    return application_transition(
        application=application,
        actor=actor,
        to_state=A.WITHDRAWN,
        message=(message or "").strip(),
        change=change,
    )


# --- the municipality answers -----------------------------------------------------------------


def _refuse_unless_answerable(application: Application, actor) -> None:
    if not can_answer_applications(actor):
        raise ValidationError(_("Only municipal staff who answer applications can do that."))
    if application.state != A.SUBMITTED:
        raise ValidationError(
            _("Only a submitted application can be answered; this one is “%(state)s”.")
            % {"state": application.get_state_display()}
        )


def _required_text(value, *, missing: str, field: str) -> str:
    if found := text_problems(value or "", max_length=MESSAGE_MAX_LENGTH, required=missing):
        raise ValidationError({field: found})
    return value.strip()


@transaction.atomic
def application_ask_more(*, application: Application, actor, message: str) -> Application:
    """Staff ask for what is missing (required): the committee sends the application again by
    ``committee_due`` (today + the scheme's ``info_days``); the municipality's clock stops."""
    application = lock_application(application)
    _refuse_unless_answerable(application, actor)
    message = _required_text(
        message, missing=_("Write what the committee must add."), field="message"
    )
    today = timezone.localdate()

    def change(*, application, **kwargs):
        application.committee_due = today + datetime.timedelta(days=application.scheme.info_days)
        application.answer_due = None

    return application_transition(
        application=application,
        actor=actor,
        to_state=A.MORE_INFO,
        message=message,
        change=change,
    )


@transaction.atomic
def application_refuse(*, application: Application, actor, reason: str) -> Application:
    """Staff refuse the application with the reason (required); the committee is told."""
    application = lock_application(application)
    _refuse_unless_answerable(application, actor)
    reason = _required_text(
        reason, missing=_("Write why the application is refused."), field="reason"
    )
    now = timezone.now()

    def change(*, application, **kwargs):
        application.decided_at = now
        application.answer_due = None
        application.committee_due = None

    return application_transition(
        application=application,
        actor=actor,
        to_state=A.REFUSED,
        message=reason,
        change=change,
    )


def granted_in_scheme(scheme: GrantScheme, *, excluding: Application | None = None) -> Decimal:
    """What the scheme has granted to applications granted or paid (one query)."""
    qs = Application.objects.filter(scheme=scheme, state__in=sorted(PUBLIC_APPLICATION_STATES))
    if excluding is not None:
        qs = qs.exclude(pk=excluding.pk)
    return qs.aggregate(total=Sum("amount_granted"))["total"] or Decimal(0)


def grant_problems(application: Application, amount) -> list[str]:
    """Why ``amount`` cannot be granted (empty when it can): more than 0, at most what was
    applied for and the scheme's most per application, and within what is left of the pot."""
    number = _decimal(amount)
    if number is None or not number.is_finite():
        return [_("Write the amount as a number, e.g. 1250.50.")]
    if number != number.quantize(ORE):
        return [_("Write the amount with at most two decimals (øre).")]
    if number <= 0:
        return [_("The amount granted must be more than 0.")]
    if number > application.amount_requested:
        return [
            _("The amount granted cannot be more than the amount applied for (%(amount)s).")
            % {"amount": money(application.amount_requested)}
        ]
    scheme = application.scheme
    if scheme.max_amount is not None and number > scheme.max_amount:
        return [_("The scheme gives at most %(amount)s.") % {"amount": money(scheme.max_amount)}]
    granted = granted_in_scheme(scheme, excluding=application)
    if granted + number > scheme.pot:
        return [
            _(
                "The pot is exceeded: %(granted)s of %(pot)s has been granted already, so at "
                "most %(left)s is left."
            )
            % {
                "granted": money(granted),
                "pot": money(scheme.pot),
                "left": money(max(scheme.pot - granted, Decimal(0))),
            }
        ]
    return []


def report_due_for(application: Application) -> datetime.date:
    """When the report of a grant paid afterwards is due: the scheme's report deadline, else
    ``REPORT_DAYS_AFTER_END`` days after the application's last day."""
    return application.scheme.report_deadline or application.ends_on + datetime.timedelta(
        days=REPORT_DAYS_AFTER_END
    )


@transaction.atomic
def application_grant(
    *, application: Application, actor, amount, conditions: str = ""
) -> Application:
    """Staff grant ``amount`` with ``conditions`` (optional). Paid in advance: the payment is
    created once, at once, and the application is approved for payment; paid afterwards: the
    committee reports by ``report_due_for``."""
    application = lock_application(application)
    _refuse_unless_answerable(application, actor)
    # The scheme's row lock: grants from one pot are decided one at a time.
    scheme = GrantScheme.objects.select_for_update().get(pk=application.scheme_id)
    application.scheme = scheme
    if found := grant_problems(application, amount):
        raise ValidationError({"amount": found})
    if found := text_problems(conditions or "", max_length=CONDITIONS_MAX_LENGTH):
        raise ValidationError({"conditions": found})
    amount = _decimal(amount)
    now = timezone.now()
    today = timezone.localdate()
    advance = not scheme.paid_afterwards

    def change(*, application, **kwargs):
        application.amount_granted = amount
        application.conditions = (conditions or "").strip()
        application.decided_at = now
        application.answer_due = None
        application.committee_due = None if advance else report_due_for(application)

    application = application_transition(
        application=application,
        actor=actor,
        to_state=A.GRANTED,
        message=(conditions or "").strip(),
        parties={Party.MUNICIPALITY},  # checked above (a by_service step: it takes an amount)
        change=change,
    )
    if advance:
        application = _pay_in_advance(application, actor=actor, today=today)
    return application


def _pay_in_advance(application: Application, *, actor, today: datetime.date) -> Application:
    if application.payment_id is not None:
        return application  # created once
    scheme = application.scheme
    payment = payments.grant_payment_create(
        committee=application.committee,
        department=scheme.department,
        amount=application.amount_granted,
        due_on=today + datetime.timedelta(days=scheme.payment_days),
        description=f"{application.number} {application.title}",
    )

    def change(*, application, **kwargs):
        application.payment = payment

    application = application_transition(
        application=application,
        actor=actor,
        to_state=A.PAYABLE,
        parties={Party.SYSTEM},
        change=change,
    )
    record(
        application,
        kind=ApplicationEvent.Kind.PAYMENT_CREATED,
        actor=actor,
        party=Party.SYSTEM,
        message=_("%(amount)s, due %(due)s")
        % {"amount": money(payment.amount), "due": local_date(payment.due_on)},
    )
    return application
