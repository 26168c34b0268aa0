"""A Redis cache that degrades to "no cache" while Redis is down, instead of failing requests.

The cache only holds what can be lost: allauth's rate-limit counters. Without this, a Redis
outage turns every log-in into a 500 (allauth does not catch the connection error). While Redis
is down rate limits fail open; a warning is logged, and for a few seconds after a failure Redis
is not asked again, so pages stay fast.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


def _degrade(fallback):
    """Wrap a cache method: on a Redis failure return ``fallback(args, kwargs)``."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return fallback(args, kwargs)
            try:
                return method(self, *args, **kwargs)
            except _FAILURES as error:
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning("Redis cache unavailable (%s); continuing without it.", error)
                return fallback(args, kwargs)

        return wrapper

    return decorator


def _default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    get = _degrade(_default)(RedisCache.get)
    add = _degrade(lambda a, k: True)(RedisCache.add)  # "stored": callers go ahead
    set = _degrade(lambda a, k: None)(RedisCache.set)
    touch = _degrade(lambda a, k: False)(RedisCache.touch)
    delete = _degrade(lambda a, k: False)(RedisCache.delete)
    has_key = _degrade(lambda a, k: False)(RedisCache.has_key)
    get_many = _degrade(lambda a, k: {})(RedisCache.get_many)
    set_many = _degrade(lambda a, k: list(a[0]) if a else [])(RedisCache.set_many)
    delete_many = _degrade(lambda a, k: None)(RedisCache.delete_many)
    clear = _degrade(lambda a, k: False)(RedisCache.clear)
