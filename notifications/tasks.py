"""Celery tasks. Each is safe to run twice at once, late, or again after a crash."""

import logging

from celery import shared_task

from . import delivery, services
from .models import DIGEST_FREQUENCIES
from .services import request_delivery

logger = logging.getLogger(__name__)


@shared_task(name="notifications.deliver_pending", ignore_result=True)
def deliver_pending() -> dict:
    """Send waiting e-mails (beat runs this every minute; ``notify`` nudges it after commit).

    One run does a bounded number of batches so a warm shutdown never waits long; if more is
    waiting it queues itself again at once (no countdown).
    """
    result = delivery.deliver_pending()
    if result.more:
        request_delivery()  # like a nudge: if the broker is down now, beat carries on later
    if result.batches:
        logger.info("notifications delivered: %s", result)
    return result.__dict__


@shared_task(name="notifications.send_digests", ignore_result=True)
def send_digests(frequency: str | None = None) -> dict:
    """Daily and weekly summaries. Without ``frequency``, both (the hourly catch-up run)."""
    frequencies = [frequency] if frequency else list(DIGEST_FREQUENCIES)
    totals = {}
    for each in frequencies:
        result = delivery.send_digests(frequency=each)
        totals[str(each)] = result.__dict__
        if result.batches:
            logger.info("%s digests: %s", each, result)
    return totals


@shared_task(name="notifications.delete_old", ignore_result=True)
def delete_old() -> int:
    """Nightly: old notifications go, as the privacy statement says."""
    return services.notifications_delete_old()
