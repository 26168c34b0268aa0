"""The report of a granted application on a scheme paid afterwards: what was done, the actual
costs with their receipts, the hours worked and photos "after"; then the municipality's review.

The steps (``steps.APPLICATION_STEPS``): granted (or returned) → reported, by the committee's
board (``report_submit``); reported → returned with a comment (``report_return``) or → payable
(``report_approve``: the payment is created), by staff who answer applications. Until it is sent
the board saves the report as often as it likes (``report_save``), in the states of
``REPORT_EDITABLE``.

**The rules.**

- A cost line is what was actually paid (``BudgetLine`` with ``actual=True``): what, the amount
  (more than 0), and its receipt, a PDF, PNG or JPEG checked by its name *and* its first bytes
  (``core.attachments``), at most ``GRANTS["MAX_DOCUMENT_BYTES"]``; at most ``MAX_COST_LINES``
  lines. A receipt is the parties' own, never public.
- The hours: those written by hand (``actual_hours``) plus the hours of the committee's dugnads
  linked to the report (``Dugnad.hours_total``), counted once reported
  (``dugnads.COUNTED_STATES``). A dugnad counts in one grant report only, and only the
  committee's own from the scheme's year on can be linked. :func:`report_hours` is the one rule
  (the pages and the key figures: :func:`report_hours_expression` is the same in SQL).
- Photos "after": JPEG, PNG or WebP, at most ``GRANTS["MAX_PHOTO_BYTES"]``, at most
  ``GRANTS["MAX_PHOTOS_PER_APPLICATION"]`` of them, each with a description for those who cannot
  see it; re-encoded (``core.images.reencode_upload``: no EXIF, no GPS position).
- Sending needs what was done in words, at least one cost line and at least one photo "after".
  The municipality then reviews it within the scheme's ``answer_days`` (``answer_due``); a
  returned report is corrected within ``info_days`` (``committee_due``). Each step stops
  the other party's clock (its date is cleared), as the application's own steps do.
- Approval pays ``min(amount granted, the actual costs)``, once, due in the scheme's
  ``payment_days`` (``services.payments.grant_payment_create``), with a "payment created" line
  on the timeline.

Everything is checked before anything is written, so bad input (one bad receipt among good
ones) saves nothing; files are stored last and removed again if storing fails.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import MAX_HOURS, MONEY
from core import attachments as core_attachments
from core.formatting import local_date, money
from dugnads.models import COUNTED_STATES, Dugnad

from ..models import (
    MAX_COST_LINES,
    REPORT_EDITABLE,
    Application,
    ApplicationEvent,
    ApplicationPhoto,
    ApplicationState,
    BudgetLine,
    Party,
    PhotoKind,
)
from ..permissions import application_parties, can_answer_applications, is_board
from . import applications, payments
from .applications import (  # the same rules as the application's own
    PreparedPhoto,
    _decimal,
    photo_description_problems,  # noqa: F401 (the report's form uses it from here)
    text_problems,
)
from .lifecycle import application_transition, lock_application, record

RECEIPT_TYPES = core_attachments.DOCUMENTS_AND_IMAGES
PHOTO_TYPES = core_attachments.PHOTOS
REPORT_TEXT_MAX_LENGTH = Application._meta.get_field("report_text").max_length
DESCRIPTION_MAX_LENGTH = BudgetLine._meta.get_field("description").max_length
PHOTO_DESCRIPTION_MAX_LENGTH = ApplicationPhoto._meta.get_field("description").max_length
COMMENT_MAX_LENGTH = 2_000
PHOTO_MAX_PIXELS = 2000
ORE = Decimal("0.01")
ONE_DECIMAL = Decimal("0.1")
MAX_COST = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"]) - ORE
NOT_ALLOWED = "\x00"
# The states in which an application has a report to show (paid afterwards only).
REPORT_STATES = frozenset(
    {
        ApplicationState.GRANTED,
        ApplicationState.REPORTED,
        ApplicationState.REPORT_RETURNED,
        ApplicationState.PAYABLE,
    }
)
TOO_MANY_PHOTOS = gettext_lazy("A report can have at most %(n)d photos “after”.")
TOO_MANY_LINES = gettext_lazy("A report can have at most %(n)d cost lines.")


def max_receipt_bytes() -> int:
    return settings.GRANTS["MAX_DOCUMENT_BYTES"]


def max_photo_bytes() -> int:
    return settings.GRANTS["MAX_PHOTO_BYTES"]


def max_photos() -> int:
    return settings.GRANTS["MAX_PHOTOS_PER_APPLICATION"]


# --- who may, and when ------------------------------------------------------------------------


def has_report(application: Application) -> bool:
    """A granted application on a scheme paid afterwards has a report (written or to write)."""
    return application.scheme.paid_afterwards and application.state in REPORT_STATES


def is_report_editable(application: Application) -> bool:
    return application.scheme.paid_afterwards and application.state in REPORT_EDITABLE


def can_edit_report(user, application: Application) -> bool:
    """The committee's board, while the report is to write or returned: the one rule for the
    form page and the services."""
    return is_report_editable(application) and is_board(user, application.committee)


def can_see_receipts(user, application: Application) -> bool:
    """Receipts are the parties' own (the board, staff who answer applications): never public."""
    return bool(application_parties(user, application))


