"""An empty POST to the committee edit form gives errors, never a wiped page (issue 10).

A browser always sends the CSRF token, so an "empty" post from a tampered or broken form is not
an empty QueryDict: it must still be read as a submitted form, and the description, which is what
residents see first on the committee page, is required.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committees import rules, services
from committees.models import Committee

pytestmark = pytest.mark.django_db

REQUIRED_NB = "Skriv noen ord om utvalget"


def _url(committee):
    return reverse("committees:committee-edit", kwargs={"slug": committee.slug})


def _snapshot(committee):
    fresh = Committee.objects.get(pk=committee.pk)
    return (fresh.description, fresh.area_description, fresh.contact_email, fresh.support_goal)


@pytest.fixture
def filled(committee):
    committee.description = "Vi jobber for Svarstad."
    committee.area_description = "Svarstad sentrum"
    committee.support_goal = 50
    committee.save()
    return committee


@pytest.mark.parametrize(
    "data",
    [{}, {"csrfmiddlewaretoken": "x"}, {"description": "", "area_description": ""}],
    ids=["nothing", "only-the-token", "blank-fields"],
)
def test_empty_post_gives_errors_and_changes_nothing(client, filled, leader, data):
    before = _snapshot(filled)
    client.force_login(leader)
    response = client.post(_url(filled), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert REQUIRED_NB in page
    assert 'aria-invalid="true"' in page
    assert _snapshot(filled) == before


def test_whitespace_only_description_is_refused(client, filled, leader):
    before = _snapshot(filled)
    client.force_login(leader)
    response = client.post(_url(filled), {"description": "   \n  "})
    assert response.status_code == 200
    assert REQUIRED_NB in response.content.decode()
    assert _snapshot(filled) == before


def test_a_full_post_still_saves(client, filled, leader):
    client.force_login(leader)
    response = client.post(
        _url(filled),
        {
            "description": "Ny tekst",
            "area_description": "",
            "contact_email": "",
            "support_goal": "",
        },
    )
    assert response.status_code == 302
    assert _snapshot(filled) == ("Ny tekst", "", "", None)


def test_the_service_refuses_a_blank_description_with_its_code(filled, leader):
    before = _snapshot(filled)
    with pytest.raises(ValidationError) as refused:
        services.committee_update_details(
            committee=filled, actor=leader, description=" ", area_description="", contact_email=""
        )
    assert [e.code for e in refused.value.error_dict["description"]] == [rules.DESCRIPTION_REQUIRED]
    assert _snapshot(filled) == before


def test_anonymous_and_outsider_empty_post(client, filled, resident):
    before = _snapshot(filled)
    assert client.post(_url(filled), {}).status_code == 302
    client.force_login(resident)
    assert client.post(_url(filled), {}).status_code == 403
    assert _snapshot(filled) == before
