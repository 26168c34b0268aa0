"""The report after a dugnad: how many came, the hours, what was done and photos.

The hours are given as a total, or per participant from the sign-up list (``Signup.hours``
of the confirmed sign-ups, a party's hours together), and then the total is their sum: the one
figure the value is worked out from (``dugnads.figures``). The first report is the step
held → reported of the step table; reporting again corrects the figures, keeps the state and
leaves a line on the timeline. Everything — figures, sign-ups' hours, photos, the step — is in
one transaction under the dugnad's row lock, and all of it is checked before anything is
written: bad input (a bad photo among good ones too) saves nothing.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    MAX_CAPACITY,
    REPORT_MAX_LENGTH,
    Dugnad,
    DugnadEvent,
    Party,
    Signup,
    SignupState,
    State,
)
from ..permissions import can_manage_dugnad
from .lifecycle import dugnad_transition
from .photos import photo_delete, photos_prepare, photos_store

REPORTABLE_STATES = frozenset({State.COMPLETED, State.REPORTED})
MAX_HOURS_TOTAL = Decimal("100000")
MAX_HOURS_PER_SIGNUP = Decimal("1000")
ONE_DECIMAL = Decimal("0.1")


def _hours_problem(value, *, maximum: Decimal) -> str | None:
    try:
        hours = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return _("Write the hours as a number, e.g. 12.5.")
    if not hours.is_finite() or hours < 0 or hours > maximum:
        return _("The hours must be between 0 and %(max)s.") % {
            "max": f"{maximum:,}".replace(",", " ")
        }
    if hours != hours.quantize(ONE_DECIMAL):
        return _("Write the hours with at most one decimal.")
    return None


def report_problems(
    *,
    dugnad: Dugnad,
    participant_count,
    hours_total,
    hours_per_signup,
    report: str,
    confirmed_ids: set[int],
) -> dict[str, list[str]]:
    """Why the report cannot be saved (empty when it can), by field."""
    problems: dict[str, list[str]] = {}

    def add(field, message):
        problems.setdefault(field, []).append(message)

    if dugnad.state not in REPORTABLE_STATES:
        add(None, _("A dugnad can be reported once it has been held."))
    if (
        not isinstance(participant_count, int)
        or isinstance(participant_count, bool)
        or not 1 <= participant_count <= MAX_CAPACITY
    ):
        add(
            "participant_count",
            _("Write how many took part (1 to %(max)d).") % {"max": MAX_CAPACITY},
        )
    if (hours_total is None) == (hours_per_signup is None):
        add("hours_total", _("Give the hours either in total or per participant."))
    elif hours_total is not None:
        if problem := _hours_problem(hours_total, maximum=MAX_HOURS_TOTAL):
            add("hours_total", problem)
    else:
        strangers = set(hours_per_signup) - confirmed_ids
        if strangers:
            add(None, _("Hours can only be given for confirmed sign-ups of this dugnad."))
        for signup_id, hours in hours_per_signup.items():
            if hours is not None and (
                problem := _hours_problem(hours, maximum=MAX_HOURS_PER_SIGNUP)
            ):
                add(f"hours_{signup_id}", problem)
        if (
            not problems
            and sum((Decimal(h) for h in hours_per_signup.values() if h is not None), Decimal(0))
            > MAX_HOURS_TOTAL
        ):
            add(None, _("The hours add up to more than %(max)s.") % {"max": MAX_HOURS_TOTAL})
    if not isinstance(report, str) or not report.strip():
        add("report", _("Write what was done."))
    elif len(report) > REPORT_MAX_LENGTH:
        add("report", _("At most %(n)d characters.") % {"n": REPORT_MAX_LENGTH})
    elif "\x00" in report:
        add("report", _("The text contains a character that is not allowed."))
    return problems


@transaction.atomic
def dugnad_report(
    *,
    dugnad: Dugnad,
    actor,
    participant_count: int,
    hours_total: Decimal | None = None,
    hours_per_signup: dict[int, Decimal | None] | None = None,
    report: str,
    photos=(),
    remove_photos=(),
) -> Dugnad:
    """Report a held dugnad, or correct its report.

    ``hours_total`` or ``hours_per_signup`` (``{signup id: hours or None}`` for the confirmed
    sign-ups; the total is their sum; a total given instead clears the sign-ups' hours, so the
    two never disagree). ``photos``: ``[(uploaded file, description), …]`` added to those the
    report has; ``remove_photos``: ids of its photos to take away. Raises ``ValidationError`` (by field) and writes nothing when anything is wrong.
    """
    dugnad = (
        Dugnad.objects.select_for_update(of=("self",)).select_related("committee").get(pk=dugnad.pk)
    )
    if not can_manage_dugnad(actor, dugnad):
        raise ValidationError(
            _("Only the dugnad's organisers and the committee's leader can report it.")
        )
    confirmed = {
        signup.pk: signup
        for signup in dugnad.signups.filter(state=SignupState.CONFIRMED).order_by("pk")
    }
    problems = report_problems(
        dugnad=dugnad,
        participant_count=participant_count,
        hours_total=hours_total,
        hours_per_signup=hours_per_signup,
        report=report,
        confirmed_ids=set(confirmed),
    )
    if problems:
        raise ValidationError(problems)
    removed = set(remove_photos)
    if removed:
        photos_to_remove = list(dugnad.photos.filter(pk__in=removed))
        if len(photos_to_remove) != len(removed):
            raise ValidationError({"remove_photos": [_("That photo is not in this report.")]})
        for photo in photos_to_remove:
            photo_delete(photo=photo)  # the file goes only if all of this commits
    try:
        prepared = photos_prepare(dugnad=dugnad, photos=list(photos))
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None

    if hours_per_signup is not None:
        changed = []
        for signup_id, signup in confirmed.items():
            value = hours_per_signup.get(signup_id)
            signup.hours = None if value is None else Decimal(value)
            changed.append(signup)
        Signup.objects.bulk_update(changed, ["hours"])
        dugnad.signups.exclude(pk__in=list(confirmed)).exclude(hours=None).update(hours=None)
        hours_total = sum((s.hours for s in changed if s.hours is not None), Decimal(0))
    else:
        dugnad.signups.exclude(hours=None).update(hours=None)
    first = dugnad.state == State.COMPLETED
    dugnad.participant_count = participant_count
    dugnad.hours_total = Decimal(hours_total)
    dugnad.report = report.strip()
    if first or dugnad.reported_at is None:
        dugnad.reported_at = timezone.now()
    dugnad.full_clean()
    dugnad.save()
    if first:
        dugnad = dugnad_transition(dugnad=dugnad, actor=actor, to_state=State.REPORTED)
        if dugnad.origin_proposal_id:
            # The wish it came from is done: the proposal's case is completed (if in progress).
            from proposals import services as proposal_services

            proposal_services.proposal_follow_up_done(proposal=dugnad.origin_proposal, actor=actor)
    else:
        DugnadEvent.objects.create(
            dugnad=dugnad,
            kind=DugnadEvent.Kind.REPORT,
            actor=actor,
            actor_party=Party.COMMITTEE,
            from_state=State.REPORTED,
            to_state=State.REPORTED,
        )
    # Last, so nothing after it can fail and leave stored files without their rows.
    photos_store(dugnad=dugnad, actor=actor, prepared=prepared)
    return dugnad
