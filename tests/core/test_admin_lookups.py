"""``core.admin.SafeLookupsMixin``: crafted admin URLs and forms get the admin's own answers.

Both were 500s found by the fuzz (tests/fuzz): a ``date_hierarchy`` year past what a date can
hold, and an autocomplete field posted with a value that is not a key.
"""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/notifications/notification/",
        "/admin/proposals/proposalevent/",
        "/admin/committees/membership/",
    ],
)
@pytest.mark.parametrize("year", ["99999999999999999999", "9999"])
def test_a_year_past_the_calendar_is_a_bad_lookup(admin_client, url, year):
    field = "term_start" if "membership" in url else "created_at"
    response = admin_client.get(f"{url}?{field}__year={year}")
    assert (response.status_code, response["Location"]) == (302, f"{url}?e=1")


@pytest.mark.parametrize("value", ["abc", "nan", "99999999999999999999", "-1", "\x00"])
def test_an_autocomplete_value_that_is_not_a_key_gives_the_form_back(admin_client, value):
    response = admin_client.post(
        "/admin/committees/membership/add/",
        {"user": value, "committee": "", "role": "board_member", "term_start": "2026-01-01"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "user" in errors


def test_a_real_key_is_still_drawn_as_the_selected_choice(admin_client):
    person = UserFactory(full_name="Kari Valgt")
    response = admin_client.post("/admin/committees/membership/add/", {"user": str(person.pk)})
    assert response.status_code == 200
    assert "Kari Valgt" in response.content.decode()