# --- the hours --------------------------------------------------------------------------------


def report_hours(application: Application, *, dugnads=None) -> Decimal:
    """The hours the report counts: those written by hand plus the linked dugnads' reported
    hours. ``dugnads``: the linked dugnads when the caller has read them already (else one
    query, or none with ``dugnads`` prefetched)."""
    if dugnads is None:
        dugnads = application.dugnads.all()
    linked = sum(
        (dugnad.hours_total or Decimal(0) for dugnad in dugnads if dugnad.state in COUNTED_STATES),
        Decimal(0),
    )
    return (application.actual_hours or Decimal(0)) + linked


def report_hours_expression():
    """:func:`report_hours` as an expression for ``annotate`` on ``Application`` querysets (one
    query for a whole list or the key figures)."""
    hours = DecimalField(max_digits=12, decimal_places=1)
    dugnad_hours = (
        Dugnad.objects.filter(grant_applications=OuterRef("pk"), state__in=list(COUNTED_STATES))
        .order_by()
        .values("grant_applications")
        .annotate(total=Sum("hours_total"))
        .values("total")
    )
    return ExpressionWrapper(
        Coalesce(F("actual_hours"), Value(Decimal(0)), output_field=hours)
        + Coalesce(
            Subquery(dugnad_hours, output_field=hours), Value(Decimal(0)), output_field=hours
        ),
        output_field=hours,
    )


def actual_costs(application: Application) -> Decimal:
    """The sum of the report's actual cost lines (one query)."""
    total = application.budget_lines.filter(actual=True).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def payable_amount(application: Application, *, costs: Decimal | None = None) -> Decimal:
    """What approval pays: the amount granted, or the actual costs if they are less."""
    costs = actual_costs(application) if costs is None else costs
    return min(application.amount_granted or Decimal(0), costs)


def linkable_dugnads(application: Application):
    """The dugnads the report may link: the committee's own, reported (their hours are known),
    held from the scheme's year on, and not counted in another grant report."""
    start = timezone.make_aware(datetime.datetime(application.scheme.year, 1, 1))
    return (
        Dugnad.objects.filter(
            committee_id=application.committee_id,
            state__in=list(COUNTED_STATES),
            starts_at__gte=start,
        )
        .exclude(grant_applications__in=Application.objects.exclude(pk=application.pk))
        .order_by("-starts_at", "pk")
    )


# --- the rules for what is written ------------------------------------------------------------


