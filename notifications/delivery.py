"""E-mail delivery: claim pending rows with a lease, send, mark them with a conditional update.

The guarantees, and why they hold:

* **Never lost.** A row stays ``pending`` until an update that names the claim token marks it
  sent. A worker that dies mid-batch leaves its rows leased; when the lease runs out the next run
  claims them again. Beat runs delivery every minute, so nothing depends on a broker message
  surviving.
* **Never twice in normal operation.** Claims use ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL)
  and a conditional ``UPDATE … WHERE available_at <= now`` (every database), so two workers never
  hold the same row. The lease (``CLAIM_SECONDS``) is longer than Celery's hard time limit, so a
  live task can never lose its claim to another. A warm shutdown (SIGTERM) lets the batch finish.
  Only a hard kill between the SMTP server's "250 OK" and the mark-sent update can send a row
  again: at most one batch per kill.
* **Queries per batch, not per row.** A batch is one claim, one read, and one update per outcome.
"""

import contextlib
import datetime
import email.policy
import logging
import smtplib
import uuid
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import DIGEST_FREQUENCIES, EmailStatus, Frequency, Notification, language_of
from .rendering import (
    absolute_url,
    mail_domain,
    preferences_url,
    render_email_html,
    render_text,
    unsubscribe_url,
)

logger = logging.getLogger(__name__)


