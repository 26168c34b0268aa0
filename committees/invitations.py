"""Sending board invitations (``BoardInvitation`` rows, made by the leader's "add board member").

Run by the task ``committees.send_board_invitations`` (beat, and a nudge after each new row), so
the leader's request does the same work whatever the address. Here each row is sent one of two
ways: to an active account whose confirmed address it is, as a notification (the bell, and
e-mail as the person has chosen: ``committee.board_invitation``) linking to the accept page; to
any other address, as an e-mail in the portal's frame (HTML and text) asking them to create an
account, which brings them back to the accept page.

The rows are claimed under a lease (``SELECT … FOR UPDATE SKIP LOCKED``, then ``available_at``
moved on), so two workers never send the same one; one sent is marked sent, one that failed is
tried again later, a few times. Invitations expire after ``KEEP_DAYS``; rows are deleted after
``FORGET_DAYS`` (they hold the address of someone who may never have signed up).
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from core.formatting import public_name
from core.mail import automatic_email
from notifications.services import notify

from . import notifications as kinds
from . import selectors
from .models import INVITATION_FORGET_DAYS, INVITATION_VALID_DAYS, BoardInvitation

logger = logging.getLogger(__name__)

KEEP_DAYS = INVITATION_VALID_DAYS
FORGET_DAYS = INVITATION_FORGET_DAYS
BATCH = 50
MAX_ATTEMPTS = 5
LEASE = datetime.timedelta(minutes=10)
TEMPLATE = "committees/email/board_invitation"  # _subject.txt, _message.txt, _message.html


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _signup_url(invitation: BoardInvitation) -> str:
    """Sign-up that returns to the accept page (allauth keeps ``next`` through the e-mail
    confirmation: users/adapters.py)."""
    query = urlencode({"next": invitation.get_absolute_url()})
    return _absolute(f"{reverse('account_signup')}?{query}")


def invitation_context(invitation: BoardInvitation) -> dict:
    """What both ways of inviting say: the committee, the role, who invites (by public name;
    their address is not given out), until when, and where to answer."""
    return {
        "invitation": invitation,
        "committee": invitation.committee,
        "role": str(invitation.get_role_display()).lower(),
        "leader": public_name(invitation.invited_by) if invitation.invited_by else "",
        "expires": timezone.localtime(invitation.expires_at).date(),
        "accept_url": _absolute(invitation.get_absolute_url()),
    }


def build_message(invitation: BoardInvitation) -> EmailMultiAlternatives:
    """The e-mail to an address without an account, in the notification e-mails' frame (text
    and HTML saying the same), in the site's language: nobody has chosen another."""
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            **invitation_context(invitation),
            "municipality": settings.MUNICIPALITY,
            "site_url": settings.SITE_URL,
            "signup_url": _signup_url(invitation),
            "language": language,
        }
        subject = " ".join(render_to_string(f"{TEMPLATE}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"{TEMPLATE}_message.txt", context).strip() + "\n"
        html = render_to_string(f"{TEMPLATE}_message.html", context)
    return automatic_email(
        subject=subject,
        text=text,
        html=html,
        to=invitation.email,
        language=language,
        reply_to=invitation.committee.contact_email,
    )


def _send(invitation: BoardInvitation) -> None:
    """One row, one way: the account's bell (and e-mail as they have chosen), or an e-mail."""
    account = selectors.invitation_account(email=invitation.email)
    if account is None:
        build_message(invitation).send()
        return
    with transaction.atomic():
        notify(
            recipients=[account],
            kind=kinds.BOARD_INVITATION,
            context=invitation_context(invitation),
            target=invitation.get_absolute_url(),
            dedupe_key=f"board_invitation:{invitation.pk}",
        )


def _claim(now: datetime.datetime) -> list[int]:
    with transaction.atomic():
        ids = list(
            BoardInvitation.objects.pending(now=now)
            .filter(sent_at__isnull=True, available_at__lte=now, attempts__lt=MAX_ATTEMPTS)
            .order_by("available_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:BATCH]
        )
        BoardInvitation.objects.filter(pk__in=ids).update(available_at=now + LEASE)
    return ids


def board_invitations_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send the invitations that are due (still waiting, not expired), and forget the old ones.
    Safe to run twice: a notification has a dedupe key, and a row is marked sent."""
    now = now or timezone.now()
    deleted, _ = BoardInvitation.objects.filter(
        created_at__lt=now - datetime.timedelta(days=FORGET_DAYS)
    ).delete()
    sent = failed = 0
    ids = _claim(now)
    for invitation in BoardInvitation.objects.filter(pk__in=ids).select_related(
        "committee", "invited_by"
    ):
        try:
            _send(invitation)
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
    from .tasks import send_board_invitations  # here: tasks import this module

    try:
        send_board_invitations.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - the broker is down; beat catches up when it returns.
        logger.warning("Could not queue board invitations; beat will send them later.")
