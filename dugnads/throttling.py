"""Guests (no account) sign up at most ``settings.DUGNADS["GUEST_SIGNUPS_PER_HOUR"]`` times an
hour from one client address: each sign-up sends an e-mail to whatever address was typed, so
without a limit the form would be a way to send our mail to strangers.

Counted like allauth counts log-ins (users/throttling.py): its rate limiter, per client address
as allauth finds it behind our proxies (``ALLAUTH_TRUSTED_PROXY_COUNT``), a sliding hour in the
default cache. allauth's public ``consume`` only reads the account app's own rates, so the
limiter is called with ours; ``tests/dugnads/test_signup_ratelimit.py`` catches an allauth
upgrade that changes it. While the cache (Redis) is down the limit fails open, as log-ins do.
"""

from allauth.core.internal import ratelimit
from django.conf import settings

ACTION = "guest_signup"


def _config() -> dict[str, str]:
    per_hour = settings.DUGNADS.get("GUEST_SIGNUPS_PER_HOUR")
    return {ACTION: f"{int(per_hour)}/1h/ip"} if per_hour else {}


def guest_signup_consume(request):
    """Count one guest sign-up from the request's address: a usage to ``rollback()`` if the
    sign-up did not happen after all, or None when the address is over the limit."""
    return ratelimit.consume(request, app="dugnads", action=ACTION, config=_config())
