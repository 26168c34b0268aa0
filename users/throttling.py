"""“Too many attempts” is an HTTP 429 with a page in the portal's frame and language.

allauth limits log-ins, sign-ups and password resets per client address (``ACCOUNT_RATE_LIMITS``,
counted in the default cache). The address is the client's, not the reverse proxy's:
``ALLAUTH_TRUSTED_PROXY_COUNT`` (from ``DJANGO_TRUSTED_PROXY_COUNT``, settings/base.py) tells
allauth how many proxies of ours append to X-Forwarded-For. Without it every resident behind the
proxy would share one counter, and one person's typos would lock out the town.

Two ways lead here: allauth's own rate-limited views call ``handler429`` (the project's
``larvik_nmu.urls.handler429`` is :func:`too_many_attempts`), and a log-in over the failed-login
limit, which allauth answers with a form error, is turned into the same 429 by
:class:`LoginAttemptsAnswer429` on the account adapter.
"""

from http import HTTPStatus

from allauth.core.exceptions import ImmediateHttpResponse
from django.core.exceptions import ValidationError
from django.shortcuts import render

TOO_MANY_LOGIN_ATTEMPTS = "too_many_login_attempts"  # allauth's error code


def too_many_attempts(request, exception=None, *, reason=""):
    """The 429 page: what was limited (when known), and what the person can do now."""
    return render(request, "429.html", {"reason": reason}, status=HTTPStatus.TOO_MANY_REQUESTS)


class LoginAttemptsAnswer429:
    """Account adapter mixin: over the failed-login limit, answer 429 instead of the form."""

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code != TOO_MANY_LOGIN_ATTEMPTS:
                raise
            response = too_many_attempts(request, reason=error.message)
            raise ImmediateHttpResponse(response) from error
