"""Reads for the notification pages, the admin and the unsubscribe link."""

import datetime

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from . import categories
from .models import (
    DIGEST_FREQUENCIES,
    EmailStatus,
    Frequency,
    Notification,
    NotificationPreference,
)
from .services import DEFAULT_FREQUENCY
from .unsubscribe import read_token


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    """Newest first; only what the list shows (the text can be long)."""
    return (
        Notification.objects.filter(recipient=user)
        .only("pk", "subject", "body", "language", "target_url", "created_at", "read_at", "kind")
        .order_by("-created_at", "-pk")
    )


def unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.unread().filter(recipient=user).count()


def notification_get_for_user(*, user, pk: int) -> Notification:
    """Raises ``Notification.DoesNotExist`` for someone else's notification (404, not 403)."""
    return Notification.objects.get(recipient=user, pk=pk)


def preferences_for_user(*, user) -> dict[str, str]:
    """Every registered category with the person's choice (or the default)."""
    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list("category", "frequency")
    )
    return {
        category.value: chosen.get(category.value, DEFAULT_FREQUENCY)
        for category in categories.categories()
    }


def unsubscribe_target(*, token: str):
    """The person and categories a signed "stop these e-mails" link names.

    Raises ``LookupError`` for a link we did not sign, for one naming a category no app registers
    (any more), or for an account that is gone.
    """
    try:
        user_id, named = read_token(token)
    except (signing.BadSignature, ValueError, LookupError, TypeError):
        raise LookupError("not a valid unsubscribe link") from None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise LookupError("no such active user")
    return user, named


def outbox_health(*, now=None) -> dict:
    """How the e-mail outbox is doing, in one query: for staff to see that delivery runs.

    ``stalled`` means an immediate e-mail has waited longer than a few beat runs should take.
    """
    now = now or timezone.now()
    pending = Q(email_status=EmailStatus.PENDING)
    figures = Notification.objects.aggregate(
        waiting=Count("pk", filter=pending & Q(channel=Frequency.IMMEDIATE)),
        oldest=Min("created_at", filter=pending & Q(channel=Frequency.IMMEDIATE)),
        in_digests=Count("pk", filter=pending & Q(channel__in=DIGEST_FREQUENCIES)),
        failed=Count("pk", filter=Q(email_status=EmailStatus.FAILED)),
    )
    oldest = figures["oldest"]
    figures["stalled"] = bool(oldest and now - oldest > datetime.timedelta(minutes=10))
    return figures
