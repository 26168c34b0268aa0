"""Deadlines and their follow-up: a reminder before, a notice (and escalation) once passed.

Every app with deadlines (proposals' case deadlines, committees' board terms, later dugnads and
agreements) follows them up the same way, so the rules live here once:

- a deadline is its **last day, inclusive** (``Deadline.due``); it has passed the day after;
- the reminder goes out from ``days_before`` days before the last day, up to the last day itself,
  so a run that was missed on the first reminder day is caught up the next time the task runs;
  a follow-up with several reminders (``reminder_days``, e.g. two days before and on the last
  day) sends each once, a missed one caught up until the next one is due;
- the "passed" notice goes out from the day after, for ``lookback_days`` days (later than that it
  is not news), to those who had to act **and** the escalation recipients;
- every notification has a dedupe key naming the object, the deadline and its date
  (``proposal:7:deadline:decision:2027-03-12:passed``): a re-run sends nothing twice, and a moved
  deadline gets fresh reminders;
- each candidate is read again under a row lock (``select_for_update``) in its own transaction
  before anything is sent, so an object that moved on since the list was made (answered,
  forwarded, ended) is not told about a deadline it no longer has, and two runs in parallel
  serialise on the row.

The app says what is specific to it in a ``DeadlineFollowUp``: which objects may have a deadline
in the window, how to read an object's deadlines, who hears what, the notification kinds and its
settings. ``core`` imports no app, so the app passes its ``notify`` (``notifications.services``).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import models, transaction
from django.utils import timezone

SOON = "soon"
PASSED = "passed"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar months (31 January + 1 month = 28/29 February), as the law counts them."""
    return day + relativedelta(months=months)


