"""Guests sign up at most settings.DUGNADS["GUEST_SIGNUPS_PER_HOUR"] times an hour from one
client address (dugnads/throttling.py): over it, the 429 page and nothing saved. Counted in the
default cache (Redis when REDIS_URL is set; conftest empties it before each test)."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from dugnads.models import GuestMail, Signup
from tests.factories import DugnadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_language_after():
    """A request in English leaves English active in this thread (the language middleware
    activates it): put the site's language back for the tests after this one."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dugnad(committee):
    return DugnadFactory(committee=committee, capacity=50)


def _guest(client, dugnad, n: int, address: str = "203.0.113.7", **headers):
    return client.post(
        reverse("dugnads:signup-create", args=[dugnad.pk]),
        {"guest_name": f"Gjest {n}", "guest_email": f"gjest{n}@example.no", "party_size": "1"},
        REMOTE_ADDR=address,
        headers=headers,
    )


@pytest.fixture(autouse=True)
def _a_limit_of_five(settings):
    """Five an hour here, so the tests stay short; the portal's own limit is below."""
    settings.DUGNADS = {**settings.DUGNADS, "GUEST_SIGNUPS_PER_HOUR": 5}


def test_the_portals_limit_leaves_room_for_a_shared_connection():
    from larvik_nmu.settings import base

    # Parents on a school's connection sign up together; a guest's sign-up holds no place
    # until its e-mail link is opened, so a script gains nothing by it.
    assert base.DUGNADS["GUEST_SIGNUPS_PER_HOUR"] == 20


def test_the_sixth_guest_sign_up_in_an_hour_from_one_address_is_429(client, dugnad, settings):
    assert settings.DUGNADS["GUEST_SIGNUPS_PER_HOUR"] == 5
    for n in range(5):
        assert _guest(client, dugnad, n).status_code == 302
    response = _guest(client, dugnad, 5)
    assert response.status_code == 429
    assert b"<h1" in response.content  # the portal's page, not a bare error
    assert Signup.objects.count() == 5
    assert not Signup.objects.filter(guest_email="gjest5@example.no").exists()
    assert GuestMail.objects.count() == 5
    # Another address is counted on its own.
    assert _guest(client, dugnad, 6, address="198.51.100.1").status_code == 302


def test_with_htmx_over_the_limit_the_panel_says_so_and_nothing_is_saved(client, dugnad):
    client.cookies["nmu_language"] = "en"
    for n in range(5):
        _guest(client, dugnad, n)
    response = _guest(client, dugnad, 5, **{"HX-Request": "true"})
    assert response.status_code == 200
    assert b'id="signup-error"' in response.content and b"Too many sign-ups" in response.content
    assert b'value="gjest5@example.no"' in response.content  # what was typed is kept
    assert Signup.objects.count() == 5


@override_settings(DUGNADS={"GUEST_SIGNUPS_PER_HOUR": 2})
def test_the_limit_is_the_setting(client, dugnad):
    assert _guest(client, dugnad, 0).status_code == 302
    assert _guest(client, dugnad, 1).status_code == 302
    assert _guest(client, dugnad, 2).status_code == 429


def test_a_form_with_errors_or_a_refused_sign_up_does_not_count(client, dugnad, committee):
    for _ in range(10):
        bad = client.post(
            reverse("dugnads:signup-create", args=[dugnad.pk]),
            {"guest_name": "G", "guest_email": "not an address", "party_size": "1"},
            REMOTE_ADDR="203.0.113.7",
        )
        assert bad.status_code == 200
    closed = DugnadFactory(committee=committee, state="cancelled")
    for n in range(10):
        assert _guest(client, closed, n).status_code == 200
    for n in range(5):
        assert _guest(client, dugnad, n).status_code == 302


def test_residents_are_not_limited(client, dugnad, settings):
    from tests.factories import UserFactory

    for _ in range(settings.DUGNADS["GUEST_SIGNUPS_PER_HOUR"] + 2):
        client.force_login(UserFactory())
        response = client.post(
            reverse("dugnads:signup-create", args=[dugnad.pk]),
            {"party_size": "1"},
            REMOTE_ADDR="203.0.113.7",
        )
        assert response.status_code == 302
    assert Signup.objects.filter(user__isnull=False).count() == 7
