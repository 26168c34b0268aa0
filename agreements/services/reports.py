"""Reporting duties, the committee's side of an agreement's deadlines: the board writes the
report, the municipality approves it or returns it with a comment.

A duty's report is open → submitted → approved, or submitted → returned → submitted again.
Each step is one function here, in one transaction under the duty's row lock, with a line on the
agreement's timeline and a notice to the other party. Everything is checked before anything is
written: bad input (a bad photo among good ones too) saves nothing.

**The money.** Only tasks priced "reimbursed against documentation" carry documented costs. When
a report is approved, its documented costs become one payment (``Payment.source = "report"``,
due ``PAYMENT_DAYS`` after the approval), capped by each task's yearly ceiling (``Task.amount``):

    for each reimbursed task T and each calendar year Y of the lines' dates,
      before = documented costs of T in Y on the agreement's other approved reports
               (reports whose payment was cancelled do not count)
      this   = documented costs of T in Y on this report
      paid   = min(ceiling, before + this) − min(ceiling, before)

and the payment is the sum of ``paid``. Since every earlier approval was capped the same way,
what has been paid for T in Y is always ``min(ceiling, all its approved costs)``: never more
than the ceiling, and the costs over it are never paid by a later report either. No payment is
made when the sum is 0. Approvals take the agreement's row lock, so two at once are counted one
after the other.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.formatting import local_date, money
from notifications.services import notify

from .. import notifications
from ..models import (
    IN_FORCE_STATES,
    LINE_MAX_LENGTH,
    MAX_HOURS,
    MAX_REPORT_LINES,
    MONEY,
    Agreement,
    AgreementEvent,
    DutyState,
    Party,
    Payment,
    PaymentSource,
    Pricing,
    ReportDuty,
    ReportLine,
    State,
    Task,
)
from ..permissions import can_report, can_review_reports
from ..selectors import board_recipients, department_recipients
from . import report_photos
from .lifecycle import lock, record

SUMMARY_MAX_LENGTH = ReportDuty._meta.get_field("summary").max_length
COMMENT_MAX_LENGTH = ReportDuty._meta.get_field("review_comment").max_length
PAYMENT_DAYS = 30
ONE_DECIMAL = Decimal("0.1")
ORE = Decimal("0.01")
MAX_COST = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"]) - ORE
NOT_ALLOWED = "\x00"


# --- who may, and when ------------------------------------------------------------------------


def is_reportable(agreement: Agreement, *, today: datetime.date | None = None) -> bool:
    """Reports are written while the agreement is in force, or terminated but not yet at its
    last day (the work goes on during the notice period)."""
    today = today or timezone.localdate()
    if agreement.state in IN_FORCE_STATES:
        return True
    return (
        agreement.state == State.TERMINATED
        and agreement.terminated_on is not None
        and today <= agreement.terminated_on
    )


def can_edit_report(user, duty: ReportDuty, *, today: datetime.date | None = None) -> bool:
    """The committee's board, for a duty still owed (open or returned) on a reportable
    agreement: the one rule for the form page and ``report_submit``."""
    return (
        duty.state in (DutyState.OPEN, DutyState.RETURNED)
        and is_reportable(duty.agreement, today=today)
        and can_report(user, duty.agreement)
    )


def report_url(duty: ReportDuty) -> str:
    return reverse(
        "agreements:report-form", kwargs={"number": duty.agreement.number, "pk": duty.pk}
    )


# --- the rules for a report's text and lines --------------------------------------------------


def text_problems(value, *, max_length: int, required: str | None = None) -> list[str]:
    if not isinstance(value, str):
        return [_("Write it as text.")]
    if required and not value.strip():
        return [required]
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
        return Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None


def line_problems(
    *,
    task: Task | None,
    done_on,
    hours,
    documented_cost,
    note: str = "",
    agreement: Agreement,
    today: datetime.date,
) -> dict[str, list[str]]:
    """Why one line cannot be on the report (empty when it can), by field. The form asks the
    same of each row, so the page and the service say the same."""
    problems: dict[str, list[str]] = {}

    def add(field, message):
        problems.setdefault(field, []).append(message)

    if task is None or task.agreement_id != agreement.pk:
        add("task", _("Choose one of this agreement's tasks."))
    if not isinstance(done_on, datetime.date) or isinstance(done_on, datetime.datetime):
        add("done_on", _("Give the date the task was done."))
    elif done_on > today:
        add("done_on", _("The date cannot be in the future."))
    elif not agreement.starts_on <= done_on <= agreement.last_day:
        add(
            "done_on",
            _("The date must be within the agreement's period (%(start)s to %(end)s).")
            % {"start": local_date(agreement.starts_on), "end": local_date(agreement.last_day)},
        )
    number = _decimal(hours)
    if number is None or not number.is_finite():
        add("hours", _("Write the hours as a number, e.g. 12.5."))
    elif number <= 0 or number > MAX_HOURS:
        add("hours", _("The hours must be more than 0 and at most %(max)s.") % {"max": MAX_HOURS})
    elif number != number.quantize(ONE_DECIMAL):
        add("hours", _("Write the hours with at most one decimal."))
    cost = Decimal(0) if documented_cost in (None, "") else _decimal(documented_cost)
    if cost is None or not cost.is_finite():
        add("documented_cost", _("Write the amount as a number, e.g. 1250.50."))
    elif cost < 0 or cost > MAX_COST:
        add("documented_cost", _("The amount must be between 0 and %(max)s.") % {"max": MAX_COST})
    elif cost != cost.quantize(ORE):
        add("documented_cost", _("Write the amount with at most two decimals (øre)."))
    elif cost and task is not None and task.pricing != Pricing.REIMBURSED:
        add(
            "documented_cost",
            _(
                "Documented costs are only for tasks reimbursed against documentation; "
                "“%(task)s” has a fixed price."
            )
            % {"task": task},
        )
    if problem := text_problems(note, max_length=LINE_MAX_LENGTH):
        problems["note"] = problem
    return problems


@dataclass(frozen=True)
class CheckedLine:
    task: Task
    done_on: datetime.date
    hours: Decimal
    documented_cost: Decimal
    note: str


def lines_check(
    lines, *, agreement: Agreement, tasks: dict[int, Task], today: datetime.date
) -> tuple[list[CheckedLine], list[str]]:
    """The report's lines checked (``[{task, done_on, hours, documented_cost, note}, …]``, a
    task as a ``Task`` or its id): the lines to write, or the problems, each naming its line."""
    lines = list(lines)
    if not lines:
        return [], [_("Add at least one task done.")]
    if len(lines) > MAX_REPORT_LINES:
        return [], [_("A report can have at most %(n)d lines.") % {"n": MAX_REPORT_LINES}]
    checked, problems = [], []
    for number, line in enumerate(lines, start=1):
        given = line.get("task")
        task = tasks.get(getattr(given, "pk", given)) if given is not None else None
        found = line_problems(
            task=task,
            done_on=line.get("done_on"),
            hours=line.get("hours"),
            documented_cost=line.get("documented_cost"),
            note=line.get("note") or "",
            agreement=agreement,
            today=today,
        )
        for messages in found.values():
            problems += [
                _("Line %(n)d: %(problem)s") % {"n": number, "problem": m} for m in messages
            ]
        if not found:
            checked.append(
                CheckedLine(
                    task=task,
                    done_on=line["done_on"],
                    hours=_decimal(line["hours"]),
                    documented_cost=_decimal(line.get("documented_cost") or 0),
                    note=(line.get("note") or "").strip(),
                )
            )
    return checked, problems


def _locked_duty(duty: ReportDuty) -> ReportDuty:
    return (
        ReportDuty.objects.select_for_update(of=("self",))
        .select_related("agreement__committee", "agreement__department")
        .get(pk=duty.pk)
    )


def _tell(duty: ReportDuty, event: AgreementEvent, *, kind: str, recipients, context=None):
    notify(
        recipients=recipients,
        kind=kind,
        context={"agreement": duty.agreement, "duty": duty, **(context or {})},
        target=report_url(duty),
        dedupe_key=f"agreement:{duty.agreement_id}:report:{duty.pk}:{event.pk}",
    )


# --- the committee submits --------------------------------------------------------------------


@transaction.atomic
def report_submit(
    *, duty: ReportDuty, actor, summary: str, lines, photos=(), remove_photos=()
) -> ReportDuty:
    """The committee's board submits the report for ``duty`` (open, or returned for changes).

    ``lines``: ``[{task, done_on, hours, documented_cost, note}, …]``, replacing the lines of an
    earlier submission. ``photos``: ``[(uploaded file, caption), …]`` added to those the report
    has; ``remove_photos``: ids of its photos to take away. The department is told. Raises
    ``ValidationError`` (by field: ``summary``, ``lines``, ``photos``, ``remove_photos``) and
    writes nothing when anything is wrong."""
    duty = _locked_duty(duty)
    agreement = duty.agreement
    today = timezone.localdate()
    if not can_report(actor, agreement):
        raise ValidationError(_("Only the committee's board can report on its agreements."))
    if duty.state not in (DutyState.OPEN, DutyState.RETURNED):
        raise ValidationError(_("This report has been submitted already."))
    if not is_reportable(agreement, today=today):
        raise ValidationError(_("Reports can only be written while the agreement is in force."))
    problems: dict[str, list[str]] = {}
    if found := text_problems(
        summary, max_length=SUMMARY_MAX_LENGTH, required=_("Write what was done.")
    ):
        problems["summary"] = found
    tasks = {task.pk: task for task in agreement.tasks.all()}
    checked, line_messages = lines_check(lines, agreement=agreement, tasks=tasks, today=today)
    if line_messages:
        problems["lines"] = line_messages
    existing = {photo.pk: photo for photo in duty.photos.all()}
    removed = set(remove_photos)
    if removed - set(existing):
        problems["remove_photos"] = [_("That photo is not in this report.")]
    kept = len(existing) - len(removed & set(existing))
    photos = list(photos)
    prepared = []
    try:
        prepared = report_photos.photos_prepare(existing=kept, photos=photos)
    except ValidationError as error:
        problems["photos"] = error.messages
    if problems:
        raise ValidationError(problems)

    for photo in (existing[pk] for pk in removed):
        report_photos.photo_delete(photo=photo)  # the file goes only if all of this commits
    duty.lines.all().delete()  # one by one, so the history keeps each line removed
    bulk_create_with_history(
        [
            ReportLine(
                duty=duty,
                task=line.task,
                done_on=line.done_on,
                hours=line.hours,
                documented_cost=line.documented_cost,
                note=line.note,
            )
            for line in checked
        ],
        ReportLine,
        default_user=actor,
    )
    duty.summary = summary.strip()
    duty.state = DutyState.SUBMITTED
    duty.submitted_at = timezone.now()
    duty.submitted_by = actor
    # A new submission has not been reviewed: the last review stays in the history and on the
    # timeline (the returned line carries the comment).
    duty.reviewed_at = None
    duty.reviewed_by = None
    duty.review_comment = ""
    duty.full_clean()
    duty.save()
    event = record(
        agreement,
        kind=AgreementEvent.Kind.REPORT_SUBMITTED,
        actor=actor,
        party=Party.COMMITTEE,
        message=duty.title,
    )
    _tell(
        duty,
        event,
        kind=notifications.REPORT_SUBMITTED,
        recipients=department_recipients(agreement.department),
    )
    # Last, so nothing after it can fail and leave stored files without their rows.
    report_photos.photos_store(duty=duty, actor=actor, prepared=prepared)
    return duty


# --- the municipality reviews -----------------------------------------------------------------


@dataclass(frozen=True)
class Reimbursement:
    """One reimbursed task's costs in one year on a report, and what is paid of them."""

    task: Task
    year: int
    documented: Decimal
    before: Decimal
    paid: Decimal


