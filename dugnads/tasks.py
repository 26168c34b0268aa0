from celery import shared_task

from . import guest_mail


@shared_task(name="dugnads.send_guest_mail")
def send_guest_mail() -> dict[str, int]:
    """Send the e-mails waiting for guests; safe to run twice (rows are claimed and marked)."""
    return guest_mail.guest_mail_send()
