"""Rendering a notification's words in the recipient's language, and its e-mail."""

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .kinds import Kind
from .models import language_of

SUBJECT_MAX_LENGTH = 200

# Text templates must not HTML-escape ("Ås & Co" stays as written); the HTML part escapes it.
_TEXT_WRAPPER = Template("{% autoescape off %}{% include template_name %}{% endautoescape %}")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    language: str


def render_text(template_name: str, context: dict) -> str:
    return _TEXT_WRAPPER.render(Context({**context, "template_name": template_name}))


def render_kind(kind: Kind, *, recipient, context: dict) -> Rendered:
    """Subject and text of one notification, in the recipient's own language."""
    language = language_of(recipient)
    with translation.override(language):
        text = render_text(
            kind.template_name,
            {
                **context,
                "recipient": recipient,
                "municipality": settings.MUNICIPALITY,
                "site_url": settings.SITE_URL,
            },
        ).strip()
    subject, body = split_subject(text)
    return Rendered(subject=subject, body=body, language=language)


def split_subject(text: str) -> tuple[str, str]:
    """A kind's words: the first line is the subject, the rest the body. The subject's white
    space is made single spaces: a carriage return typed into a title (a hand-made POST keeps
    one) must not make the mail's header invalid, or nobody would ever get the mail."""
    subject, _, body = text.partition("\n")
    return " ".join(subject.split())[:SUBJECT_MAX_LENGTH], body.strip()


def absolute_url(path: str) -> str:
    if not path or urlsplit(path).scheme:
        return path
    return settings.SITE_URL.rstrip("/") + path


def mail_domain() -> str:
    """The right-hand side of our Message-IDs: the site's host (an IP as a domain literal)."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host
    return f"[{host}]"


def preferences_url() -> str:
    return absolute_url(reverse("notifications:preferences"))


def unsubscribe_url(*, recipient, categories) -> str:
    from .unsubscribe import make_token

    token = make_token(user_id=recipient.pk, categories=categories)
    return absolute_url(reverse("notifications:unsubscribe", args=[token]))


def render_email_html(
    *, subject: str, items: list[dict], recipient, intro: str = "", unsubscribe: str = ""
) -> str:
    """The HTML part: the same words as the text part, escaped, with links as buttons."""
    language = language_of(recipient)
    with translation.override(language):
        return render_to_string(
            "notifications/email.html",
            {
                "subject": subject,
                "intro": intro,
                "items": items,
                "digest": bool(intro),
                "language": language,
                "municipality": settings.MUNICIPALITY,
                "preferences_url": preferences_url(),
                "unsubscribe_url": unsubscribe,
            },
        )
