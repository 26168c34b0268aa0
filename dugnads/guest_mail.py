"""Sending ``GuestMail`` rows: e-mails to guests who signed up for a dugnad without an account.

Run by the task ``dugnads.send_guest_mail`` (beat every few minutes, and a nudge after each new
row commits). Mirrors ``committees.invitations``: rows are claimed under a lease
(``SELECT … FOR UPDATE SKIP LOCKED``, then ``available_at`` moved on), so two workers never send
the same one; one sent is marked sent, one that failed is tried again later, a few times.

Every mail is in the portal's e-mail frame (HTML and text saying the same), in the language the
guest signed up in, and carries the link to their sign-up page (``guest_links``), where they see
where they stand and can cancel. The first, ``confirm``, asks them to confirm; the others say
what a resident hears (``notifications/kinds/<kind>.txt``, the same words) with that link.

Nothing is sent once the link no longer works (the dugnad has ended) or the guest has cancelled.
``FORGET_DAYS`` after the dugnad the rows are deleted and the guest's address is forgotten
(``services.participants.guests_forget``).
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.mail import automatic_email
from notifications import kinds as notification_kinds
from notifications.rendering import absolute_url, render_text, split_subject

from . import guest_links
from .models import GuestMail, SignupState, State
from .services.participants import CONFIRM, guests_forget

logger = logging.getLogger(__name__)

FORGET_DAYS = 14
BATCH = 50
MAX_ATTEMPTS = 5
LEASE = datetime.timedelta(minutes=10)
TEMPLATES = "dugnads/email/guest_"  # confirm_… and notice_…: _subject.txt, _message.txt, .html


def request_sending_on_commit() -> None:
    """Nudge the sender once the rows commit; beat sends them anyway if the broker is down."""

    def nudge():
        try:
            from .tasks import send_guest_mail

            send_guest_mail.apply_async(retry=False)
        except Exception:  # noqa: BLE001 - the broker is down; beat catches up.
            logger.warning("Could not queue guest e-mails; beat will send them later.")

    transaction.on_commit(nudge)


def _language(code) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def guest_languages(signup_ids) -> dict[int, str]:
    """The language each guest signed up in (kept on their confirmation mail's row)."""
    rows = GuestMail.objects.filter(signup_id__in=list(signup_ids), kind=CONFIRM).values_list(
        "signup_id", "context"
    )
    return {signup_id: _language((context or {}).get("language")) for signup_id, context in rows}


def build_message(mail: GuestMail, *, language: str | None = None) -> EmailMultiAlternatives:
    """One guest mail, text and HTML, in ``language`` (the site's when not given)."""
    signup = mail.signup
    dugnad = signup.dugnad
    language = _language(language or (mail.context or {}).get("language"))
    with translation.override(language):
        context = {
            **(mail.context or {}),
            "dugnad": dugnad,
            "signup": signup,
            "committee": dugnad.committee,
            "municipality": settings.MUNICIPALITY,
            "site_url": settings.SITE_URL,
            "language": language,
            "signup_url": absolute_url(guest_links.signup_path(signup)),
            "dugnad_url": absolute_url(dugnad.get_absolute_url()),
            "forget_days": FORGET_DAYS,
        }
        if mail.kind == CONFIRM:
            prefix = f"{TEMPLATES}confirm"
            subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        else:
            prefix = f"{TEMPLATES}notice"
            kind = notification_kinds.get(mail.kind)
            words = render_text(kind.template_name, context).strip()
            subject, context["body"] = split_subject(words)
        context["subject"] = subject
        text = render_to_string(f"{prefix}_message.txt", context).strip() + "\n"
        html = render_to_string(f"{prefix}_message.html", context)
    return automatic_email(
        subject=subject,
        text=text,
        html=html,
        to=signup.guest_email,
        language=language,
        reply_to=dugnad.committee.contact_email,
    )


def _pointless(mail: GuestMail, now: datetime.datetime) -> bool:
    """A mail nobody should get any more: the guest cancelled, the link has stopped working,
    or a confirmation for a dugnad no longer open (it was cancelled before the mail went)."""
    signup = mail.signup
    if signup.state == SignupState.CANCELLED or guest_links.link_expired(signup, now=now):
        return True
    return mail.kind == CONFIRM and signup.dugnad.state != State.PUBLISHED


def _claim(now: datetime.datetime) -> list[int]:
    with transaction.atomic():
        ids = list(
            GuestMail.objects.filter(
                sent_at__isnull=True, available_at__lte=now, attempts__lt=MAX_ATTEMPTS
            )
            .order_by("available_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:BATCH]
        )
        GuestMail.objects.filter(pk__in=ids).update(available_at=now + LEASE)
    return ids


def guest_mail_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send the guest mails that are due, and forget what is old. Safe to run twice: a row is
    claimed before it is sent and marked sent after."""
    now = now or timezone.now()
    forgotten = guests_forget(before=now - datetime.timedelta(days=FORGET_DAYS))
    sent = failed = skipped = 0
    ids = _claim(now)
    mails = list(
        GuestMail.objects.filter(pk__in=ids)
        .select_related("signup", "signup__dugnad", "signup__dugnad__committee", "signup__need")
        .order_by("pk")
    )
    languages = guest_languages({mail.signup_id for mail in mails})
    for mail in mails:
        done = GuestMail.objects.filter(pk=mail.pk, sent_at__isnull=True)
        if _pointless(mail, now):
            done.update(sent_at=timezone.now())
            skipped += 1
            continue
        try:
            build_message(mail, language=languages.get(mail.signup_id)).send()
        except Exception as error:  # noqa: BLE001 - any failure: try again later, a few times.
            logger.warning("Guest mail %s not sent: %s", mail.pk, error)
            done.update(attempts=F("attempts") + 1, available_at=now + LEASE * (2**mail.attempts))
            failed += 1
        else:
            done.update(sent_at=timezone.now())
            sent += 1
    return {
        "sent": sent,
        "failed": failed,
        "skipped": skipped,
        "deleted": forgotten["mails"],
        "forgotten": forgotten["forgotten"],
    }
