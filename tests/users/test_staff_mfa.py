"""Staff sign in with a second factor before the admin opens, where STAFF_MFA_REQUIRED is on
(issue 10: on in production, off for make run's demo)."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD
from tests.larvik_nmu.test_settings import PRODUCTION_ENV, _manage

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
required = override_settings(STAFF_MFA_REQUIRED=True)


def _activate_totp(user) -> str:
    """An authenticator app for ``user`` through allauth's own API; returns its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _log_in(client, user):
    """Log in through allauth's form, as a person would (not force_login)."""
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


@pytest.fixture
def nb(client):
    client.cookies["nmu_language"] = "nb"
    return client


# --- The gate -----------------------------------------------------------------------------------


@required
@pytest.mark.parametrize("page", [ADMIN, "/admin/proposals/proposal/", "/admin/login/"])
def test_staff_without_a_second_factor_is_sent_to_the_setup_page(client, case_handler, page):
    _log_in(client, case_handler)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff_mfa_setup")


@required
def test_superuser_without_a_second_factor_is_sent_to_the_setup_page(client, superuser):
    client.force_login(superuser)
    assert client.get(ADMIN)["Location"] == reverse("staff_mfa_setup")


@required
def test_the_setup_page_says_why_and_leads_to_the_app_activation(nb, case_handler):
    _log_in(nb, case_handler)
    response = nb.get(reverse("staff_mfa_setup"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Før du kan bruke saksbehandlingen, må kontoen din ha tofaktorautentisering." in body
    assert "gjenopprettingskoder" in body
    assert f'href="{reverse("mfa_activate_totp")}"' in body


@required
@pytest.mark.parametrize(
    "name",
    [
        "staff_mfa_setup",
        "mfa_index",
        "mfa_activate_totp",
        "account_reauthenticate",
        "account_logout",
        "account_email",
        "robots_txt",
        "admin:logout",
    ],
)
def test_the_way_out_stays_open_no_loop(client, case_handler, name):
    _log_in(client, case_handler)
    response = client.get(reverse(name), follow=True)
    assert response.status_code in (200, 405)
    assert all(reverse("staff_mfa_setup") not in url for url, _ in response.redirect_chain)


@required
@pytest.mark.django_db(transaction=True)  # allauth tells of the new factor after the commit
def test_activating_the_app_shows_recovery_codes_and_then_opens_the_admin(nb, case_handler):
    _log_in(nb, case_handler)
    setup = nb.get(ADMIN, follow=True)
    assert setup.redirect_chain == [(reverse("staff_mfa_setup"), 302)]
    # allauth asks for the password again before a factor is added, then goes on.
    activate = reverse("mfa_activate_totp")
    asked = nb.get(activate)
    assert (
        asked["Location"]
        == f"{reverse('account_reauthenticate')}?next=%2Fkonto%2F2fa%2Ftotp%2Factivate%2F"
    )
    page = nb.post(asked["Location"], {"password": PASSWORD, "next": activate}, follow=True)
    assert page.redirect_chain[-1][0] == activate
    secret = page.context["form"].secret
    response = nb.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=case_handler, type="totp").exists()
    codes = nb.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert len(codes.context["unused_codes"]) > 0
    # The way on is the page they asked for (the admin), and replacing the codes is secondary.
    assert f'href="{ADMIN}"' in codes.content.decode()
    generate = f'href="{reverse("mfa_generate_recovery_codes")}" class="ds-button"'
    assert f'{generate} data-variant="secondary"' in codes.content.decode()
    # Setting the app up meant typing a code from it: this session reaches the admin.
    assert nb.get(ADMIN).status_code == 200


@required
def test_staff_with_the_app_is_asked_for_the_code_at_log_in_then_reaches_the_admin(
    client, case_handler
):
    secret = _activate_totp(case_handler)
    response = _log_in(client, case_handler)
    assert response["Location"] == reverse("mfa_authenticate")
    # The password alone has not logged anyone in: the admin sends them to log in.
    assert client.get(ADMIN)["Location"] == "/admin/login/?next=/admin/"
    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200


@required
def test_a_session_that_did_not_use_the_app_must_enter_a_code(client, case_handler):
    """E.g. logged in with the password before the app was set up in another browser."""
    _log_in(client, case_handler)
    secret = _activate_totp(case_handler)  # elsewhere: not in this session
    response = client.get("/admin/proposals/proposal/")
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("mfa_reauthenticate") + "?next=%2Fadmin%2Fproposals%2Fproposal%2F"
    )
    response = client.post(
        response["Location"], {"code": _code(secret), "next": "/admin/proposals/proposal/"}
    )
    assert response["Location"] == "/admin/proposals/proposal/"
    assert client.get("/admin/proposals/proposal/").status_code == 200


