"""The parties' step page (``agreements:agreement-transition``): who may open it for which
step, a termination's required reason, sending a draft for signing and taking it back, and
crafted input answered with the form or a 404, never a 500.

Anonymous visitors go to the login page; someone who may not see the agreement (an unsigned
one is the two parties') gets 404; someone who may see it but not act for a party (a board
member who is not the leader, the public on a signed one) gets 403."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementEvent, State
from agreements.services.lifecycle import termination_day
from core.formatting import local_date
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "other_committee_leader",
    "board_member",
    "leader",
    "case_handler",
]


def step_url(agreement, to_state) -> str:
    return reverse(
        "agreements:agreement-transition",
        kwargs={"number": agreement.number, "to_state": to_state},
    )


def login(client, user):
    client.cookies["nmu_language"] = "en"
    if user.is_authenticated:
        client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
def test_sending_a_draft_is_the_leaders_and_staffs(client, draft, user_in_role, role):
    login(client, user_in_role(role))
    response = client.get(step_url(draft, State.SENT))
    expected = {
        "anonymous": 302,
        "resident": 404,  # a draft is the parties'
        "other_committee_leader": 404,
        "board_member": 403,  # a party, but only the leader acts for the committee
        "leader": 200,
        "case_handler": 200,
    }[role]
    assert response.status_code == expected
    if role == "anonymous":
        assert "/login/" in response["Location"]
    response = client.post(step_url(draft, State.SENT))
    assert response.status_code == (302 if expected == 200 else expected)
    draft.refresh_from_db()
    assert (draft.state == State.SENT) is (expected == 200)


@pytest.mark.parametrize("role", ROLES)
def test_terminating_is_the_leaders_and_staffs(client, active, user_in_role, role):
    login(client, user_in_role(role))
    response = client.get(step_url(active, State.TERMINATED))
    expected = {
        "anonymous": 302,
        "resident": 403,  # a signed agreement is public, its steps are the parties'
        "other_committee_leader": 403,
        "board_member": 403,
        "leader": 200,
        "case_handler": 200,
    }[role]
    assert response.status_code == expected
    response = client.post(step_url(active, State.TERMINATED), {"message": "Vi har ikke folk."})
    active.refresh_from_db()
    assert (active.state == State.TERMINATED) is (expected == 200)


@pytest.mark.parametrize("role", ["leader", "case_handler"])
def test_a_termination_with_its_reason_ends_the_agreement_after_notice(
    client, active, user_in_role, role
):
    login(client, user_in_role(role))
    page = client.get(step_url(active, State.TERMINATED))
    last_day = termination_day(active, today=timezone.localdate())
    assert page.context["danger"] and page.context["label"]
    assert local_date(last_day) in page.context["explanation"]

    response = client.post(step_url(active, State.TERMINATED), {"message": " Vi har ikke folk. "})
    assert response.status_code == 302 and response.url == active.get_absolute_url()
    active.refresh_from_db()
    assert active.state == State.TERMINATED and active.terminated_on == last_day
    event = AgreementEvent.objects.filter(agreement=active).latest("pk")
    assert event.to_state == State.TERMINATED and event.message == "Vi har ikke folk."


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_termination_without_a_reason_gives_the_form_back(client, active, leader, reason):
    login(client, leader)
    response = client.post(step_url(active, State.TERMINATED), {"message": reason})
    assert response.status_code == 400
    assert response.context["form"].errors["message"]
    active.refresh_from_db()
    assert active.state == State.ACTIVE


def test_a_nul_byte_is_a_form_error(client, active, leader):
    login(client, leader)
    response = client.post(step_url(active, State.TERMINATED), {"message": "Slutt\x00nå"})
    assert response.status_code == 400 and response.context["form"].errors["message"]
    active.refresh_from_db()
    assert active.state == State.ACTIVE


def test_a_too_long_reason_is_a_form_error(client, active, leader):
    login(client, leader)
    response = client.post(step_url(active, State.TERMINATED), {"message": "x" * 2_001})
    assert response.status_code == 400 and response.context["form"].errors["message"]


def test_the_leader_sends_the_draft_and_takes_it_back(client, draft, leader):
    login(client, leader)
    page = client.get(step_url(draft, State.SENT))
    assert "message" not in page.context["form"].fields  # a step without words
    client.post(step_url(draft, State.SENT))
    draft.refresh_from_db()
    assert draft.state == State.SENT
    client.post(step_url(draft, State.DRAFT))
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_a_draft_without_tasks_is_not_sent_and_the_page_says_why(
    client, committee, department, leader
):
    empty = AgreementFactory(committee=committee, department=department, state="draft")
    login(client, leader)
    response = client.post(step_url(empty, State.SENT))
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    empty.refresh_from_db()
    assert empty.state == State.DRAFT


@pytest.mark.parametrize(
    "to_state",
    [State.TERMINATED, State.ACTIVE, State.SIGNED_COMMITTEE, State.DRAFT],
    ids=str,
)
def test_a_step_the_table_does_not_give_goes_back_to_the_agreement(client, draft, leader, to_state):
    login(client, leader)
    response = client.post(step_url(draft, to_state), {"message": "x"})
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_the_signatures_are_never_a_step_page(client, committee, department, leader, case_handler):
    sent = AgreementFactory(committee=committee, department=department, state="sent")
    for user in (leader, case_handler):
        login(client, user)
        response = client.post(step_url(sent, State.SIGNED_COMMITTEE))
        assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.state == State.SENT


def test_an_unknown_state_or_crafted_number_is_a_404(client, draft, leader):
    login(client, leader)
    assert client.get(step_url(draft, "nonsense")).status_code == 404
    for number in ["AVT-2000-001", "x" * 40, "AVT\x00-2026-001"]:
        url = step_url(draft, State.SENT).replace(draft.number, number)
        assert client.get(url).status_code == 404
