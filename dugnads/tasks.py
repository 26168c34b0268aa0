from celery import shared_task

from . import guest_mail
from .services import follow_up


@shared_task(name="dugnads.send_guest_mail")
def send_guest_mail() -> dict[str, int]:
    """Send the e-mails waiting for guests; safe to run twice (rows are claimed and marked)."""
    return guest_mail.guest_mail_send()


# --- The follow-ups (services/follow_up.py): hourly from beat, ids only, safe to re-run --------


@shared_task(name="dugnads.follow_up_resources")
def follow_up_resources() -> dict[str, int]:
    """Remind the departments of unanswered resource requests, and escalate passed deadlines."""
    return follow_up.resources_follow_up()


@shared_task(name="dugnads.follow_up_reports")
def follow_up_reports() -> dict[str, int]:
    """Mark ended dugnads as held, remind their organisers to report, escalate overdue ones."""
    return follow_up.reports_follow_up()


@shared_task(name="dugnads.remind_participants")
def remind_participants() -> int:
    """Remind those with a place, each dugnad's own hours before its start."""
    return follow_up.participants_remind()
