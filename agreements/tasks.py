"""The agreements' daily follow-ups (beat: ``larvik_nmu.settings.base.CELERY_BEAT_SCHEDULE``).
Ids only, safe to run late or twice: every step is taken under the row's lock and every
notification has a dedupe key."""

from celery import shared_task

from . import deadlines
from .services import renewal


@shared_task(name="agreements.follow_up")
def follow_up() -> dict[str, int]:
    """The agreements' own clock: in force on the first day, the notice period, and at the end
    renewed, extended or ended (``services.renewal.agreements_follow_up``)."""
    return renewal.agreements_follow_up()


@shared_task(name="agreements.follow_up_payments")
def follow_up_payments() -> dict[str, int]:
    """Remind the departments of payments due soon; tell and escalate overdue ones."""
    return deadlines.payments_follow_up()


@shared_task(name="agreements.follow_up_reports")
def follow_up_reports() -> dict[str, int]:
    """Remind the committees' boards of reports due soon; tell and escalate overdue ones."""
    return deadlines.reports_follow_up()