@required
def test_the_language_can_be_changed_on_the_setup_page(client, case_handler):
    _log_in(client, case_handler)
    setup = reverse("staff_mfa_setup")
    response = client.post(reverse("set_language"), {"language": "en", "next": setup})
    assert response["Location"] == setup


@required
def test_the_setup_leads_back_to_the_page_asked_for(client, case_handler):
    _log_in(client, case_handler)
    client.get("/admin/proposals/proposal/?state__exact=forwarded")
    _activate_totp(case_handler)
    page = client.get(reverse("staff_mfa_setup")).content.decode()
    assert 'href="/admin/proposals/proposal/?state__exact=forwarded"' in page


@required
def test_an_unsafe_page_to_go_back_to_is_not_followed(client, case_handler):
    _log_in(client, case_handler)
    session = client.session
    session["staff_mfa_next"] = "https://evil.example/"
    session.save()
    _activate_totp(case_handler)
    page = client.get(reverse("staff_mfa_setup")).content.decode()
    assert "evil.example" not in page
    assert f'href="{ADMIN}"' in page


# --- Staff act for the municipality on the site too (the proposal's own pages) ------------------


@pytest.fixture
def forwarded_case(committee):
    from tests.factories import ProposalFactory

    return ProposalFactory(committee=committee, state="forwarded")


@required
def test_staff_without_a_second_factor_cannot_move_a_case_on_the_site(
    client, case_handler, forwarded_case
):
    _log_in(client, case_handler)
    url = reverse("proposals:proposal-transition", args=[forwarded_case.reference])
    response = client.post(f"{url}?til=received")
    assert response["Location"] == reverse("staff_mfa_setup")
    forwarded_case.refresh_from_db()
    assert forwarded_case.state == "forwarded"


@required
def test_staff_without_a_second_factor_cannot_write_for_the_municipality(
    client, case_handler, forwarded_case
):
    _log_in(client, case_handler)
    url = reverse("proposals:message-create", args=[forwarded_case.reference])
    response = client.post(url, {"body": "Vi ser på saken."})
    assert response["Location"] == reverse("staff_mfa_setup")
    assert not forwarded_case.messages.exists()


@required
def test_staff_without_a_second_factor_do_not_see_the_case_dialogue(
    client, case_handler, forwarded_case
):
    _log_in(client, case_handler)
    response = client.get(forwarded_case.get_absolute_url())
    assert response["Location"] == reverse("staff_mfa_setup")


@required
def test_staff_with_a_used_second_factor_act_on_the_site(client, case_handler, forwarded_case):
    secret = _activate_totp(case_handler)
    _log_in(client, case_handler)
    client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert client.get(forwarded_case.get_absolute_url()).status_code == 200


@required
def test_residents_are_not_asked(client, resident):
    _log_in(client, resident)
    assert client.get(reverse("users:profile")).status_code == 200
    # The admin still turns them away as before (to the login), not to the setup page.
    assert reverse("staff_mfa_setup") not in client.get(ADMIN).get("Location", "")


@override_settings(STAFF_MFA_REQUIRED=False)
def test_with_the_setting_off_the_password_is_enough(client, case_handler):
    _log_in(client, case_handler)
    assert client.get(ADMIN).status_code == 200


# --- Where it is on ---------------------------------------------------------------------------


def _setting_under(module: str, env: dict) -> str:
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s;"
        "print(s.STAFF_MFA_REQUIRED, 'users.mfa.StaffSecondFactorMiddleware' in s.MIDDLEWARE)",
        env={**env, "DJANGO_SETTINGS_MODULE": module},
    )
    return result.stdout.split()[-2:], result.stderr


def test_production_requires_a_second_factor_for_staff():
    values, stderr = _setting_under("larvik_nmu.settings.production", PRODUCTION_ENV)
    assert values == ["True", "True"], stderr


def test_make_run_does_not_so_the_demo_is_one_command():
    values, stderr = _setting_under("larvik_nmu.settings.local", {})
    assert values == ["False", "True"], stderr
