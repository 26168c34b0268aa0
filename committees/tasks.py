from celery import shared_task

from . import services


@shared_task(name="committees.follow_up_board_terms", ignore_result=True)
def follow_up_board_terms() -> dict[str, int]:
    """Daily: board-term reminders and end-of-term reports (safe to run late or twice)."""
    return services.board_terms_follow_up()


@shared_task(name="committees.send_board_invitations", ignore_result=True)
def send_board_invitations() -> dict[str, int]:
    """Every minute (and nudged after a new invitation): send due board invitations, forget old
    ones (safe to run late or twice: rows are claimed under a lease and marked sent)."""
    from .invitations import board_invitations_send

    return board_invitations_send()
