"""Security headers on every response, robots.txt, and a description per page (issue 10)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from proposals.models import State
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

OFF = ["camera", "microphone", "geolocation", "payment", "usb", "display-capture"]


def _policy(response) -> dict[str, str]:
    header = response.headers["Permissions-Policy"]
    return dict(part.strip().split("=", 1) for part in header.split(","))


def _assert_headers(response):
    policy = _policy(response)
    for feature in OFF:
        assert policy[feature] == "()", feature
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_headers_on_a_public_page(client):
    _assert_headers(client.get(reverse("home")))


def test_headers_on_the_admin(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    _assert_headers(response)


def test_headers_on_static_files_and_error_pages(client):
    static = client.get("/static/css/site.css")
    assert static.status_code == 200
    assert static.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    _assert_headers(client.get("/finnes-ikke/"))


# Features Chromium's Permissions-Policy parser knows (third_party/blink/renderer/core/
# permissions_policy/permissions_policy_features.json5, stable ones, checked against Chromium 156).
# A feature not on it costs an "Unrecognized feature" console warning on every page (issue 10:
# ambient-light-sensor and bluetooth were); tests/browser/test_permissions_policy.py asks Chromium.
CHROMIUM_FEATURES = {
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "clipboard-read",
    "clipboard-write",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "interest-cohort",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "web-share",
    "xr-spatial-tracking",
}


def test_the_policy_names_only_features_chromium_knows(settings):
    unknown = sorted(set(settings.PERMISSIONS_POLICY) - CHROMIUM_FEATURES)
    assert unknown == []
    assert set(OFF) <= set(settings.PERMISSIONS_POLICY)


def test_no_page_uses_the_browsers_location_so_it_stays_off():
    """If a map picker ever asks the browser for the position, geolocation=(self) is needed."""
    from django.conf import settings

    scripts = (settings.BASE_DIR / "static" / "js").glob("*.js")
    assert not [path.name for path in scripts if "geolocation" in path.read_text()]


# --- robots.txt -------------------------------------------------------------------------------


def test_robots_txt_lets_public_pages_be_found_and_keeps_private_ones_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ["/admin/", "/konto/", "/min-side/", "/i18n/"]:
        assert f"Disallow: {path}" in lines
    assert "Allow: /" in lines
    assert reverse("admin:index") == "/admin/" and reverse("users:profile") == "/min-side/"


# --- <meta name="description"> ----------------------------------------------------------------

META = re.compile(r'<meta name="description" content="([^"]*)">')


def _description(client, url) -> str:
    client.cookies["nmu_language"] = "nb"
    response = client.get(url)
    assert response.status_code == 200
    found = META.findall(response.content.decode())
    assert len(found) == 1, found
    return unescape(found[0])


def test_a_default_description_names_the_municipality(client):
    description = _description(client, reverse("account_signup"))  # a page without its own
    assert description.startswith("Nærmiljøutvalgene i Larvik")


def test_the_front_page_says_what_a_committee_is(client):
    description = _description(client, reverse("home"))
    assert description.startswith("Et nærmiljøutvalg er")


def test_a_committee_page_is_described_by_its_own_description(client, committee):
    committee.description = "Svarstad NMU arbeider for " + "trygge skoleveier og " * 20 + "mer."
    committee.save()
    description = _description(client, committee.get_absolute_url())
    assert description.startswith("Svarstad NMU arbeider for trygge skoleveier")
    assert len(description) <= 160


def test_a_committee_without_a_description_still_gets_its_name(client, committee):
    committee.description = ""
    committee.save()
    assert "Svarstad" in _description(client, committee.get_absolute_url())


def test_a_proposal_page_is_described_by_its_summary(client, committee):
    proposal = ProposalFactory(
        committee=committee, state=State.SUBMITTED, summary="Benker langs elva & en ny sti " * 10
    )
    description = _description(client, proposal.get_absolute_url())
    assert description.startswith("Benker langs elva & en ny sti")
    assert len(description) <= 160


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("committees:committee-list", "Alle deler av Larvik"),
        ("proposals:proposal-list", "Innbyggerne foreslår"),
    ],
)
def test_the_lists_have_their_own(client, name, start):
    assert _description(client, reverse(name)).startswith(start)


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("accessibility", "Hvor tilgjengelig nettstedet er"),
        ("privacy", "Hvilke personopplysninger portalen behandler"),
        ("account_login", "Logg inn for å følge nærmiljøutvalg"),
    ],
)
def test_the_statements_and_the_login_page_have_their_own(client, name, start):
    assert _description(client, reverse(name)).startswith(start)