def add_days(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def is_overdue(due: datetime.date | None, *, today: datetime.date | None = None) -> bool:
    """When a deadline is overdue, the one rule: the due date is the last day, so it is overdue
    from the day after (today in ``settings.TIME_ZONE``); no due date is never overdue.
    ``overdue_q`` is the same rule as a filter, for lists and admin filters."""
    return due is not None and due < (today or timezone.localdate())


def overdue_q(field: str, *, today: datetime.date | None = None) -> models.Q:
    """``is_overdue`` as a filter on the date field ``field`` (``"next_due"``)."""
    return models.Q(**{f"{field}__lt": today or timezone.localdate()})


@dataclass(frozen=True)
class Deadline:
    """One deadline: what it is (``kind``, stable, used in dedupe keys) and its last day."""

    kind: str
    due: datetime.date  # the last day, inclusive

    def is_overdue(self, today: datetime.date) -> bool:
        return is_overdue(self.due, today=today)

    def days_left(self, today: datetime.date) -> int:
        return (self.due - today).days

    @property
    def key(self) -> str:
        """Stable within one due date: a moved deadline gets fresh reminders."""
        return f"{self.kind}:{self.due.isoformat()}"

    def reminder_day(self, today: datetime.date, reminder_days: Iterable[int]) -> int | None:
        """Of the reminders due ``reminder_days`` days before the last day, the latest one
        ``today`` has reached (``None`` before the first one and after the last day). A run
        that missed a reminder day still sends it, until the next reminder is due: then only
        that one, so nobody gets two reminders at once."""
        left = self.days_left(today)
        reached = [days for days in reminder_days if days >= left >= 0]
        return min(reached) if reached else None

    def phase(self, today: datetime.date, *, days_before: int, lookback_days: int) -> str | None:
        """``SOON`` from ``days_before`` days before the last day to the last day, ``PASSED``
        from the day after for ``lookback_days`` days, else ``None`` (nothing to say today)."""
        if self.due - datetime.timedelta(days=days_before) <= today <= self.due:
            return SOON
        if self.is_overdue(today) and today <= self.due + datetime.timedelta(days=lookback_days):
            return PASSED
        return None


def follow_up_window(
    today: datetime.date, *, days_before: int, lookback_days: int
) -> tuple[datetime.date, datetime.date]:
    """The due dates (inclusive) that may have something to say today: ``(low, high)``."""
    return today - datetime.timedelta(days=lookback_days), today + datetime.timedelta(
        days=days_before
    )


def dedupe_key(
    prefix: str, deadline: Deadline, phase: str, *, reminder_day: int | None = None
) -> str:
    """``<prefix>:<deadline kind>:<its date>:<soon|passed>``; also for a service that tells
    people of the same event by hand and wants the follow-up not to tell them again. One of
    several reminders (``reminder_days``) adds its day: ``…:soon:2`` two days before."""
    key = f"{prefix}:{deadline.key}:{phase}"
    return key if reminder_day is None else f"{key}:{reminder_day}"


def _nobody(obj, deadline) -> list:
    return []


@dataclass(frozen=True)
class DeadlineFollowUp:
    """What an app tells the follow-up about its deadlines. ``run(today=…)`` does the work.

    - ``candidates(low, high)``: a queryset of the objects that may have a deadline due between
      ``low`` and ``high`` (inclusive). Only their primary keys are read; it may be generous.
    - ``current``: the queryset each candidate is re-read from under its row lock (filter out
      objects that no longer qualify, add ``select_related``); ``None``: the model's manager.
    - ``deadlines_of(obj)``: the object's running deadlines, read from the locked row.
    - ``key_prefix(obj)``: the start of every dedupe key, e.g. ``proposal:7:deadline``.
    - ``reminder_recipients``, ``passed_recipients``, ``escalation_recipients``: ``(obj,
      deadline) -> people``. Passed deadlines go to the passed and the escalation recipients
      together, as one notification each.
    - ``context(obj, deadline, phase)``: the template context; default ``{"deadline": …}``.
    - ``target(obj)``: what the notification links to; default the object.
    - ``reminder_days``: several reminders, on these days before the last day (``(2, 0)``: two
      days before and on the last day itself), each once with its own dedupe key
      (``…:soon:2``, ``…:soon:0``); each must be between 0 and ``days_before``. Empty (the
      default): one reminder, from ``days_before`` days before (key ``…:soon``).
    """

    candidates: Callable[[datetime.date, datetime.date], models.QuerySet]
    deadlines_of: Callable[[Any], Iterable[Deadline]]
    key_prefix: Callable[[Any], str]
    reminder_kind: str
    passed_kind: str
    reminder_recipients: Callable[[Any, Deadline], list]
    passed_recipients: Callable[[Any, Deadline], list]
    notify: Callable[..., int]
    days_before: int
    lookback_days: int
    escalation_recipients: Callable[[Any, Deadline], list] = _nobody
    current: models.QuerySet | None = None
    context: Callable[[Any, Deadline, str], dict] | None = None
    target: Callable[[Any], Any] | None = None
    lock_of: tuple[str, ...] = field(default=("self",))
    reminder_days: tuple[int, ...] = ()

    def __post_init__(self):
        if any(not 0 <= days <= self.days_before for days in self.reminder_days):
            raise ValueError(
                f"reminder_days {self.reminder_days} must lie between 0 and days_before "
                f"({self.days_before})"
            )

    def run(self, *, today: datetime.date) -> dict[str, int]:
        """Send what is due today. Returns how many notifications: ``{"soon": n, "passed": n}``."""
        low, high = follow_up_window(
            today, days_before=self.days_before, lookback_days=self.lookback_days
        )
        pks = list(
            self.candidates(low, high).order_by("pk").values_list("pk", flat=True).distinct()
        )
        current = self.current
        if current is None:
            current = self.candidates(low, high).model._default_manager.all()
        counts = {SOON: 0, PASSED: 0}
        for pk in pks:
            with transaction.atomic():
                obj = current.select_for_update(of=self.lock_of).filter(pk=pk).first()
                if obj is None:
                    continue  # moved on since the list was made
                for deadline in self.deadlines_of(obj):
                    phase = deadline.phase(
                        today, days_before=self.days_before, lookback_days=self.lookback_days
                    )
                    if phase is None:
                        continue
                    reminder_day = None
                    if phase == SOON and self.reminder_days:
                        reminder_day = deadline.reminder_day(today, self.reminder_days)
                        if reminder_day is None:
                            continue  # between the window's start and the first reminder day
                    counts[phase] += self._send(obj, deadline, phase, reminder_day)
        return counts

    def _send(self, obj, deadline: Deadline, phase: str, reminder_day: int | None = None) -> int:
        if phase == SOON:
            kind, people = self.reminder_kind, list(self.reminder_recipients(obj, deadline))
        else:
            kind = self.passed_kind
            people = [
                *self.passed_recipients(obj, deadline),
                *self.escalation_recipients(obj, deadline),
            ]
        context = self.context(obj, deadline, phase) if self.context else {"deadline": deadline}
        return self.notify(
            recipients=people,
            kind=kind,
            context=context,
            target=self.target(obj) if self.target else obj,
            dedupe_key=dedupe_key(self.key_prefix(obj), deadline, phase, reminder_day=reminder_day),
        )
