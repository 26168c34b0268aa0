"""/avtaler/ and /avtaler/<number>/: public by default, drafts only for the two parties."""

import pytest
from django.urls import reverse

from agreements.models import AgreementEvent
from agreements.terms import terms_hash
from tests.factories import AgreementFactory, PaymentFactory, ReportDutyFactory, TaskFactory

from .public_helpers import PARTIES, PHONE, ROLES, login, many_lines, queries, sign

pytestmark = pytest.mark.django_db

LIST_URL = reverse("agreements:agreement-list")


def row_numbers(body: str) -> set[str]:
    """The agreements among the list's public rows (not the workspace block)."""
    marker = 'class="proposal-list__item agreement-row" data-number="'
    return {part.split('"', 1)[0] for part in body.split(marker)[1:]}


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_signed_agreements_and_never_a_draft_among_them(
    client, user_in_role, role, draft, active
):
    sent = AgreementFactory(committee=draft.committee, department=draft.department, state="sent")
    login(client, user_in_role(role))
    body = client.get(LIST_URL).content.decode()
    assert row_numbers(body) == {active.number}
    assert draft.number not in row_numbers(body) and sent.number not in row_numbers(body)


@pytest.mark.parametrize("role", ROLES)
def test_a_drafts_page_is_for_the_two_parties_only(client, user_in_role, role, draft):
    login(client, user_in_role(role))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == (200 if role in PARTIES else 404)


@pytest.mark.parametrize("role", ROLES)
def test_a_signed_agreements_page_is_for_everyone(client, user_in_role, role, active):
    login(client, user_in_role(role))
    response = client.get(active.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert active.number in body and active.committee.name in body
    assert active.department.name in body
    assert "Heise og ta ned flagget" in body and "Flaggstanga ved torget" in body


def test_an_unknown_or_impossible_number_is_404(client):
    assert client.get(reverse("agreements:agreement-detail", args=["AVT-1999-001"])).status_code
    assert client.get("/avtaler/AVT-1999-001/").status_code == 404
    # What cannot be a number is a 404 from the URL resolver (the converter) before any view.
    for number in ["%00", "x" * 300, "AVT%00", "AVT-2026-0000000000000000001", "..%2F"]:
        for suffix in ["", "utskrift/", "avtale.pdf", "signer/", "forny/", "rapport/1/"]:
            assert client.get(f"/avtaler/{number}/{suffix}").status_code == 404, number


def test_the_page_shows_terms_period_and_links(client, active, leader):
    body = client.get(active.get_absolute_url()).content.decode()
    assert reverse("agreements:agreement-print", args=[active.number]) in body
    assert reverse("agreements:agreement-pdf", args=[active.number]) in body
    assert 'id="terms-period"' in body
    # The public has no step to take.
    assert "terminate-link" not in body and "sign-link" not in body


def test_the_leader_is_offered_signing_when_sent_and_terminating_when_active(
    client, leader, board_member, committee, department
):
    sent = AgreementFactory(committee=committee, department=department, state="sent")
    active = AgreementFactory(committee=committee, department=department, state="active")
    login(client, leader)
    sent_body = client.get(sent.get_absolute_url()).content.decode()
    assert reverse("agreements:agreement-sign", args=[sent.number]) in sent_body
    active_body = client.get(active.get_absolute_url()).content.decode()
    assert reverse("agreements:agreement-sign", args=[active.number]) not in active_body
    assert reverse("agreements:agreement-transition", args=[active.number, "terminated"]) in (
        active_body
    )
    # A board member who is not the leader neither signs nor terminates.
    client.force_login(board_member)
    body = client.get(sent.get_absolute_url()).content.decode()
    assert "sign-link" not in body
    assert "terminate-link" not in client.get(active.get_absolute_url()).content.decode()


def test_the_timeline_names_people_by_name_never_their_address_or_phone(client, active, leader):
    sign(active, signer=leader)
    AgreementEvent.objects.create(
        agreement=active, kind="signed", actor=leader, actor_party="committee"
    )
    body = client.get(active.get_absolute_url()).content.decode()
    assert 'data-kind="signed"' in body and "Sverre Leder" in body
    assert leader.email not in body and PHONE not in body


def test_the_page_is_a_fixed_number_of_queries_for_10_and_1000_lines(client, active, leader):
    many_lines(active, 10, actor=leader)
    small, _ = queries(client, active.get_absolute_url())
    many_lines(active, 990, actor=leader)
    large, response = queries(client, active.get_absolute_url())
    assert small == large
    assert response.content.decode().count('data-kind="terms_changed"') == 1000


def test_the_page_passes_the_current_terms_hash(client, active):
    PaymentFactory(agreement=active)
    ReportDutyFactory(agreement=active)
    TaskFactory(agreement=active, kind="leaf_blowing")
    response = client.get(active.get_absolute_url())
    assert response.context["current_hash"] == terms_hash(active)
    assert response.context["show_personal"] is False


@pytest.mark.parametrize("role", ROLES)
def test_only_the_parties_are_given_the_personal_fields(client, user_in_role, role, active):
    login(client, user_in_role(role))
    response = client.get(active.get_absolute_url())
    assert response.context["show_personal"] is (role in PARTIES)


@pytest.mark.parametrize("role", ROLES)
def test_the_lists_workspace_block_is_for_the_committees_board(client, user_in_role, role, draft):
    login(client, user_in_role(role))
    body = client.get(LIST_URL).content.decode()
    on_board = role in {"board_member", "leader"}
    assert ('id="my-agreements"' in body) is on_board
    assert (f'data-number="{draft.number}"' in body) is on_board
