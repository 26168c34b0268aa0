"""The link in a guest's e-mails: it shows their sign-up, confirms it and cancels it.

A guest has no account, so the link is their key: a value signed with the project's secret
(``django.core.signing``) carrying only the sign-up's id. Its salt is its own, so a token signed
for anything else (an unsubscribe link, a password reset) is refused here, and this one is
refused there. It does not expire by the clock but with the dugnad: once the dugnad has ended
the link no longer opens the sign-up (``link_expired``, checked each time it is used), and some
days later the address itself is forgotten (``services.participants.guests_forget``).
"""

import datetime

from django.core import signing
from django.urls import reverse
from django.utils import timezone

SALT = "dugnads.guest-signup"


def make_token(signup) -> str:
    return signing.dumps(signup.pk, salt=SALT)


def read_token(token: str) -> int | None:
    """The sign-up's id in ``token``, or None when the token is not one of ours for this."""
    try:
        value = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if type(value) is not int or value <= 0:
        return None
    return value


def signup_path(signup) -> str:
    return reverse("dugnads:guest-signup", kwargs={"token": make_token(signup)})


def link_expired(signup, *, now: datetime.datetime | None = None) -> bool:
    """The link works until the dugnad has ended."""
    return signup.dugnad.ends_at <= (now or timezone.now())