def hours_problems(value) -> list[str]:
    """Hours written by hand: empty, or 0 to ``MAX_HOURS`` with at most one decimal."""
    if value in (None, ""):
        return []
    number = _decimal(value)
    if number is None or not number.is_finite():
        return [_("Write the hours as a number, e.g. 12.5.")]
    if number < 0 or number > MAX_HOURS:
        return [_("The hours must be between 0 and %(max)s.") % {"max": MAX_HOURS}]
    if number != number.quantize(ONE_DECIMAL):
        return [_("Write the hours with at most one decimal.")]
    return []


def amount_problems(value) -> list[str]:
    number = _decimal(value)
    if number is None or not number.is_finite():
        return [_("Write the amount as a number, e.g. 1250.50.")]
    if number <= 0 or number > MAX_COST:
        return [_("The amount must be more than 0 and at most %(max)s.") % {"max": MAX_COST}]
    if number != number.quantize(ORE):
        return [_("Write the amount with at most two decimals (øre).")]
    return []


def receipt_problems(uploaded_file) -> list[str]:
    """Why a file cannot be a receipt (empty when it can): its name, size and first bytes."""
    return core_attachments.attachment_problems(
        uploaded_file=uploaded_file,
        existing_count=0,
        max_bytes=max_receipt_bytes(),
        max_count=MAX_COST_LINES,
        types=RECEIPT_TYPES,
    )


def photo_problems(uploaded_file, *, existing_count: int) -> list[str]:
    """Why a file cannot be a photo "after" (the application's rule, the report's count)."""
    return applications.photo_problems(
        uploaded_file, existing_count=existing_count, too_many=TOO_MANY_PHOTOS
    )


@dataclass(frozen=True)
class CheckedLine:
    line: BudgetLine | None  # an existing line kept, or None for a new one
    description: str
    amount: Decimal
    receipt: object | None  # an uploaded file, or None to keep the line's receipt


def lines_check(lines, *, existing: dict[int, BudgetLine]) -> tuple[list[CheckedLine], list[str]]:
    """The report's cost lines (``[{pk, description, amount, receipt}, …]``, ``pk`` for a line
    kept, none for a new one): the lines to write, or the problems, each naming its line."""
    lines = list(lines)
    if len(lines) > MAX_COST_LINES:
        return [], [str(TOO_MANY_LINES) % {"n": MAX_COST_LINES}]
    checked, problems, seen = [], [], set()
    for number, given in enumerate(lines, start=1):
        found: list[str] = []
        pk = given.get("pk")
        line = None
        if pk is not None:
            line = existing.get(pk)
            if line is None or pk in seen:
                found.append(_("That cost line is not in this report."))
            seen.add(pk)
        description = given.get("description") or ""
        found += text_problems(
            description,
            max_length=DESCRIPTION_MAX_LENGTH,
            required=_("Say what the cost was for."),
        )
        found += amount_problems(given.get("amount"))
        receipt = given.get("receipt")
        if receipt:
            found += receipt_problems(receipt)
        elif line is None or not line.receipt:
            found.append(_("Attach the receipt (PDF, PNG or JPEG)."))
        problems += [_("Cost line %(n)d: %(problem)s") % {"n": number, "problem": m} for m in found]
        if not found:
            checked.append(
                CheckedLine(
                    line=line,
                    description=description.strip(),
                    amount=_decimal(given["amount"]),
                    receipt=receipt or None,
                )
            )
    return checked, problems


def photos_prepare(*, existing: int, photos) -> tuple[list[PreparedPhoto], list[str]]:
    """The photos "after", checked and re-encoded as the application's photos are."""
    return applications.photos_prepare(existing=existing, photos=photos, too_many=TOO_MANY_PHOTOS)


# --- the committee writes and sends -----------------------------------------------------------


def _refuse_unless_editable(application: Application, actor) -> None:
    if not is_board(actor, application.committee):
        raise ValidationError(_("Only the committee's board can report on its grant."))
    if not is_report_editable(application):
        raise ValidationError(
            _("The report can only be changed while it is to be written or has been returned.")
        )


