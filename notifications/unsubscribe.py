"""Signed "stop these e-mails" links: they work from the e-mail without logging in.

The token names the person and the categories the e-mail was about, signed with SECRET_KEY, so
it cannot be forged or changed. It carries no expiry: an old e-mail's link must keep working.
"""

from django.core import signing

from . import categories

SALT = "notifications.unsubscribe"


def make_token(*, user_id: int, categories) -> str:
    return signing.dumps({"u": user_id, "c": sorted({str(c) for c in categories})}, salt=SALT)


def read_token(token: str) -> tuple[int, list[categories.Category]]:
    """Raises ``signing.BadSignature`` (or ValueError) for anything we did not sign, and
    ``LookupError`` for a category no app registers."""
    data = signing.loads(token, salt=SALT)
    return int(data["u"]), [categories.category(value) for value in data["c"]]
