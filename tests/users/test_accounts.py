"""Sign-up with mandatory e-mail verification, login, enumeration protection, rate limits."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _signup(client, email="ny@example.no"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "Sterkt-passord-2026",
            "password2": "Sterkt-passord-2026",
            "full_name": "Nora Ny",
            "preferred_language": "nb",
        },
    )


def test_signup_requires_email_confirmation_before_login(client):
    response = _signup(client)
    assert response.status_code == 302
    assert not EmailAddress.objects.get(email="ny@example.no").verified
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/konto/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    client.post(path)
    assert EmailAddress.objects.get(email="ny@example.no").verified
    response = client.post(
        reverse("account_login"), {"login": "ny@example.no", "password": "Sterkt-passord-2026"}
    )
    assert response.status_code == 302
    assert client.get(reverse("users:profile")).status_code == 200


def test_signup_stores_full_name_and_language(client):
    _signup(client)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email="ny@example.no")
    assert (user.full_name, user.preferred_language) == ("Nora Ny", "nb")


def test_signup_with_existing_email_does_not_reveal_it(client, resident):
    response = _signup(client, email=resident.email)
    # ACCOUNT_PREVENT_ENUMERATION: same answer as a new address, a warning goes to the owner.
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [resident.email]


def test_signup_form_errors_are_norwegian(client):
    response = client.post(reverse("account_signup"), {"email": "ikke-epost"})
    assert response.status_code == 200
    assert "Oppgi en gyldig e-postadresse" in response.content.decode()


def test_login_pages_are_styled_and_norwegian(client):
    body = client.get(reverse("account_login")).content.decode()
    assert "Hopp til hovedinnhold" in body
    assert "ds-button" in body
    assert "Logg inn" in body


def test_profile_requires_login_and_saves(client, resident):
    assert client.get(reverse("users:profile")).status_code == 302
    client.force_login(resident)
    response = client.post(
        reverse("users:profile"), {"full_name": "Ingrid Ny", "preferred_language": "en"}
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.full_name, resident.preferred_language) == ("Ingrid Ny", "en")


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.redis
def test_failed_logins_are_rate_limited_in_redis(client, resident, settings):
    from django.core.cache import caches

    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(caches["default"], RedisCache)
    bodies = [
        client.post(
            reverse("account_login"), {"login": resident.email, "password": "feil-passord"}
        ).content.decode()
        for _ in range(5)
    ]
    limited = ["For mange innloggingsforsøk" in body for body in bodies]
    assert limited[:3] == [False, False, False]
    assert limited[4]
    # Even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"), {"login": resident.email, "password": "correct-horse-battery"}
    )
    assert "For mange innloggingsforsøk" in response.content.decode()


def test_short_password_error_is_norwegian(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "kort@example.no", "password1": "a1", "password2": "a1", "full_name": "K"},
    )
    body = response.content.decode()
    assert "Passordet er for kort" in body
    assert "too short" not in body


def test_language_choices_are_named_in_their_own_language(client):
    body = client.get(reverse("account_signup")).content.decode()
    assert "Norsk bokmål" in body and "English" in body


def test_password_reset_sends_a_norwegian_link_that_works(client, resident):
    client.post(reverse("account_reset_password"), {"email": resident.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [resident.email]
    assert "passord" in message.body.lower()
    link = re.search(r"https?://testserver(/konto/password/reset/key/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url, {"password1": "Nytt-sterkt-passord-1", "password2": "Nytt-sterkt-passord-1"}
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password("Nytt-sterkt-passord-1")


def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "ukjent@example.no"})
    assert response.status_code == 302  # same answer as for a known address


def test_adding_an_email_address_requires_verification(client, resident):
    from tests.factories import PASSWORD

    # Changing the address asks for the password again (tests/users/test_account_pages.py).
    client.post(reverse("account_login"), {"login": resident.email, "password": PASSWORD})
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "ny.adresse@example.no"}
    )
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    address = EmailAddress.objects.get(email="ny.adresse@example.no")
    assert address.user == resident and not address.verified
    assert mail.outbox[-1].to == ["ny.adresse@example.no"]


def test_logout_needs_post(client, resident):
    client.force_login(resident)
    assert client.get(reverse("account_logout")).status_code == 200  # confirmation page
    assert "_auth_user_id" in client.session
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
