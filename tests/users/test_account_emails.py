"""allauth's e-mails in the portal's voice (issue 10): the municipality's name from settings, never
the host ("Hei fra 127.0.0.1:18801!"); HTML and text in the notification e-mails' frame; Norwegian
or English by the recipient's language."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nytt-sterkt-passord-1"


def _signup(client, *, email="ny@example.no", language="nb"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Nora Ny",
            "preferred_language": language,
        },
    )


def _html(message) -> str:
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html


def _without_links(text: str) -> str:
    return re.sub(r"https?://\S+", "", text)


def _hosts() -> set[str]:
    """The names an e-mail must not greet or sign with: the request's host and the site's."""
    from urllib.parse import urlsplit

    return {"testserver", urlsplit(settings.SITE_URL).netloc}


# --- The municipality, not the host --------------------------------------------------------------


def test_signup_mail_names_the_municipality_and_never_the_host(client):
    _signup(client)
    message = mail.outbox[0]
    name = settings.MUNICIPALITY["name"]
    assert name in message.body
    assert name in _html(message)
    for host in _hosts():
        assert host not in message.subject
        assert host not in _without_links(message.body)
        assert host not in _without_links(re.sub(r'href="[^"]*"', "", _html(message)))


def test_the_name_follows_the_setting(client, settings):
    settings.MUNICIPALITY = {**settings.MUNICIPALITY, "name": "Sandefjord kommune"}
    _signup(client)
    assert "Sandefjord kommune" in mail.outbox[0].body
    assert "Larvik" not in mail.outbox[0].body


def test_text_part_is_not_html_escaped_and_html_part_is(client, settings):
    settings.MUNICIPALITY = {**settings.MUNICIPALITY, "name": "Nes & Omegn <kommune>"}
    _signup(client)
    message = mail.outbox[0]
    assert "Nes & Omegn <kommune>" in message.body
    assert "&amp;" not in message.body
    assert "Nes &amp; Omegn &lt;kommune&gt;" in _html(message)
    assert "<kommune>" not in _html(message)


# --- The frame ------------------------------------------------------------------------------------


def test_signup_mail_is_html_and_text_in_the_notification_frame(client):
    _signup(client)
    message = mail.outbox[0]
    html = _html(message)
    link = re.search(r"https?://testserver/konto/confirm-email/\S+", message.body).group(0)
    # Text: greeting, the link with its label, the frame's signature.
    assert message.body.startswith("Hei!\n\n")
    assert f"Bekreft e-postadressen: {link}" in message.body
    assert "\n-- \nNærmiljøutvalg, Larvik kommune\n" in message.body
    # HTML: the frame's header, the subject as heading, the link as a button, the signature.
    assert "Larvik kommune · Nærmiljøutvalg" in html
    assert '<h1 style="font-size:22px;margin:0 0 16px">Bekreft e-postadressen din</h1>' in html
    assert re.search(
        rf'<a href="{re.escape(link).replace("&", "&amp;")}" style="display:inline-block[^"]*">Bekreft e-postadressen</a>',
        html,
    )
    assert "Nærmiljøutvalg, Larvik kommune" in html
    assert '<html lang="nb">' in html
    # Account mails always go out: no "stop e-mails like this one" link.
    assert "Stopp e-poster" not in html and "unsubscribe" not in html
    assert message.subject == "[Nærmiljøutvalg] Bekreft e-postadressen din"


def test_account_mails_ask_for_no_automatic_replies_and_name_their_language(client):
    _signup(client, language="en")
    message = mail.outbox[0]
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.extra_headers["Content-Language"] == "en"


# --- Norwegian and English ------------------------------------------------------------------------


def test_signup_mail_in_english_for_an_english_speaker(client):
    _signup(client, language="en")
    message = mail.outbox[0]
    assert message.subject == "[Nærmiljøutvalg] Confirm your e-mail address"
    assert message.body.startswith("Hello,\n\n")
    assert "Confirm the e-mail address: http" in message.body
    assert "website of the neighbourhood committees in Larvik kommune" in message.body
    assert '<html lang="en">' in _html(message)
    assert ">Confirm the e-mail address</a>" in _html(message)


def test_signup_mail_in_norwegian(client):
    _signup(client, language="nb")
    message = mail.outbox[0]
    assert "nettsidene til nærmiljøutvalgene i Larvik kommune" in message.body
    assert "Bekreft e-postadressen: http" in message.body


def test_password_reset_goes_in_the_account_owners_language(client):
    english = UserFactory(email="eng@example.no", preferred_language="en")
    client.post(reverse("account_reset_password"), {"email": english.email})  # page in Norwegian
    message = mail.outbox[0]
    assert message.subject == "[Nærmiljøutvalg] Choose a new password"
    assert "Choose a new password: http" in message.body
    assert ">Choose a new password</a>" in _html(message)


def test_unknown_address_gets_the_language_of_the_request(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("account_reset_password"), {"email": "ukjent@example.no"})
    message = mail.outbox[0]
    assert message.to == ["ukjent@example.no"]
    assert message.subject == "[Nærmiljøutvalg] There is no account with this e-mail address"
    assert "Create an account: http" in message.body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    client.post(reverse("account_reset_password"), {"email": "ukjent2@example.no"})
    assert (
        mail.outbox[1].subject == "[Nærmiljøutvalg] Det finnes ingen konto med denne e-postadressen"
    )


def test_signup_with_a_taken_address_tells_the_owner_in_their_language(client):
    owner = UserFactory(email="eier@example.no", preferred_language="en")
    _signup(client, email=owner.email, language="nb")
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert message.subject == "[Nærmiljøutvalg] You already have an account"
    assert "If you have forgotten your password" in message.body
    assert _html(message)


# --- Every mail the portal's allauth sends -------------------------------------------------------


def _log_in(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_password_change_sends_a_notice_in_the_frame(client, resident):
    _log_in(client, resident)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    message = mail.outbox[-1]
    assert message.to == [resident.email]
    assert message.subject == "[Nærmiljøutvalg] Passordet ditt er endret"
    assert "Passordet for kontoen din er endret." in message.body
    assert settings.MUNICIPALITY["contact_email"] in message.body
    assert "IP-adresse: 127.0.0.1" in message.body
    assert "Passordet for kontoen din er endret." in _html(message)


def test_changing_the_address_sends_a_confirmation_then_tells_the_old_address(client, resident):
    _log_in(client, resident)
    location = client.post(
        reverse("account_email"), {"action_add": "", "email": "ny.adresse@example.no"}
    )["Location"]
    client.post(location, {"password": PASSWORD})  # reauthentication
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["ny.adresse@example.no"]
    assert confirmation.subject == "[Nærmiljøutvalg] Bekreft den nye e-postadressen din"
    assert _html(confirmation)
    link = re.search(r"https?://testserver(/konto/confirm-email/\S+)", confirmation.body).group(1)
    client.post(link)
    notice = mail.outbox[-1]
    assert notice.to == [resident.email]
    assert notice.subject == "[Nærmiljøutvalg] E-postadressen din er endret"
    assert "fra resident@example.no til ny.adresse@example.no" in notice.body
    assert _html(notice)


SENT_TEMPLATES = [
    "account_already_exists",
    "email_changed",
    "email_confirmation",
    "email_confirmation_signup",
    "email_deleted",
    "password_changed",
    "password_reset",
    "password_reset_key",
    "password_set",
    "unknown_account",
]


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("name", SENT_TEMPLATES)
def test_every_account_mail_has_both_parts_in_both_languages(name, language, rf, resident):
    """Render each mail allauth sends in our configuration, as the adapter would."""
    from allauth.account.adapter import get_adapter
    from allauth.core import context

    resident.preferred_language = language
    resident.save()
    request = rf.get("/")
    request.user = resident
    extra = {
        "activate_url": "https://x/a",
        "password_reset_url": "https://x/p",
        "signup_url": "https://x/s",
        "from_email": "a@example.no",
        "to_email": "b@example.no",
        "deleted_email": "c@example.no",
        "ip": "10.0.0.1",
        "user_agent": "Firefox",
        "timestamp": None,
    }
    with context.request_context(request):
        get_adapter(request).send_mail(
            f"account/email/{name}", resident.email, {"user": resident, **extra}
        )
    message = mail.outbox[-1]
    html = _html(message)
    assert f'<html lang="{language}">' in html
    assert settings.MUNICIPALITY["name"] in message.body and settings.MUNICIPALITY["name"] in html
    assert message.body.startswith("Hei!" if language == "nb" else "Hello,")
    assert "{%" not in message.body + html and "{{" not in message.body + html
    english_words = {"the", "your", "account"}
    words = set(re.findall(r"[a-z]+", _without_links(message.subject + message.body).lower()))
    if language == "nb":
        assert not english_words & words, english_words & words
    else:
        assert english_words & words


MFA_NOTICES = {
    "totp_activated": ("Autentiseringsapp satt opp", "Authenticator app set up"),
    "totp_deactivated": ("Autentiseringsapp fjernet", "Authenticator app removed"),
    "recovery_codes_generated": ("Nye gjenopprettingskoder", "New recovery codes"),
}


@pytest.mark.parametrize("notice", sorted(MFA_NOTICES))
@pytest.mark.parametrize("language", ["nb", "en"])
def test_mfa_notices_are_ours_in_both_parts(notice, language, rf, resident):
    """The second-factor notices staff get have our subject and an HTML part in the frame."""
    from allauth.account.adapter import get_adapter
    from allauth.core import context

    resident.preferred_language = language
    resident.save()
    request = rf.get("/")
    request.user = resident
    with context.request_context(request):
        get_adapter(request).send_notification_mail(f"mfa/email/{notice}", resident)
    message = mail.outbox[-1]
    subject = MFA_NOTICES[notice][0 if language == "nb" else 1]
    assert message.subject.endswith(subject)
    html = message.alternatives[0][0]
    assert settings.MUNICIPALITY["name"] in html
    assert f'lang="{language}"' in html


@pytest.mark.parametrize("language", ["nb", "en"])
def test_allauth_mfa_notices_get_the_frame_through_base_notification(language, rf, resident):
    """MFA's notices extend account/email/base_notification.txt: ours, so they speak in the
    portal's voice too (the municipality, the signature, the owner's language)."""
    from allauth.account.adapter import get_adapter
    from allauth.core import context

    resident.preferred_language = language
    resident.save()
    request = rf.get("/")
    request.user = resident
    with context.request_context(request):
        get_adapter(request).send_notification_mail("mfa/email/totp_activated", resident)
    message = mail.outbox[-1]
    assert settings.MUNICIPALITY["name"] in message.body
    assert message.body.startswith("Hei!" if language == "nb" else "Hello,")
    assert "\n-- \n" in message.body
    greeting_and_signature = _without_links(re.sub(r"\n- .*", "", message.body))  # not the IP line
    for host in _hosts():
        assert host not in greeting_and_signature


def test_allauths_current_site_is_the_municipality_not_the_host(client, monkeypatch):
    """Any allauth template we have not overridden greets with ``current_site.name``."""
    from users.adapters import AccountAdapter

    seen = {}
    original = AccountAdapter.render_mail

    def spy(self, template_prefix, email, context, headers=None):
        seen.update(context)
        return original(self, template_prefix, email, context, headers)

    monkeypatch.setattr(AccountAdapter, "render_mail", spy)
    _signup(client)
    assert seen["current_site"].name == settings.MUNICIPALITY["name"]
    assert "testserver" not in seen["current_site"].domain
