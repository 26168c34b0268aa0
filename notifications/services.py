"""The one way into the notification engine, and the writes people make on their own rows.

Domain apps call ``notify()`` inside their own transaction and never send e-mail themselves.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import categories, kinds
from .models import (
    EmailStatus,
    Frequency,
    Notification,
    NotificationPreference,
    email_status_for,
    language_of,
)
from .rendering import Rendered, render_kind

logger = logging.getLogger(__name__)
User = get_user_model()

# Until someone chooses otherwise, everything arrives by e-mail at once: nothing is missed.
DEFAULT_FREQUENCY = Frequency.IMMEDIATE


def frequencies_for(*, user_ids: Iterable[int], category: str) -> dict[int, str]:
    """Each user's choice for a category (one query); users without a choice get the default."""
    user_ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, category=category).values_list(
            "user_id", "frequency"
        )
    )
    return {user_id: chosen.get(user_id, DEFAULT_FREQUENCY) for user_id in user_ids}


def _target_path(target) -> str:
    if target is None or target == "":
        return ""
    if hasattr(target, "get_absolute_url"):
        return target.get_absolute_url()
    return str(target)


def _unique_active(recipients) -> list:
    seen: dict[int, object] = {}
    for user in recipients:
        if user is not None and user.is_active and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def _require_category(value: str) -> None:
    """A row's category must be one some app registered: the settings page offers only those."""
    if not categories.is_registered(value):
        raise ValueError(f"Unknown notification category {value!r}; register it first.")


def notify(*, recipients, kind: str, context: dict, target=None, dedupe_key: str) -> int:
    """Write one notification per recipient, in the caller's transaction. Returns how many.

    ``dedupe_key`` is unique per recipient: calling again with the same key (a re-run task, a
    double click) writes nothing new. E-mail is queued after the transaction commits, so a
    rolled-back change sends nothing.
    """
    kind_ = kinds.get(kind)
    _require_category(kind_.category)
    users = _unique_active(recipients)
    if not users:
        return 0
    already = set(
        Notification.objects.filter(
            recipient__in=[u.pk for u in users], dedupe_key=dedupe_key
        ).values_list("recipient_id", flat=True)
    )
    users = [u for u in users if u.pk not in already]
    if not users:
        return 0
    channels = frequencies_for(user_ids=[u.pk for u in users], category=kind_.category)
    target_url = _target_path(target)
    now = timezone.now()
    rows = []
    # Rendering is most of notify()'s cost: one render per language unless the words are personal
    # (1,000 followers of a committee would otherwise cost 1,000 renders inside the request).
    shared: dict[str, Rendered] = {}
    for user in users:
        if kind_.personal:
            rendered = render_kind(kind_, recipient=user, context=context)
        else:
            language = language_of(user)
            if language not in shared:
                shared[language] = render_kind(kind_, recipient=user, context=context)
            rendered = shared[language]
        channel = channels[user.pk]
        rows.append(
            Notification(
                recipient=user,
                category=kind_.category,
                kind=kind_.key,
                subject=rendered.subject,
                body=rendered.body,
                language=rendered.language,
                target_url=target_url,
                dedupe_key=dedupe_key,
                created_at=now,
                available_at=now,
                channel=channel,
                email_status=email_status_for(channel),
            )
        )
    # A parallel call with the same key may have won the race: the constraint keeps one row.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if any(row.channel == Frequency.IMMEDIATE for row in rows):
        transaction.on_commit(request_delivery, robust=True)
    return len(rows)


def request_delivery() -> None:
    """Ask a worker to deliver now rather than at the next beat tick.

    This is only a nudge: the rows are already committed and the beat task delivers them anyway,
    so a broker that is down must not break the request that created them (hence ``robust``
    on-commit callbacks and no publish retries).
    """
    from .tasks import deliver_pending  # here, not at the top: tasks import this module

    try:
        deliver_pending.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - the broker is down; beat catches up when it returns.
        logger.warning("Could not queue notification delivery; beat will deliver later.")


# --- The recipient's own actions ----------------------------------------------------------------


def notification_mark_read(*, notification: Notification, user) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionError("Only the recipient can mark a notification as read.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.unread().filter(recipient=user).update(read_at=timezone.now())


@transaction.atomic
def preferences_update(*, user, frequencies: dict[str, str]) -> None:
    """Save a person's choices, and re-route what is still waiting to go out by e-mail.

    Someone who switches a category to "only on the website" gets no more e-mail about it, also
    not about items that were waiting for tomorrow's summary.
    """
    for category, frequency in frequencies.items():
        _require_category(category)
        Frequency(frequency)
        NotificationPreference.objects.update_or_create(
            user=user, category=category, defaults={"frequency": frequency}
        )
        waiting = Notification.objects.filter(
            recipient=user,
            category=category,
            email_status=EmailStatus.PENDING,
        ).exclude(channel=frequency)
        waiting.update(channel=frequency, email_status=email_status_for(frequency))


def notification_resend(*, notification: Notification) -> bool:
    """Try a failed e-mail again from the start (admin action). False if it had not failed."""
    updated = Notification.objects.filter(
        pk=notification.pk, email_status=EmailStatus.FAILED
    ).update(
        email_status=EmailStatus.PENDING,
        channel=Frequency.IMMEDIATE,
        attempts=0,
        available_at=timezone.now(),
        claim_token=None,
        last_error="",
    )
    if updated:
        transaction.on_commit(request_delivery, robust=True)
    return bool(updated)


def notifications_delete_old(*, now=None, batch_size: int = 5000) -> int:
    """Delete notifications older than KEEP_DAYS (never one still waiting to be e-mailed).

    In batches, so a first run on a large table holds no long lock. Returns how many.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.NOTIFICATIONS["KEEP_DAYS"])
    old = Notification.objects.filter(created_at__lt=cutoff).exclude(
        email_status=EmailStatus.PENDING
    )
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:batch_size]):
        deleted += Notification.objects.filter(pk__in=ids).delete()[0]
    return deleted
