"""The dugnads' follow-ups, run by the hourly tasks (``dugnads.tasks``): both parties' deadlines
through ``core.deadlines`` (the municipality's resource answers, the committee's report), and the
participants' reminder before the start.

Every run may be late, missed or doubled: each notification has a dedupe key naming the dugnad,
the deadline and its date (or the start time), the windows look back, and each dugnad is read
again under its row lock before anyone is told, so a dugnad that was answered, moved, cancelled
or reported since the list was made is not told about something it no longer has.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from committees import selectors as committee_selectors
from core.deadlines import PASSED, SOON, DeadlineFollowUp
from notifications.services import notify

from .. import deadlines
from .. import notifications as kinds
from ..models import Dugnad, Resource, ResourceState, SignupState, State
from ..selectors import board_recipients, department_recipients, organiser_recipients
from .lifecycle import dugnads_mark_held
from .participants import guest_mail_queue

# --- the municipality: resource requests answered by ``resources_due`` ---------------------------


def _unanswered():
    return Exists(Resource.objects.filter(dugnad=OuterRef("pk"), state=ResourceState.REQUESTED))


def _resources_escalation(dugnad: Dugnad, deadline) -> list:
    """A passed answer deadline also goes to the committee's municipal contact(s), who can chase
    it inside the municipality, and to the organisers, who must plan without the resource."""
    return [
        *committee_selectors.committee_municipal_contacts(committee=dugnad.committee),
        *organiser_recipients(dugnad),
    ]


def resources_follow_up(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind the departments of unanswered resource requests before ``resources_due``; once it
    has passed, tell them again with the committee's municipal contacts and the organisers.

    Only published dugnads that have not ended and still have a request unanswered; only the
    staff of the departments with an unanswered line hear (``selectors.department_recipients``).
    """
    now = timezone.now()
    published = Dugnad.objects.filter(_unanswered(), state=State.PUBLISHED, ends_at__gt=now)
    return DeadlineFollowUp(
        candidates=lambda low, high: published.filter(resources_due__range=(low, high)),
        current=published.select_related("committee"),
        deadlines_of=lambda dugnad: [d for d in [deadlines.resources_deadline(dugnad)] if d],
        key_prefix=lambda dugnad: f"dugnad:{dugnad.pk}:deadline",
        reminder_kind=kinds.RESOURCE_DUE_SOON,
        passed_kind=kinds.RESOURCE_DUE_PASSED,
        reminder_recipients=lambda dugnad, deadline: department_recipients(dugnad),
        passed_recipients=lambda dugnad, deadline: department_recipients(dugnad),
        escalation_recipients=_resources_escalation,
        context=lambda dugnad, deadline, phase: {"dugnad": dugnad, "deadline": deadline},
        notify=notify,
        days_before=settings.DUGNADS["RESOURCE_REMINDER_DAYS_BEFORE"],
        lookback_days=settings.DUGNADS["LOOKBACK_DAYS"],
    ).run(today=today or timezone.localdate())


# --- the committee: the report after the dugnad --------------------------------------------------


def reports_follow_up(*, today: datetime.date | None = None) -> dict[str, int]:
    """Mark the dugnads that have ended as held, then remind their organisers to report on each
    of ``REPORT_REMINDER_DAYS_AFTER`` (days after the end), and once the last has passed tell
    them and the committee's board that it is overdue. A reported dugnad hears nothing more.

    Marking held comes first, in the same run, so a dugnad that ended an hour ago is followed
    up from now on (``services.dugnads_mark_held``; safe to re-run)."""
    held = dugnads_mark_held()
    today = today or timezone.localdate()
    reminder_days = deadlines.report_reminder_days()
    completed = Dugnad.objects.filter(state=State.COMPLETED)

    def candidates(low: datetime.date, high: datetime.date):
        # The report's last day is the end's date + the last reminder day; a day's margin
        # either side covers the time zone (the re-read decides).
        last = datetime.timedelta(days=deadlines.report_days_after()[-1])
        margin = datetime.timedelta(days=1)
        return completed.filter(
            ends_at__gte=_midnight(low - last - margin),
            ends_at__lt=_midnight(high - last + 2 * margin),
        )

    sent = DeadlineFollowUp(
        candidates=candidates,
        current=completed.select_related("committee"),
        deadlines_of=lambda dugnad: [deadlines.report_deadline(dugnad)],
        key_prefix=lambda dugnad: f"dugnad:{dugnad.pk}:deadline",
        reminder_kind=kinds.REPORT_DUE,
        passed_kind=kinds.REPORT_OVERDUE,
        reminder_recipients=lambda dugnad, deadline: organiser_recipients(dugnad),
        passed_recipients=lambda dugnad, deadline: organiser_recipients(dugnad),
        escalation_recipients=lambda dugnad, deadline: board_recipients(dugnad),
        context=lambda dugnad, deadline, phase: {"dugnad": dugnad, "deadline": deadline},
        target=lambda dugnad: reverse("dugnads:dugnad-report", kwargs={"pk": dugnad.pk}),
        notify=notify,
        days_before=max(reminder_days),
        reminder_days=reminder_days,
        lookback_days=settings.DUGNADS["LOOKBACK_DAYS"],
    ).run(today=today)
    return {"held": held, "reminders": sent[SOON], "overdue": sent[PASSED]}


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


# --- the participants: reminded ``reminder_hours`` before the start -------------------------------


def participants_remind(*, now: datetime.datetime | None = None) -> int:
    """Remind everyone holding a place, ``Dugnad.reminder_hours`` before the start: residents
    in the bell and by e-mail (``notify``), guests by e-mail (``GuestMail``).

    Worked out from the dugnad's row each run, with a dedupe key naming the start time
    (``deadlines.participant_reminder_key``): a rescheduled dugnad gets a reminder for its new
    time and never one for the old; a cancelled one gets none. Those on the waiting list are
    not reminded (they have no place); someone who gets a place after the reminder went out is
    reminded on the next run, still before the start. Returns how many were told."""
    now = now or timezone.now()
    soon = Dugnad.objects.filter(
        state=State.PUBLISHED, starts_at__gt=now, starts_at__lte=now + deadlines.longest_reminder()
    )
    due = [
        pk
        for pk, starts_at, hours in soon.order_by("pk").values_list(
            "pk", "starts_at", "reminder_hours"
        )
        if starts_at - datetime.timedelta(hours=hours) <= now
    ]
    told = 0
    for pk in due:
        with transaction.atomic():
            dugnad = Dugnad.objects.select_for_update().select_related("committee").get(pk=pk)
            if deadlines.participant_reminder_due(dugnad, now=now):
                told += _remind(dugnad)
    return told


def _remind(dugnad: Dugnad) -> int:
    holding = list(dugnad.signups.filter(state=SignupState.CONFIRMED).select_related("user"))
    key = deadlines.participant_reminder_key(dugnad)
    sent = notify(
        recipients=[signup.user for signup in holding if not signup.is_guest],
        kind=kinds.REMINDER,
        context={"dugnad": dugnad},
        target=dugnad,
        dedupe_key=key,
    )
    return sent + guest_mail_queue(
        signups=[signup for signup in holding if signup.is_guest],
        kind=kinds.REMINDER,
        dedupe_key=key,
    )
