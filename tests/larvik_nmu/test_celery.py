"""A task sent the normal way runs in a real Celery worker on the embedded filesystem broker."""

import pytest
from celery.contrib.testing.worker import start_worker

from larvik_nmu.celery import app
from larvik_nmu.tasks import ping


def test_filesystem_broker_is_the_embedded_default():
    from django.conf import settings

    assert settings.CELERY_BROKER_URL == "filesystem://"
    assert "control_folder" in settings.CELERY_BROKER_TRANSPORT_OPTIONS


def test_beat_settings_are_static_and_at_least_once():
    from django.conf import settings

    assert isinstance(settings.CELERY_BEAT_SCHEDULE, dict)
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


@pytest.mark.django_db(transaction=True)
def test_ping_task_runs_in_a_worker():
    """The task goes through the broker to a worker thread, which leaves its mark in the cache."""
    import time

    from django.core.cache import cache

    from larvik_nmu.tasks import LAST_PING_KEY

    cache.delete(LAST_PING_KEY)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        ping.delay("hei")
        deadline = time.monotonic() + 30
        while cache.get(LAST_PING_KEY) != "hei" and time.monotonic() < deadline:
            time.sleep(0.1)
    assert cache.get(LAST_PING_KEY) == "hei"
