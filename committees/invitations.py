"""Sending board invitations (``BoardInvitation`` rows) to addresses that have no account.

Run by the task ``committees.send_board_invitations`` (beat, and a nudge after each new row).
The rows are claimed under a lease (``SELECT … FOR UPDATE SKIP LOCKED``, then ``available_at``
moved on), so two workers never send the same one; one sent is marked sent, one that failed is
tried again later, a few times. Rows are deleted ``KEEP_DAYS`` after they were made: they hold
the address of someone who never signed up.

Why not the notifications outbox: a notification has a recipient account, and the whole point
here is that there is none.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.formatting import public_name

from .models import BoardInvitation

logger = logging.getLogger(__name__)

KEEP_DAYS = 30
BATCH = 50
MAX_ATTEMPTS = 5
LEASE = datetime.timedelta(minutes=10)
TEMPLATE = "committees/email/board_invitation.txt"


def _signup_url(invitation: BoardInvitation) -> str:
    """Sign-up that returns to the committee's page."""
    path = f"{reverse('account_signup')}?next={invitation.committee.get_absolute_url()}"
    return settings.SITE_URL.rstrip("/") + path


def build_message(invitation: BoardInvitation) -> EmailMessage:
    """Subject (the first line) and text, in the site's language: nobody has chosen another."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(
            TEMPLATE,
            {
                "invitation": invitation,
                "committee": invitation.committee,
                "role": str(invitation.get_role_display()).lower(),
                # Who invites, by public name; their e-mail address is not given out.
                "leader": public_name(invitation.invited_by) if invitation.invited_by else "",
                "municipality": settings.MUNICIPALITY,
                "signup_url": _signup_url(invitation),
                "committee_url": settings.SITE_URL.rstrip("/")
                + invitation.committee.get_absolute_url(),
                "keep_days": KEEP_DAYS,
            },
        ).strip()
    subject, _, body = text.partition("\n")
    contact = invitation.committee.contact_email
    return EmailMessage(
        subject=settings.EMAIL_SUBJECT_PREFIX + subject.strip(),
        body=body.strip() + "\n",
        to=[invitation.email],
        reply_to=[contact] if contact else None,
    )


def _claim(now: datetime.datetime) -> list[int]:
    with transaction.atomic():
        ids = list(
            BoardInvitation.objects.filter(
                sent_at__isnull=True, available_at__lte=now, attempts__lt=MAX_ATTEMPTS
            )
            .order_by("available_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:BATCH]
        )
        BoardInvitation.objects.filter(pk__in=ids).update(available_at=now + LEASE)
    return ids


def board_invitations_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send the invitations that are due, and forget the old ones. Safe to run twice."""
    now = now or timezone.now()
    deleted, _ = BoardInvitation.objects.filter(
        created_at__lt=now - datetime.timedelta(days=KEEP_DAYS)
    ).delete()
    sent = failed = 0
    ids = _claim(now)
    for invitation in BoardInvitation.objects.filter(pk__in=ids).select_related(
        "committee", "invited_by"
    ):
        try:
            build_message(invitation).send()
        except Exception as error:  # noqa: BLE001 - any failure: try again later, a few times.
            logger.warning("Board invitation %s not sent: %s", invitation.pk, error)
            BoardInvitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
                attempts=F("attempts") + 1,
                available_at=now + LEASE * (2**invitation.attempts),
            )
            failed += 1
        else:
            BoardInvitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
            sent += 1
    return {"sent": sent, "failed": failed, "deleted": deleted}


def request_sending() -> None:
    """A nudge after a new row commits; beat sends it anyway, so a broker that is down must not
    break the leader's request."""
    from .tasks import send_board_invitations  # here: tasks import services, which import this

    try:
        send_board_invitations.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - the broker is down; beat catches up when it returns.
        logger.warning("Could not queue board invitations; beat will send them later.")
