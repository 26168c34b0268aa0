"""The grants' daily follow-ups (beat: ``larvik_nmu.settings.base.CELERY_BEAT_SCHEDULE``).
Safe to run late or twice: every candidate is read again under its row lock and every
notification has a dedupe key (``core.deadlines``). A grant's payments are followed up with
every other payment, by ``agreements.follow_up_payments``."""

from celery import shared_task

from . import annual_report_deadlines, deadlines


@shared_task(name="grants.follow_up_applications")
def follow_up_applications() -> dict[str, int]:
    """Both parties' application deadlines: the municipality's answer and review, the
    committee's extra information and report."""
    return deadlines.applications_follow_up()


@shared_task(name="grants.follow_up_annual_reports")
def follow_up_annual_reports() -> dict[str, int]:
    """The committees' annual reports: reminded before the deadline, escalated after."""
    return annual_report_deadlines.annual_reports_follow_up()
