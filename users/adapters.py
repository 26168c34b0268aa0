"""allauth in the portal's voice: its e-mails and where confirming an address leads.

allauth's own e-mails greet with ``current_site.name``, which without django.contrib.sites is the
request's host ("Hei fra 127.0.0.1:18801!"). Here every account e-mail gets the municipality from
settings, the portal's e-mail frame (templates/account/email/base_*.html extend the notification
e-mails' frame) and the recipient's own language.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from .models import User
from .throttling import LoginAttemptsAnswer429


@dataclass(frozen=True)
class PortalSite:
    """Stands in for allauth's ``current_site``: the municipality, never the request's host."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(
        name=settings.MUNICIPALITY["name"],
        domain=urlsplit(settings.SITE_URL).netloc or settings.SITE_URL,
    )


def recipient_language(email: str, user=None) -> str:
    """The language an account e-mail to ``email`` is written in.

    The account's preferred language when there is an account (the owner of an address someone
    tried to sign up with, the user whose password was reset); else the language of the request
    that caused the e-mail (an unknown address asking for a password reset).
    """
    if user is None or not getattr(user, "pk", None):
        user = (
            User.objects.filter(email__iexact=email).first()
            or User.objects.filter(emailaddress__email__iexact=email).first()
        )
    language = getattr(user, "preferred_language", "") or translation.get_language()
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


class AccountAdapter(LoginAttemptsAnswer429, DefaultAccountAdapter):
    def get_from_email(self):
        return settings.DEFAULT_FROM_EMAIL

    # --- E-mails ------------------------------------------------------------------------------

    def send_mail(self, template_prefix, email, context):
        language = recipient_language(email, context.get("user"))
        with translation.override(language):
            super().send_mail(
                template_prefix,
                email,
                {
                    **context,
                    "current_site": portal_site(),
                    "municipality": settings.MUNICIPALITY,
                    "site_url": settings.SITE_URL,
                    "language": language,
                },
            )

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """Security notices (password changed, address removed) go in the owner's language even
        when they go to an address that is no longer theirs."""
        super().send_notification_mail(
            template_prefix, user, {**(context or {}), "user": user}, email
        )

    def render_mail(self, template_prefix, email, context, headers=None):
        # The frame shows the subject as the HTML part's heading and title.
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        context = {**context, "subject": " ".join(subject.splitlines()).strip()}
        headers = {
            # No out-of-office or vacation replies to a machine's mail (RFC 3834).
            "Auto-Submitted": "auto-generated",
            "Content-Language": context.get("language") or translation.get_language(),
            **(headers or {}),
        }
        return super().render_mail(template_prefix, email, context, headers=headers)

    # --- Where confirming an address leads ----------------------------------------------------

    def get_email_confirmation_url(self, request, emailconfirmation):
        """The link remembers where the person started (the sign-up's ``next``).

        Confirmed in the browser that signed up, allauth logs the person in and resumes the
        sign-up's own ``next`` (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION); this link's ``next`` is for
        a link opened elsewhere (the mail app on a phone): log in once, then the start page.
        """
        url = super().get_email_confirmation_url(request, emailconfirmation)
        start = get_next_redirect_url(request) if request is not None else None
        if not start:
            return url
        login = f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: start})}"
        return f"{url}?{urlencode({REDIRECT_FIELD_NAME: login})}"
