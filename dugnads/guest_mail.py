"""Sending ``GuestMail`` rows (e-mails to guests who signed up without an account).

Placeholder seam: the sending task and the templates are written with the guest sign-up flow.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def request_sending_on_commit() -> None:
    """Nudge the sender once the rows commit; beat sends them anyway if the broker is down."""

    def nudge():
        try:
            from .tasks import send_guest_mail

            send_guest_mail.apply_async(retry=False)
        except Exception:  # noqa: BLE001 - the broker is down; beat catches up.
            logger.warning("Could not queue guest e-mails; beat will send them later.")

    transaction.on_commit(nudge)


def guest_mail_send(**kwargs) -> dict[str, int]:
    return {"sent": 0, "failed": 0}