def _store_receipt(line: BudgetLine, uploaded_file, stored: list) -> None:
    name = Path(uploaded_file.name or "").name
    kind = RECEIPT_TYPES.for_name(name)
    line.token = core_attachments.new_token()
    line.extension = Path(name).suffix.lower()
    line.content_type = kind.content_type
    uploaded_file.seek(0)
    line.receipt.save(name, uploaded_file, save=False)
    stored.append(line.receipt)


@transaction.atomic
def report_save(
    *,
    application: Application,
    actor,
    report_text: str = "",
    actual_hours=None,
    dugnads=(),
    lines=(),
    photos=(),
    remove_photos=(),
) -> Application:
    """The board saves the report (not sent yet).

    ``lines``: the report's cost lines after saving, ``[{pk, description, amount, receipt}, …]``
    (a line with ``pk`` is kept and may get a new receipt; one without is new and needs one;
    a line left out is removed). ``dugnads``: the dugnads (or their ids) whose hours count.
    ``photos``: ``[(uploaded file, description), …]`` added as photos "after";
    ``remove_photos``: ids of photos "after" to take away. Raises ``ValidationError`` by field
    (``report_text``, ``actual_hours``, ``dugnads``, ``lines``, ``photos``, ``remove_photos``)
    and writes nothing when anything is wrong."""
    application = lock_application(application)
    _refuse_unless_editable(application, actor)
    problems: dict[str, list[str]] = {}
    if found := text_problems(report_text, max_length=REPORT_TEXT_MAX_LENGTH):
        problems["report_text"] = found
    if found := hours_problems(actual_hours):
        problems["actual_hours"] = found
    allowed = {dugnad.pk: dugnad for dugnad in linkable_dugnads(application)}
    chosen = [getattr(d, "pk", d) for d in dugnads]
    if any(pk not in allowed for pk in chosen):
        problems["dugnads"] = [
            _(
                "Choose among the committee's reported dugnads that are not counted in another "
                "grant report."
            )
        ]
    existing_lines = {line.pk: line for line in application.budget_lines.filter(actual=True)}
    checked, line_messages = lines_check(lines, existing=existing_lines)
    if line_messages:
        problems["lines"] = line_messages
    existing_photos = {photo.pk: photo for photo in application.photos.filter(kind=PhotoKind.AFTER)}
    removed = set(remove_photos)
    if removed - set(existing_photos):
        problems["remove_photos"] = [_("That photo is not in this report.")]
    kept = len(existing_photos) - len(removed & set(existing_photos))
    prepared, photo_messages = photos_prepare(existing=kept, photos=list(photos))
    if photo_messages:
        problems["photos"] = photo_messages
    if problems:
        raise ValidationError(problems)

    application.report_text = report_text.strip()
    application.actual_hours = _decimal(actual_hours) if actual_hours not in (None, "") else None
    application.full_clean()
    application.save()
    application.dugnads.set([allowed[pk] for pk in chosen])
    kept_pks = {item.line.pk for item in checked if item.line is not None}
    for pk, line in existing_lines.items():
        if pk not in kept_pks:
            if line.receipt:
                core_attachments.delete_file_on_commit(line.receipt)
            line.delete()
    for pk in removed:
        photo = existing_photos[pk]
        core_attachments.delete_file_on_commit(photo.image)
        photo.delete()
    # Files last: nothing after them can fail and leave stored files without their rows.
    stored: list = []
    try:
        for item in checked:
            line = item.line or BudgetLine(application=application, actual=True)
            line.description = item.description
            line.amount = item.amount
            if item.receipt is not None:
                if line.receipt:
                    core_attachments.delete_file_on_commit(line.receipt)
                _store_receipt(line, item.receipt, stored)
            line.full_clean(exclude=["receipt"])
            line.save()
        for item in prepared:
            item.store(application=application, kind=PhotoKind.AFTER, actor=actor, stored=stored)
    except Exception:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise
    return application