def reimbursements(duty: ReportDuty) -> list[Reimbursement]:
    """What the municipality pays for ``duty``'s documented costs, task by task and year by
    year, by the ceiling rule in this module's docstring (two queries)."""
    this: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    tasks: dict[int, Task] = {}
    for line in duty.lines.select_related("task").filter(
        task__pricing=Pricing.REIMBURSED, documented_cost__gt=0
    ):
        this[line.task_id, line.done_on.year] += line.documented_cost
        tasks[line.task_id] = line.task
    if not this:
        return []
    before = {
        (row["task_id"], row["year"]): row["total"]
        for row in ReportLine.objects.filter(
            task_id__in=list(tasks), duty__state=DutyState.APPROVED, documented_cost__gt=0
        )
        .exclude(duty=duty)
        .exclude(duty__payment__cancelled=True)
        .annotate(year=ExtractYear("done_on"))
        .values("task_id", "year")
        .annotate(total=Sum("documented_cost"))
    }
    result = []
    for (task_id, year), documented in sorted(this.items()):
        task = tasks[task_id]
        earlier = before.get((task_id, year), Decimal(0))
        ceiling = task.amount
        paid = max(Decimal(0), min(ceiling, earlier + documented) - min(ceiling, earlier))
        result.append(
            Reimbursement(task=task, year=year, documented=documented, before=earlier, paid=paid)
        )
    return result


