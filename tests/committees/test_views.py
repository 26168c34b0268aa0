"""Every committee view × anonymous, outsider and allowed user (adhocracy4-style role matrix)."""

import datetime

import pytest
from django.urls import reverse

from committees.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, committee, **kwargs):
    return reverse(f"committees:{name}", kwargs={"slug": committee.slug, **kwargs})


# --- Public pages ---------------------------------------------------------------------------------


def test_list_shows_committees_nested_with_status(client, committee):
    from tests.factories import CommitteeFactory

    CommitteeFactory(name="Nanset", slug="nanset", parent=committee)
    response = client.get(reverse("committees:committee-list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Svarstad" in body and "Nanset" in body
    assert body.index("Svarstad") < body.index("Nanset")
    assert "Aktiv" in body  # Norwegian by default


def test_detail_shows_board_roles_groups_and_contact(client, committee, leader, board_member):
    response = client.get(committee.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sverre Leder" in body and "Leder" in body
    assert "Bjørn Styre" in body
    assert committee.contact_email in body
    assert "ikke representert" in body  # coverage of the five groups


def test_detail_404_for_unknown_slug(client, db):
    response = client.get("/nmu/finnes-ikke/")
    assert response.status_code == 404
    assert "Vi finner ikke siden" in response.content.decode()


def test_follow_button_only_for_logged_in(client, committee, resident):
    body = client.get(committee.get_absolute_url()).content.decode()
    assert "Logg inn for å følge" in body
    client.force_login(resident)
    body = client.get(committee.get_absolute_url()).content.decode()
    assert url("committee-follow", committee) in body


# --- Follow / unfollow ----------------------------------------------------------------------------


def test_anonymous_follow_redirects_to_login(client, committee):
    response = client.post(url("committee-follow", committee))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Membership.objects.exists()


def test_follow_and_unfollow(client, committee, resident):
    client.force_login(resident)
    response = client.post(url("committee-follow", committee))
    assert response.status_code == 302
    assert Membership.objects.current().filter(user=resident, role=Role.MEMBER).exists()
    client.post(url("committee-unfollow", committee))
    assert not Membership.objects.current().filter(user=resident).exists()


def test_follow_with_htmx_returns_the_partial(client, committee, resident):
    client.force_login(resident)
    response = client.post(url("committee-follow", committee), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body  # only the inside of the #follow live region
    assert 'data-hx-swap="innerHTML"' in body
    assert url("committee-unfollow", committee) in body


def test_follow_refuses_get(client, committee, resident):
    client.force_login(resident)
    assert client.get(url("committee-follow", committee)).status_code == 405


# --- Leader-only pages ----------------------------------------------------------------------------

LEADER_PAGES = ["committee-edit", "membership-add"]


@pytest.mark.parametrize("name", LEADER_PAGES)
def test_leader_pages_anonymous_redirects_to_login(client, committee, name):
    response = client.get(url(name, committee))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", LEADER_PAGES)
@pytest.mark.parametrize(
    "outsider", ["resident", "board_member", "other_committee_leader", "case_handler", "superuser"]
)
def test_leader_pages_forbidden_for_everyone_else(client, committee, name, outsider, request):
    client.force_login(request.getfixturevalue(outsider))
    response = client.get(url(name, committee))
    assert response.status_code == 403
    assert "Du har ikke tilgang" in response.content.decode()


@pytest.mark.parametrize("name", LEADER_PAGES)
def test_leader_pages_open_for_leader(client, committee, leader, name):
    client.force_login(leader)
    assert client.get(url(name, committee)).status_code == 200


def test_former_leader_is_forbidden(client, committee):
    former = MembershipFactory(
        committee=committee,
        role=Role.LEADER,
        term_start=datetime.date(2020, 1, 1),
        term_end=datetime.date(2021, 1, 1),
    ).user
    client.force_login(former)
    assert client.get(url("committee-edit", committee)).status_code == 403


def test_outsider_post_changes_nothing(client, committee, other_committee_leader):
    client.force_login(other_committee_leader)
    response = client.post(
        url("committee-edit", committee),
        {"description": "Hacked", "area_description": "", "contact_email": "x@example.no"},
    )
    assert response.status_code == 403
    committee.refresh_from_db()
    assert committee.description != "Hacked"


def test_leader_edits_description(client, committee, leader):
    client.force_login(leader)
    response = client.post(
        url("committee-edit", committee),
        {
            "description": "Ny tekst",
            "area_description": "Området",
            "contact_email": "ny@example.no",
        },
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert (committee.description, committee.contact_email) == ("Ny tekst", "ny@example.no")


def test_edit_with_bad_email_gives_form_back_in_norwegian(client, committee, leader):
    client.force_login(leader)
    response = client.post(
        url("committee-edit", committee),
        {"description": "Ny", "area_description": "", "contact_email": "ikke-epost"},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("contact_email", code="invalid")
    assert "Oppgi en gyldig e-postadresse" in response.content.decode()  # in Norwegian
    committee.refresh_from_db()
    assert committee.description != "Ny"


def test_edit_enforces_description_length(client, committee, leader):
    client.force_login(leader)
    response = client.post(
        url("committee-edit", committee),
        {"description": "x" * 5001, "area_description": "", "contact_email": ""},
    )
    assert response.status_code == 200
    committee.refresh_from_db()
    assert committee.description != "x" * 5001
    assert response.context["form"].has_error("description", code="max_length")


def _board_form(**overrides):
    data = {
        "email": "new@example.no",
        "role": Role.TREASURER,
        "represents": "elderly",
        "term_start": "2026-01-01",
        "term_end": "2028-01-01",
    }
    data.update(overrides)
    return data


def test_leader_adding_a_board_member_invites_them(client, committee, leader):
    """Nobody is on a board before they accept (test_board_invitation_accept.py)."""
    from committees.models import BoardInvitation

    new = UserFactory(email="new@example.no")
    client.force_login(leader)
    response = client.post(url("membership-add", committee), _board_form())
    assert response.status_code == 302
    assert not Membership.objects.filter(committee=committee, user=new).exists()
    assert BoardInvitation.objects.get().role == Role.TREASURER


def test_add_unknown_email_invites_instead_of_saying_so(client, committee, leader):
    """The form no longer tells the leader that nobody has the address (issue 10); see
    test_board_add_privacy.py for the identical answers."""
    from committees.models import BoardInvitation

    client.force_login(leader)
    response = client.post(url("membership-add", committee), _board_form(email="ukjent@example.no"))
    assert response.status_code == 302
    assert (
        "Ingen bruker har denne e-postadressen"
        not in client.get(response["Location"]).content.decode()
    )
    assert BoardInvitation.objects.filter(email="ukjent@example.no").exists()


def test_add_with_end_before_start_is_refused(client, committee, leader):
    UserFactory(email="new@example.no")
    client.force_login(leader)
    response = client.post(url("membership-add", committee), _board_form(term_end="2025-01-01"))
    assert response.status_code == 200
    assert "Perioden kan ikke slutte før den begynner" in response.content.decode()
    assert not Membership.objects.filter(user__email="new@example.no").exists()


def test_board_member_edit_and_end_permissions(client, committee, leader, board_member, resident):
    membership = Membership.objects.get(user=board_member)
    edit = url("membership-edit", committee, pk=membership.pk)
    end = url("membership-end", committee, pk=membership.pk)
    assert client.get(edit).status_code == 302
    client.force_login(resident)
    assert client.get(edit).status_code == 403
    assert client.post(end).status_code == 403
    client.force_login(leader)
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "role": Role.DEPUTY_LEADER,
            "represents": "youth",
            "term_start": "2024-01-01",
            "term_end": "",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.DEPUTY_LEADER
    assert client.get(end).status_code == 200
    assert client.post(end).status_code == 302
    membership.refresh_from_db()
    assert not membership.is_current()


def test_membership_of_other_committee_is_404(client, committee, leader, other_committee):
    foreign = MembershipFactory(committee=other_committee)
    client.force_login(leader)
    assert client.get(url("membership-edit", committee, pk=foreign.pk)).status_code == 404


def test_leader_cannot_end_own_leadership(client, committee, leader):
    own = Membership.objects.get(user=leader)
    client.force_login(leader)
    response = client.post(url("membership-end", committee, pk=own.pk))
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.is_current()


# --- Query counts (the same with 10 and with 1,000 rows) ----------------------------------------


def _count_queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _committees_with_children(count):
    from tests.factories import CommitteeFactory

    parents = CommitteeFactory.create_batch(count // 2)
    CommitteeFactory.create_batch(count - count // 2, parent=parents[0])
    return parents


@pytest.mark.parametrize("logged_in", [False, True])
def test_list_query_count_does_not_grow(client, resident, logged_in):
    if logged_in:
        client.force_login(resident)
    path = reverse("committees:committee-list")
    parents = _committees_with_children(10)
    MembershipFactory(committee=parents[0], role=Role.MEMBER)
    small = _count_queries(client, path)
    parents = _committees_with_children(990)
    MembershipFactory.create_batch(20, committee=parents[1], role=Role.MEMBER)
    assert _count_queries(client, path) == small


def test_front_page_query_count_does_not_grow(client):
    _committees_with_children(10)
    small = _count_queries(client, "/")
    _committees_with_children(990)
    assert _count_queries(client, "/") == small


def _invite(committee, count, start=0):
    from committees.models import BoardInvitation

    BoardInvitation.objects.bulk_create(
        BoardInvitation(committee=committee, email=f"invitert{n}@example.no", role=Role.SECRETARY)
        for n in range(start, start + count)
    )


def test_detail_query_count_does_not_grow(client, committee, leader):
    """The leader's page, with the board, the sub-committees and the invitations waiting."""
    from tests.factories import CommitteeFactory

    client.force_login(leader)
    MembershipFactory.create_batch(5, committee=committee)
    MembershipFactory.create_batch(5, committee=committee, role=Role.MEMBER)
    CommitteeFactory.create_batch(2, parent=committee)
    _invite(committee, 10)
    small = _count_queries(client, committee.get_absolute_url())
    MembershipFactory.create_batch(700, committee=committee)
    MembershipFactory.create_batch(300, committee=committee, role=Role.MEMBER)
    CommitteeFactory.create_batch(50, parent=committee)
    _invite(committee, 990, start=10)
    assert _count_queries(client, committee.get_absolute_url()) == small
    assert "invitert999@example.no" in client.get(committee.get_absolute_url()).content.decode()


def test_my_committees_lists_follows_and_roles(client, committee, leader, resident):
    url = reverse("committees:membership-list")
    assert client.get(url).status_code == 302
    client.force_login(resident)
    assert "Du følger ingen utvalg ennå" in client.get(url).content.decode()
    client.post(reverse("committees:committee-follow", kwargs={"slug": committee.slug}))
    assert "Du følger dette utvalget" in client.get(url).content.decode()
    client.force_login(leader)
    body = client.get(url).content.decode()
    assert "Din rolle: Leder" in body
    assert reverse("committees:committee-edit", kwargs={"slug": committee.slug}) in body


def test_leader_sees_no_end_link_for_own_membership(client, committee, leader, board_member):
    client.force_login(leader)
    body = client.get(committee.get_absolute_url()).content.decode()
    own = Membership.objects.get(user=leader)
    other = Membership.objects.get(user=board_member)
    assert url("membership-end", committee, pk=own.pk) not in body
    assert url("membership-end", committee, pk=other.pk) in body


def test_board_form_defaults_to_board_member(client, committee, leader):
    client.force_login(leader)
    body = client.get(url("membership-add", committee)).content.decode()
    assert '<option value="board_member" selected>' in body


def test_form_errors_have_a_summary_linking_to_fields(client, committee, leader):
    client.force_login(leader)
    body = client.post(url("membership-add", committee), _board_form(email="ikke-en-adresse"))
    body = body.content.decode()
    assert 'class="ds-error-summary' in body
    assert 'href="#id_email"' in body
    assert body.count('id="id_email_error"') == 1


def test_leader_cannot_make_a_resident_municipal_contact(client, committee, leader, resident):
    client.force_login(leader)
    response = client.post(
        url("membership-add", committee),
        _board_form(email=resident.email, role=Role.MUNICIPAL_CONTACT),
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["role"][0].code == "invalid_choice"
    assert not Membership.objects.filter(user=resident).exists()


def test_membership_list_query_count_does_not_grow(client, resident):
    from tests.factories import CommitteeFactory

    client.force_login(resident)
    path = reverse("committees:membership-list")
    for parent in CommitteeFactory.create_batch(10):
        MembershipFactory(committee=CommitteeFactory(parent=parent), user=resident)
    small = _count_queries(client, path)
    for parent in CommitteeFactory.create_batch(300):
        MembershipFactory(committee=CommitteeFactory(parent=parent), user=resident)
    assert _count_queries(client, path) == small
