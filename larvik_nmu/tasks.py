"""Project-level tasks."""

import logging

from celery import shared_task
from django.core.cache import cache

logger = logging.getLogger(__name__)

LAST_PING_KEY = "larvik_nmu:last-ping"


@shared_task(name="larvik_nmu.ping")
def ping(message: str = "pong") -> str:
    """Prove that a worker is listening: ``ping.delay()`` from ``manage.py shell``.

    The message is also left in the cache, so a health check (or a test) can see that a worker
    ran it without a result backend.
    """
    logger.info("ping received: %s", message)
    cache.set(LAST_PING_KEY, message, timeout=3600)
    return message