def _review_checks(duty: ReportDuty, actor) -> None:
    if not can_review_reports(actor):
        raise ValidationError(_("Only municipal staff who review reports can do that."))
    if duty.state != DutyState.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved or returned."))


@transaction.atomic
def report_approve(*, duty: ReportDuty, actor) -> ReportDuty:
    """Staff approve a submitted report; the board is told, and its documented costs become
    one payment (capped by the tasks' yearly ceilings; none when there is nothing to pay)."""
    lock(duty.agreement)  # the agreement's approvals one at a time: the ceilings add up
    duty = _locked_duty(duty)
    _review_checks(duty, actor)
    agreement = duty.agreement
    duty.state = DutyState.APPROVED
    duty.reviewed_at = timezone.now()
    duty.reviewed_by = actor
    duty.review_comment = ""
    duty.full_clean()
    duty.save()
    amount = sum((r.paid for r in reimbursements(duty)), Decimal(0))
    message = duty.title
    if amount > 0:
        payment = Payment(
            agreement=agreement,
            source=PaymentSource.REPORT,
            duty=duty,
            amount=amount,
            due_on=timezone.localdate() + datetime.timedelta(days=PAYMENT_DAYS),
            description=(_("Documented costs: %(report)s") % {"report": duty.title})[
                :LINE_MAX_LENGTH
            ],
        )
        payment.full_clean()
        payment.save()
        message = _("%(report)s (documented costs to be paid: %(amount)s)") % {
            "report": duty.title,
            "amount": money(amount),
        }
    event = record(
        agreement,
        kind=AgreementEvent.Kind.REPORT_APPROVED,
        actor=actor,
        party=Party.MUNICIPALITY,
        message=message,
    )
    _tell(duty, event, kind=notifications.REPORT_APPROVED, recipients=board_recipients(agreement))
    return duty


@transaction.atomic
def report_return(*, duty: ReportDuty, actor, comment: str) -> ReportDuty:
    """Staff return a submitted report with a comment (required): the board changes it and
    submits it again."""
    duty = _locked_duty(duty)
    _review_checks(duty, actor)
    if problems := text_problems(
        comment,
        max_length=COMMENT_MAX_LENGTH,
        required=_("Say what should be changed in the report."),
    ):
        raise ValidationError({"comment": problems})
    agreement = duty.agreement
    duty.state = DutyState.RETURNED
    duty.reviewed_at = timezone.now()
    duty.reviewed_by = actor
    duty.review_comment = comment.strip()
    duty.full_clean()
    duty.save()
    event = record(
        agreement,
        kind=AgreementEvent.Kind.REPORT_RETURNED,
        actor=actor,
        party=Party.MUNICIPALITY,
        message=duty.review_comment,
    )
    _tell(
        duty,
        event,
        kind=notifications.REPORT_RETURNED,
        recipients=board_recipients(agreement),
        context={"comment": duty.review_comment},
    )
    return duty
