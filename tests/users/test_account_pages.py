"""Account pages: reauthentication before changing the e-mail address, autocomplete (WCAG 1.3.5)
and the login page's tab order (issue 10)."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _log_in(client, user):
    """A real password login (force_login records no authentication for allauth)."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def _change_email(client, address="ny.adresse@example.no"):
    return client.post(reverse("account_email"), {"action_add": "", "email": address})


# --- Reauthentication ---------------------------------------------------------------------------


def test_changing_the_email_address_asks_for_the_password_again(client, resident):
    _log_in(client, resident)
    response = _change_email(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate") + "?next=")
    assert not EmailAddress.objects.filter(email="ny.adresse@example.no").exists()
    # After the password, the change goes through as asked.
    response = client.post(response["Location"], {"password": PASSWORD}, follow=True)
    address = EmailAddress.objects.get(email="ny.adresse@example.no")
    assert address.user == resident and not address.verified


def test_a_wrong_password_does_not_change_the_email_address(client, resident):
    _log_in(client, resident)
    location = _change_email(client)["Location"]
    response = client.post(location, {"password": "feil-passord-123"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not EmailAddress.objects.filter(email="ny.adresse@example.no").exists()


def test_reauthentication_lasts_only_its_timeout(client, resident, monkeypatch):
    _log_in(client, resident)
    location = _change_email(client)["Location"]
    client.post(location, {"password": PASSWORD})
    assert EmailAddress.objects.filter(email="ny.adresse@example.no").exists()
    # Within the timeout a second change needs no password...
    response = _change_email(client, "enda.en@example.no")
    assert not response["Location"].startswith(reverse("account_reauthenticate"))
    # ...after it, the password is asked for again.
    timeout = 300  # allauth's ACCOUNT_REAUTHENTICATION_TIMEOUT
    assert getattr(settings, "ACCOUNT_REAUTHENTICATION_TIMEOUT", timeout) == timeout
    later = time.time() + timeout + 1
    monkeypatch.setattr(time, "time", lambda: later)
    response = _change_email(client, "tredje@example.no")
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="tredje@example.no").exists()


def test_anonymous_cannot_reach_the_email_page(client):
    response = _change_email(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not EmailAddress.objects.filter(email="ny.adresse@example.no").exists()


# --- Autocomplete (WCAG 1.3.5) ------------------------------------------------------------------


def _tag(body: str, name: str) -> str:
    match = re.search(rf'<(?:input|select)\b[^>]*\bname="{name}"[^>]*>', body)
    assert match, f"no field named {name}"
    return match.group(0)


def _autocomplete(body: str, name: str) -> str | None:
    match = re.search(r'\bautocomplete="([^"]*)"', _tag(body, name))
    return match.group(1) if match else None


def test_profile_fields_say_what_they_are(client, resident):
    client.force_login(resident)
    body = client.get(reverse("users:profile")).content.decode()
    assert _autocomplete(body, "full_name") == "name"
    assert _autocomplete(body, "preferred_language") == "language"


def test_signup_fields_say_what_they_are(client):
    body = client.get(reverse("account_signup")).content.decode()
    assert _autocomplete(body, "email") == "email"
    assert _autocomplete(body, "full_name") == "name"
    assert _autocomplete(body, "preferred_language") == "language"
    assert _autocomplete(body, "password1") == "new-password"


def test_new_email_field_says_it_is_an_email_address(client, resident):
    client.force_login(resident)
    body = client.get(reverse("account_email")).content.decode()
    assert _autocomplete(body, "email") == "email"


def test_pending_email_form_is_hidden_without_an_inline_style(client, resident):
    """The page's CSP forbids inline styles: allauth's own template hides its form with one."""
    _log_in(client, resident)
    client.post(_change_email(client)["Location"], {"password": PASSWORD})
    body = client.get(reverse("account_email")).content.decode()
    assert 'id="pending-email"' in body
    assert "style=" not in body.split("<main", 1)[1]


# --- Login page: tab order --------------------------------------------------------------------


def test_login_tab_order_is_email_password_submit_then_forgot_link(client):
    body = client.get(reverse("account_login")).content.decode()
    main = body.split("<main", 1)[1]
    email = main.index('name="login"')
    password = main.index('name="password"')
    submit = main.index('type="submit"')
    forgot = main.index(f'href="{reverse("account_reset_password")}"')
    assert email < password < submit < forgot
    assert "tabindex" not in main.split("</form>", 1)[0].replace('tabindex="-1"', "")


def test_login_page_still_offers_the_forgot_password_link_in_norwegian(client):
    body = client.get(reverse("account_login")).content.decode()
    assert re.search(
        rf'<a[^>]*href="{reverse("account_reset_password")}"[^>]*>Glemt passord\?</a>', body
    )


def test_reauthentication_asks_for_the_password_only(client, resident):
    """Not allauth's e-mailed sign-in code: "asks for the password again" (issue 10); the
    second factor stays a way for those who have one (tests/users/test_staff_mfa.py)."""
    _log_in(client, resident)
    page = client.get(_change_email(client)["Location"])
    main = page.content.decode().split("<main", 1)[1]
    assert reverse("account_request_reauthentication_code") not in main
    assert client.get(reverse("account_request_reauthentication_code")).status_code == 403


def test_reauthentication_tab_order_is_password_submit_then_forgot_link(client, resident):
    _log_in(client, resident)
    page = client.get(_change_email(client)["Location"])
    main = page.content.decode().split("<main", 1)[1]
    password = main.index('name="password"')
    submit = main.index('type="submit"')
    forgot = main.index(f'href="{reverse("account_reset_password")}"')
    assert password < submit < forgot
    assert 'aria-describedby="id_password_helptext"' not in main
