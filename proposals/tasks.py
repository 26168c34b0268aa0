from celery import shared_task

from . import services


@shared_task(name="proposals.follow_up_deadlines")
def follow_up_deadlines() -> dict[str, int]:
    """Remind before deadlines and report passed ones; safe to run late, twice, or in parallel
    (dedupe keys), and catches up missed days."""
    return services.deadlines_follow_up()
