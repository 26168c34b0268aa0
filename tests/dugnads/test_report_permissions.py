"""Who may open and send the report page: the dugnad's organisers and the committee's leader,
once the dugnad has been held. Anyone else: the login (anonymous), 403, or 404 for a dugnad
they may not see or one that is not held yet."""

import pytest

from dugnads.models import State

from .report_helpers import (  # noqa: F401 (fixtures)
    MANAGERS,
    ROLES,
    form_data,
    held_dugnad,
    held_fixture,
    login,
    report_url,
    reporter_fixture,
    site_language_after_fixture,
)

pytestmark = pytest.mark.django_db


def expected(role: str, ok: int = 200) -> int:
    if role == "anonymous":
        return 302
    return ok if role in MANAGERS else 403


@pytest.mark.parametrize("role", ROLES)
def test_the_page(client, user_in_role, held, role):
    login(client, user_in_role(role))
    response = client.get(report_url(held))
    assert response.status_code == expected(role)
    if role == "anonymous":
        assert "/konto/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_sending_it(client, user_in_role, held, role):
    login(client, user_in_role(role))
    response = client.post(report_url(held), form_data())
    assert response.status_code == expected(role, ok=302)
    held.refresh_from_db()
    assert (held.state == State.REPORTED) == (role in MANAGERS)
    assert (held.hours_total is not None) == (role in MANAGERS)


@pytest.mark.parametrize("role", ["reporter", "leader"])
def test_a_correction_once_reported(client, user_in_role, committee, reporter, role):
    dugnad = held_dugnad(committee, state=State.REPORTED, hours_total=10, participant_count=3)
    dugnad.organisers.add(reporter)
    login(client, user_in_role(role))
    assert client.get(report_url(dugnad)).status_code == 200


@pytest.mark.parametrize("state", [State.DRAFT, State.PUBLISHED, State.CANCELLED])
def test_not_before_it_is_held(client, committee, leader, reporter, state):
    dugnad = held_dugnad(committee, state=state)
    dugnad.organisers.add(reporter)
    for user in (leader, reporter):
        client.force_login(user)
        assert client.get(report_url(dugnad)).status_code == 404
        assert client.post(report_url(dugnad), form_data()).status_code == 404
    dugnad.refresh_from_db()
    assert dugnad.state == state and dugnad.hours_total is None


@pytest.mark.parametrize("role", ["resident", "other_committee_leader", "case_handler"])
def test_a_draft_is_not_found_for_those_who_cannot_see_it(client, user_in_role, committee, role):
    dugnad = held_dugnad(committee, state=State.DRAFT)
    client.force_login(user_in_role(role))
    assert client.get(report_url(dugnad)).status_code == 404


def test_an_organiser_who_left_the_board_may_not(client, held, reporter):
    from django.utils import timezone

    reporter.committee_memberships.update(term_end=timezone.localdate())
    client.force_login(reporter)
    assert client.get(report_url(held)).status_code == 403


def test_no_such_dugnad(client, leader):
    client.force_login(leader)
    assert client.get("/dugnad/999999/rapport/").status_code == 404
