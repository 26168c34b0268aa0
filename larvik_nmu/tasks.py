"""Project-level tasks."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="larvik_nmu.ping")
def ping(message: str = "pong") -> str:
    """Prove that a worker is listening: ``ping.delay()`` from ``manage.py shell``."""
    logger.info("ping received: %s", message)
    return message