def submit_problems(application: Application) -> list[str]:
    """What the report still lacks before it can be sent (empty when it can be)."""
    problems = []
    if not application.report_text.strip():
        problems.append(_("Write what was done."))
    if not application.budget_lines.filter(actual=True).exists():
        problems.append(_("Add at least one actual cost with its receipt."))
    if not application.photos.filter(kind=PhotoKind.AFTER).exists():
        problems.append(_("Add at least one photo “after”."))
    return problems


@transaction.atomic
def report_submit(*, application: Application, actor) -> Application:
    """The board sends the saved report: the department is told and reviews it by
    ``answer_due`` (today + the scheme's ``answer_days``)."""
    application = lock_application(application)
    _refuse_unless_editable(application, actor)
    if problems := submit_problems(application):
        raise ValidationError(problems)
    today = timezone.localdate()

    def change(*, application, **kwargs):
        application.answer_due = today + datetime.timedelta(days=application.scheme.answer_days)
        application.committee_due = None  # the committee's clock stops

    return application_transition(
        application=application,
        actor=actor,
        to_state=ApplicationState.REPORTED,
        parties={Party.COMMITTEE},
        change=change,
    )


# --- the municipality reviews -----------------------------------------------------------------


def _refuse_unless_reviewable(application: Application, actor) -> None:
    if not can_answer_applications(actor):
        raise ValidationError(_("Only municipal staff who answer applications can do that."))
    if application.state != ApplicationState.REPORTED or not application.scheme.paid_afterwards:
        raise ValidationError(_("Only a report that has been sent can be approved or returned."))


@transaction.atomic
def report_return(*, application: Application, actor, comment: str) -> Application:
    """Staff return the report with a comment (required): the board corrects it and sends it
    again by ``committee_due`` (today + the scheme's ``info_days``)."""
    application = lock_application(application)
    _refuse_unless_reviewable(application, actor)
    if problems := text_problems(
        comment,
        max_length=COMMENT_MAX_LENGTH,
        required=_("Write what the committee must correct."),
    ):
        raise ValidationError({"comment": problems})
    today = timezone.localdate()

    def change(*, application, **kwargs):
        application.committee_due = today + datetime.timedelta(days=application.scheme.info_days)
        application.answer_due = None  # the municipality's clock stops

    return application_transition(
        application=application,
        actor=actor,
        to_state=ApplicationState.REPORT_RETURNED,
        message=comment.strip(),
        change=change,
    )


@transaction.atomic
def report_approve(*, application: Application, actor) -> Application:
    """Staff approve the report: one payment of ``min(amount granted, actual costs)``, due in
    the scheme's ``payment_days``, a "payment created" line on the timeline, and the board is
    told. Under the application's row lock, so two approvals at once make one payment."""
    application = lock_application(application)
    _refuse_unless_reviewable(application, actor)
    if application.payment_id is not None:
        raise ValidationError(_("This grant already has its payment."))
    amount = payable_amount(application)
    if amount <= 0:
        raise ValidationError(_("There is nothing to pay: no amount granted or no actual costs."))
    scheme = application.scheme
    payment = payments.grant_payment_create(
        committee=application.committee,
        department=scheme.department,
        amount=amount,
        due_on=timezone.localdate() + datetime.timedelta(days=scheme.payment_days),
        description=f"{application.number} {application.title}",
    )

    def change(*, application, **kwargs):
        application.payment = payment
        application.answer_due = None  # no deadline left on either side
        application.committee_due = None

    application = application_transition(
        application=application,
        actor=actor,
        to_state=ApplicationState.PAYABLE,
        parties={Party.MUNICIPALITY},
        change=change,
    )
    record(
        application,
        kind=ApplicationEvent.Kind.PAYMENT_CREATED,
        actor=actor,
        party=Party.MUNICIPALITY,
        message=_("%(amount)s, due %(due)s")
        % {"amount": money(amount), "due": local_date(payment.due_on)},
    )
    return application