def config(name: str):
    return settings.NOTIFICATIONS[name]


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    batches: int = 0
    more: bool = False

    def add(self, other: "DeliveryResult") -> None:
        for name in ("sent", "failed", "retried", "skipped", "batches"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


# --- Claiming -------------------------------------------------------------------------------------


def claim(queryset, *, now: datetime.datetime, limit: int) -> tuple[uuid.UUID, list[Notification]]:
    """Lease up to ``limit`` deliverable rows of ``queryset`` to this worker for CLAIM_SECONDS."""
    token = uuid.uuid4()
    lease_until = now + datetime.timedelta(seconds=config("CLAIM_SECONDS"))
    with transaction.atomic():
        ids = list(
            queryset.deliverable(now=now)
            .order_by("available_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return token, []
        # Conditional: on a database without row locks a rival's claim makes this match nothing.
        Notification.objects.filter(
            pk__in=ids, email_status=EmailStatus.PENDING, available_at__lte=now
        ).update(claim_token=token, available_at=lease_until)
    rows = list(
        Notification.objects.filter(claim_token=token, email_status=EmailStatus.PENDING)
        .select_related("recipient")
        .order_by("pk")
    )
    return token, rows


def _mark_sent(*, token, ids, now, message_id=None) -> int:
    if not ids:
        return 0
    message_id_value = (
        Value(message_id)
        if message_id
        else Concat(  # notification_message_id(), computed by the database for the whole batch
            Value(MESSAGE_ID_PREFIX),
            Cast("pk", CharField()),
            Value(f"@{mail_domain()}>"),
            output_field=CharField(),
        )
    )
    return Notification.objects.filter(
        pk__in=ids, claim_token=token, email_status=EmailStatus.PENDING
    ).update(
        email_status=EmailStatus.SENT,
        sent_at=now,
        attempts=F("attempts") + 1,
        message_id=message_id_value,
        last_error="",
    )


def _mark_skipped(*, token, ids) -> int:
    if not ids:
        return 0
    return Notification.objects.filter(
        pk__in=ids, claim_token=token, email_status=EmailStatus.PENDING
    ).update(email_status=EmailStatus.SKIPPED)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back-off after the n-th failed attempt: 1 min, 5 min, 15 min, 1 h, 4 h, …"""
    steps = config("RETRY_BACKOFF_SECONDS")
    return datetime.timedelta(seconds=steps[min(attempts, len(steps)) - 1])


def _mark_failed(*, token, rows, error: str, now) -> tuple[int, int]:
    """Record a failed attempt per row: retry later with back-off, or give up at MAX_ATTEMPTS."""
    retried = failed = 0
    by_attempts: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        by_attempts[row.attempts + 1].append(row.pk)
    for attempts, ids in by_attempts.items():
        matching = Notification.objects.filter(
            pk__in=ids, claim_token=token, email_status=EmailStatus.PENDING
        )
        if attempts >= config("MAX_ATTEMPTS"):
            failed += matching.update(
                email_status=EmailStatus.FAILED,
                attempts=attempts,
                last_error=error[:2000],
                claim_token=None,
            )
        else:
            retried += matching.update(
                attempts=attempts,
                last_error=error[:2000],
                available_at=now + retry_delay(attempts),
                claim_token=None,
            )
    return retried, failed


# --- Building messages ----------------------------------------------------------------------------


def _headers(message_id: str, unsubscribe: str, language: str) -> dict[str, str]:
    return {
        "Message-ID": message_id,
        # The language of the words, as the account e-mails say (users/adapters.py).
        "Content-Language": language,
        # RFC 8058: mail programs offer "unsubscribe" and POST to the link, no log-in needed.
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",  # no out-of-office replies to a robot
    }


class NotificationEmail(EmailMultiAlternatives):
    """Keeps long header values (List-Unsubscribe's <URL>) on one line.

    With the usual 78-character limit Python folds such a value by encoding it (RFC 2047), and
    mail programs then no longer recognise the link. RFC 5322 allows lines of up to 998.
    """

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


MESSAGE_ID_PREFIX = "<nmu-notification-"


def notification_message_id(notification: Notification) -> str:
    """Stable per notification: a re-send carries the same ID, so receivers can drop copies."""
    return f"{MESSAGE_ID_PREFIX}{notification.pk}@{mail_domain()}>"


def _item(notification: Notification) -> dict:
    return {
        "subject": notification.subject,
        "body": notification.body,
        "url": absolute_url(notification.target_url),
        "category": notification.category,
    }


def _text_part(*, recipient, items: list[dict], intro: str = "", unsubscribe: str = "") -> str:
    """A digest (``intro`` set) shows each item's subject; a single notification is the subject."""
    with translation.override(language_of(recipient)):
        return render_text(
            "notifications/email.txt",
            {
                "intro": intro,
                "items": items,
                "digest": bool(intro),
                "municipality": settings.MUNICIPALITY,
                "preferences_url": preferences_url(),
                "unsubscribe_url": unsubscribe,
            },
        ).strip()


def build_message(
    *,
    recipient,
    subject: str,
    items: list[dict],
    message_id: str,
    intro: str = "",
    language: str | None = None,
):
    """``language`` is the words' own (a single notification's ``language``); a digest's is
    the recipient's, which its frame and its subject are written in."""
    unsubscribe = unsubscribe_url(
        recipient=recipient, categories={item["category"] for item in items}
    )
    message = NotificationEmail(
        subject=settings.EMAIL_SUBJECT_PREFIX + subject,
        body=_text_part(recipient=recipient, items=items, intro=intro, unsubscribe=unsubscribe)
        + "\n",
        to=[recipient.email],
        headers=_headers(message_id, unsubscribe, language or language_of(recipient)),
    )
    message.attach_alternative(
        render_email_html(
            subject=subject,
            items=items,
            recipient=recipient,
            intro=intro,
            unsubscribe=unsubscribe,
        ),
        "text/html",
    )
    return message


def _can_receive(user) -> bool:
    return bool(user.is_active and user.email)


# --- Immediate delivery ---------------------------------------------------------------------------


# A failure of the connection itself (not of one recipient) fails the rest of the batch at once:
# trying 24 more messages against a dead or hanging server would only outlast the time limit.
def _is_connection_failure(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    # smtplib's errors are OSErrors too; the other SMTP ones concern one message or recipient.
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def deliver_batch(*, now: datetime.datetime | None = None) -> DeliveryResult:
    """Claim one batch of immediate e-mails, send them over one connection, record the outcome."""
    now = now or timezone.now()
    token, rows = claim(
        Notification.objects.filter(channel=Frequency.IMMEDIATE),
        now=now,
        limit=config("BATCH_SIZE"),
    )
    result = DeliveryResult(batches=1 if rows else 0)
    if not rows:
        return result
    sent_ids, skipped_ids = [], []
    failures: dict[str, list[Notification]] = defaultdict(list)
    unsent = list(rows)
    connection = mailers.default
    try:
        connection.open()
        while unsent:
            row = unsent[0]
            if not _can_receive(row.recipient):
                skipped_ids.append(unsent.pop(0).pk)
                continue
            message = build_message(
                recipient=row.recipient,
                subject=row.subject,
                items=[_item(row)],
                message_id=notification_message_id(row),
                language=row.language,
            )
            try:
                connection.send_messages([message])
            except Exception as error:  # noqa: BLE001 - recorded on the row, retried later
                if isinstance(error, SoftTimeLimitExceeded) or _is_connection_failure(error):
                    raise
                failures[_describe(error)].append(unsent.pop(0))
            else:
                sent_ids.append(unsent.pop(0).pk)
    except SoftTimeLimitExceeded:
        # Out of time: record what went out and hand the rest back at once, not after the lease.
        _release(token=token, ids=[row.pk for row in unsent])
        unsent = []
        raise
    except Exception as error:  # noqa: BLE001 - the mail server is down or hangs: retry later
        failures[_describe(error)].extend(unsent)
        unsent = []
    finally:
        _close(connection)
        result.sent = _mark_sent(token=token, ids=sent_ids, now=timezone.now())
        result.skipped = _mark_skipped(token=token, ids=skipped_ids)
        for error, failed_rows in failures.items():
            retried, failed = _mark_failed(token=token, rows=failed_rows, error=error, now=now)
            result.retried += retried
            result.failed += failed
    return result


def _release(*, token, ids) -> int:
    """Give claimed, unsent rows back for the next run (no attempt counted)."""
    if not ids:
        return 0
    return Notification.objects.filter(
        pk__in=ids, claim_token=token, email_status=EmailStatus.PENDING
    ).update(claim_token=None, available_at=timezone.now())


def deliver_pending(*, max_batches: int | None = None, now=None) -> DeliveryResult:
    """Deliver batches until none is left or ``max_batches`` is reached (then ``more`` is set)."""
    total = DeliveryResult()
    max_batches = max_batches or config("BATCHES_PER_RUN")
    for _batch in range(max_batches):
        result = deliver_batch(now=now)
        total.add(result)
        if not result.batches:
            return total
    total.more = True
    return total


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def _close(connection) -> None:
    with contextlib.suppress(Exception):  # closing a broken connection is best effort
        connection.close()


# --- Digests --------------------------------------------------------------------------------------


def digest_cutoff(frequency: str, now: datetime.datetime) -> datetime.datetime:
    """The latest digest time at or before ``now``: 07:00 Oslo time (Mondays for weekly).

    A digest holds the items created before this moment. Computing it from the wall clock in
    Europe/Oslo keeps 07:00 at 07:00 across daylight-saving changes, and because the cut-off only
    depends on ``now``, a run that comes late (or a day late) still sends everything due, once.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    at = datetime.time(hour=config("DIGEST_HOUR"))
    day = local.date()
    if local.time() < at:
        day -= datetime.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        day -= datetime.timedelta(days=day.weekday())  # back to Monday
    return datetime.datetime.combine(day, at, tzinfo=zone)


def digest_recipients(*, frequency: str, now: datetime.datetime) -> list[int]:
    """Only people who have something waiting: one query, never one job per user."""
    return list(
        Notification.objects.deliverable(now=now)
        .filter(channel=frequency, created_at__lt=digest_cutoff(frequency, now))
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def _digest_subject(frequency: str, count: int) -> str:
    if frequency == Frequency.DAILY:
        return ngettext(
            "Daily summary: %(count)d new notification",
            "Daily summary: %(count)d new notifications",
            count,
        ) % {"count": count}
    return ngettext(
        "Weekly summary: %(count)d new notification",
        "Weekly summary: %(count)d new notifications",
        count,
    ) % {"count": count}


def send_digest(*, recipient_id: int, frequency: str, now: datetime.datetime) -> DeliveryResult:
    """One e-mail with everything waiting for one person's daily or weekly summary."""
    cutoff = digest_cutoff(frequency, now)
    token, rows = claim(
        Notification.objects.filter(
            recipient_id=recipient_id, channel=frequency, created_at__lt=cutoff
        ),
        now=now,
        limit=config("DIGEST_MAX_ITEMS"),
    )
    result = DeliveryResult(batches=1 if rows else 0, more=len(rows) == config("DIGEST_MAX_ITEMS"))
    if not rows:
        return result
    recipient = rows[0].recipient
    ids = [row.pk for row in rows]
    if not _can_receive(recipient):
        result.skipped = _mark_skipped(token=token, ids=ids)
        return result
    # Stable for these rows: a retry of this digest carries the same Message-ID.
    message_id = f"<nmu-digest-{frequency}-{recipient.pk}-{ids[0]}@{mail_domain()}>"
    with translation.override(language_of(recipient)):
        subject = _digest_subject(frequency, len(rows))
        intro = _("Here is what is new.")
    message = build_message(
        recipient=recipient,
        subject=subject,
        items=[_item(row) for row in rows],
        message_id=message_id,
        intro=intro,
    )
    try:
        mailers.default.send_messages([message])
    except Exception as error:  # noqa: BLE001 - retried with back-off like any e-mail
        result.retried, result.failed = _mark_failed(
            token=token, rows=rows, error=_describe(error), now=now
        )
        return result
    result.sent = _mark_sent(token=token, ids=ids, now=timezone.now(), message_id=message_id)
    return result


def send_digests(*, frequency: str, now: datetime.datetime | None = None) -> DeliveryResult:
    now = now or timezone.now()
    if frequency not in DIGEST_FREQUENCIES:
        raise ValueError(f"{frequency!r} is not a digest frequency")
    total = DeliveryResult()
    for recipient_id in digest_recipients(frequency=frequency, now=now):
        # More than DIGEST_MAX_ITEMS waiting (rare) goes out as further summaries, not never.
        result = DeliveryResult(more=True)
        while result.more:
            result = send_digest(recipient_id=recipient_id, frequency=frequency, now=now)
            total.add(result)
            result.more = result.more and bool(result.sent)
    return total
