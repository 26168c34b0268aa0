"""A dugnad's deadlines and reminder times, read from its row (nothing is stored for them).

Both parties are bound (docs/dugnads.md):

- the municipality answers the resource requests by ``Dugnad.resources_due`` (its last day,
  default a week before the start): reminded ``RESOURCE_REMINDER_DAYS_BEFORE`` days before,
  then told and escalated once it has passed;
- the committee reports the dugnad after it: reminded on each of ``REPORT_REMINDER_DAYS_AFTER``
  (days after the end, Europe/Oslo), told it is overdue (and the board with it) the day after
  the last of them;
- the participants are reminded ``Dugnad.reminder_hours`` before the start. The reminder's
  dedupe key names the start time, so a rescheduled dugnad gets a fresh reminder and one for
  the old time can never go out (it was never a row: it is worked out from the current one).
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils import timezone

from core.deadlines import Deadline, add_days

from .models import Dugnad, State

RESOURCES = "resources"
REPORT = "report"


def resources_deadline(dugnad: Dugnad) -> Deadline | None:
    """The municipality's last day to answer, while the dugnad is published (``None`` else)."""
    if dugnad.state != State.PUBLISHED or dugnad.resources_due is None:
        return None
    return Deadline(RESOURCES, dugnad.resources_due)


def report_days_after() -> tuple[int, ...]:
    return tuple(sorted(settings.DUGNADS["REPORT_REMINDER_DAYS_AFTER"]))


def report_deadline(dugnad: Dugnad) -> Deadline:
    """The committee's last day to report: the last reminder day after the end."""
    return Deadline(REPORT, add_days(timezone.localdate(dugnad.ends_at), report_days_after()[-1]))


def report_reminder_days() -> tuple[int, ...]:
    """The report reminders as days before the report's last day (1 and 3 after → 2 and 0)."""
    days_after = report_days_after()
    return tuple(days_after[-1] - days for days in days_after)


def participant_reminder_at(dugnad: Dugnad) -> datetime.datetime:
    return dugnad.starts_at - datetime.timedelta(hours=dugnad.reminder_hours)


def participant_reminder_due(dugnad: Dugnad, *, now: datetime.datetime) -> bool:
    """From ``reminder_hours`` before the start until the start, while published (a run that
    was missed is caught up as long as the dugnad has not started)."""
    return dugnad.state == State.PUBLISHED and participant_reminder_at(dugnad) <= now < (
        dugnad.starts_at
    )


def participant_reminder_key(dugnad: Dugnad) -> str:
    """``dugnad:<pk>:reminder:<start, ISO 8601 in UTC>``: one reminder per start time."""
    starts = dugnad.starts_at.astimezone(datetime.UTC).isoformat()
    return f"dugnad:{dugnad.pk}:reminder:{starts}"


def longest_reminder() -> datetime.timedelta:
    """The earliest a participants' reminder can be due: the model's limit on reminder_hours."""
    field = Dugnad._meta.get_field("reminder_hours")
    hours = max(v.limit_value for v in field.validators if isinstance(v, MaxValueValidator))
    return datetime.timedelta(hours=hours)
