from celery import shared_task

from . import services


@shared_task(name="committees.follow_up_board_terms", ignore_result=True)
def follow_up_board_terms() -> dict[str, int]:
    """Daily: board-term reminders and end-of-term reports (safe to run late or twice)."""
    return services.board_terms_follow_up()
