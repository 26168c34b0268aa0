"""Login throttling sees the client behind the reverse proxy, and "too many attempts" is a 429
page in Norwegian (issue 10)."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD
from tests.larvik_nmu.test_settings import PRODUCTION_ENV, _manage

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # every request arrives from the one reverse proxy
CLIENT_A, CLIENT_B = "203.0.113.5", "198.51.100.7"
HEADING = "For mange forsøk"
behind_one_proxy = override_settings(
    ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip"}, ALLAUTH_TRUSTED_PROXY_COUNT=1
)


@pytest.fixture(autouse=True)
def _empty_counters():
    cache.clear()  # the project's cache (Redis under CI) outlives a test's transaction
    yield
    cache.clear()


def _fail(client, email, forwarded_for):
    client.cookies["nmu_language"] = "nb"
    return client.post(
        reverse("account_login"),
        {"login": email, "password": "feil-passord-her"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@behind_one_proxy
def test_too_many_failed_logins_from_one_client_answer_429_in_norwegian(client, resident):
    statuses = [_fail(client, resident.email, CLIENT_A).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]  # the form back, with its message
    response = _fail(client, resident.email, CLIENT_A)
    body = response.content.decode()
    assert response.status_code == 429
    assert f'<h1 class="ds-heading" data-size="lg">{HEADING}</h1>' in body
    assert "For mange innloggingsforsøk" in body  # allauth's reason, in Norwegian
    assert reverse("account_reset_password") in body
    assert 'class="site-header"' in body  # in the site's frame


@behind_one_proxy
def test_another_client_behind_the_same_proxy_is_not_blocked(client, resident, other_resident):
    for _ in range(4):
        _fail(client, resident.email, CLIENT_A)
    assert _fail(client, resident.email, CLIENT_A).status_code == 429
    response = _fail(client, other_resident.email, CLIENT_B)
    assert response.status_code == 200
    assert HEADING not in response.content.decode()
    # …and B logs in with the right password.
    ok = client.post(
        reverse("account_login"),
        {"login": other_resident.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=CLIENT_B,
    )
    assert ok.status_code == 302


@behind_one_proxy
def test_a_client_cannot_escape_by_sending_its_own_forwarded_for(client, resident):
    """The proxy appends the address it saw; what the client wrote before it is not trusted."""
    for n in range(3):
        _fail(client, resident.email, f"192.0.2.{n}, {CLIENT_A}")
    assert _fail(client, resident.email, f"192.0.2.99, {CLIENT_A}").status_code == 429


@override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"}, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_allauths_own_429_uses_the_same_page(client, resident):
    for _ in range(2):
        _fail(client, resident.email, CLIENT_A)
    response = _fail(client, resident.email, CLIENT_A)
    assert response.status_code == 429
    assert HEADING in response.content.decode()


# --- Where the proxy count comes from ---------------------------------------------------------


def _proxy_settings(module, env):
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s;"
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)",
        env={**env, "DJANGO_SETTINGS_MODULE": module},
    )
    return result.stdout.split()[-2:], result.stderr


@pytest.mark.parametrize(
    ("module", "env", "expected"),
    [
        # Production sits behind one reverse proxy unless told otherwise.
        ("larvik_nmu.settings.production", PRODUCTION_ENV, ["1", "None"]),
        (
            "larvik_nmu.settings.production",
            {**PRODUCTION_ENV, "DJANGO_TRUSTED_PROXY_COUNT": "0"},
            ["0", "None"],
        ),
        (
            "larvik_nmu.settings.production",
            {**PRODUCTION_ENV, "DJANGO_TRUSTED_PROXY_COUNT": "2"},
            ["2", "None"],
        ),
        (
            "larvik_nmu.settings.production",
            {**PRODUCTION_ENV, "DJANGO_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"},
            ["1", "X-Real-IP"],
        ),
        # make run: runserver faces the browser, X-Forwarded-For is not to be believed.
        ("larvik_nmu.settings.local", {}, ["0", "None"]),
    ],
)
def test_the_proxy_count_comes_from_the_environment(module, env, expected):
    values, stderr = _proxy_settings(module, env)
    assert values == expected, stderr
