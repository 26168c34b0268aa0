"""Every route that takes a proposal reference answers 404 to anything that is not one.

A NUL byte used to reach PostgreSQL (which refuses it in a query) and gave 500 on all seven
routes; the URL's reference converter (``proposals/converters.py``) now refuses it, as it refuses
any text that is not a reference, before a view runs.
"""

import pytest
from django.test import Client
from django.urls import resolve, reverse

from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

# (URL name, method): the seven routes with a reference in their path.
REFERENCE_ROUTES = [
    ("proposals:proposal-detail", "get"),
    ("proposals:proposal-support", "post"),
    ("proposals:proposal-unsupport", "post"),
    ("proposals:proposal-follow", "post"),
    ("proposals:proposal-unfollow", "post"),
    ("proposals:proposal-transition", "get"),
    ("proposals:message-create", "post"),
]
SUFFIX = {
    "proposals:proposal-detail": "",
    "proposals:proposal-support": "stott/",
    "proposals:proposal-unsupport": "trekk-stotte/",
    "proposals:proposal-follow": "folg/",
    "proposals:proposal-unfollow": "slutt-a-folge/",
    "proposals:proposal-transition": "status/",
    "proposals:message-create": "meldinger/",
}
NOT_REFERENCES = [
    "%00",
    "NMU-2026-0001%00",
    "x" * 10_000,
    "%C3%A6%C3%B8%C3%A5",
    "..%2F",
    "NMU-2026-",
    "NMU-26-0001",
    "NMU-2026-00000000000000001",  # the right shape, but longer than a reference can be
]


def test_the_seven_routes_are_all_the_routes_with_a_reference():
    from tests.fuzz.harness import all_routes

    with_reference = {
        route.name
        for route in all_routes()
        if "reference" in route.params and route.name.startswith("proposals:")
    }
    assert with_reference == {name for name, _ in REFERENCE_ROUTES}


@pytest.mark.parametrize("text", NOT_REFERENCES)
def test_a_higher_apps_route_with_a_reference_matches_it_exactly(case_handler, text):
    """The agreements' "Lag avtaleutkast" takes a proposal's reference with the same converter:
    anything else is a 404 before its view."""
    client = Client(raise_request_exception=False)
    client.force_login(case_handler)
    assert client.post(f"/avtaler/fra-forslag/{text}/").status_code == 404


@pytest.mark.parametrize("text", NOT_REFERENCES)
@pytest.mark.parametrize(("name", "method"), REFERENCE_ROUTES)
def test_not_a_reference_is_404(resident, name, method, text):
    client = Client(raise_request_exception=False)
    client.force_login(resident)
    response = getattr(client, method)(f"/forslag/{text}/{SUFFIX[name]}")
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method"), REFERENCE_ROUTES)
def test_a_real_reference_still_resolves(name, method):
    path = reverse(name, kwargs={"reference": "NMU-2026-0042"})
    assert path == f"/forslag/NMU-2026-0042/{SUFFIX[name]}"
    match = resolve(path)
    assert (match.view_name, match.kwargs) == (name, {"reference": "NMU-2026-0042"})


def test_a_reference_with_a_five_digit_number_resolves(client):
    """The counter passes 9999 in a busy year: NMU-2026-10000 is still a reference, and a
    submitted proposal's page opens for anyone."""
    proposal = ProposalFactory(reference="NMU-2026-10000")
    assert client.get(f"/forslag/{proposal.reference}/").status_code == 200
