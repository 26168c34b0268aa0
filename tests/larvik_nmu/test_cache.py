"""A Redis outage must not break the site: the cache degrades, log-in still works."""

import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from larvik_nmu.cache import ResilientRedisCache

from ..factories import PASSWORD

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def dead_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "larvik_nmu.cache.ResilientRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry": None},
        }
    }
    ResilientRedisCache._down_until = 0.0
    yield caches["default"]
    ResilientRedisCache._down_until = 0.0


def test_dead_redis_reads_as_empty_and_writes_are_dropped(dead_cache):
    assert dead_cache.get("k", "fallback") == "fallback"
    assert dead_cache.get("k", default=3) == 3
    assert dead_cache.add("lock", True) is True  # callers waiting for a lock go ahead
    assert dead_cache.set("k", 1) is None
    assert dead_cache.get_many(["a", "b"]) == {}
    assert dead_cache.delete("k") is False


def test_after_a_failure_redis_is_not_asked_again_for_a_while(dead_cache):
    dead_cache.get("k")
    start = time.monotonic()
    for _ in range(50):
        dead_cache.get("k")
    assert time.monotonic() - start < 0.5  # no 50 connection attempts


@pytest.mark.django_db
def test_login_works_with_rate_limits_while_redis_is_down(client, dead_cache, settings, resident):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    response = client.post(
        reverse("account_login"), {"login": resident.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    client.logout()
    wrong = client.post(reverse("account_login"), {"login": resident.email, "password": "nei"})
    assert wrong.status_code == 200  # the form back with its message, not a 500
