"""/dugnad/<pk>/: one dugnad's page — who sees it, what is needed and still missing, the
municipality's resources with their state, the managers' links, and nobody's address."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dugnads import services
from dugnads.models import Signup, State
from tests.factories import (
    DugnadFactory,
    NeedFactory,
    ProposalFactory,
    ResourceFactory,
    SignupFactory,
    UserFactory,
)

from .public_helpers import (  # noqa: F401 (default_language_after: an autouse fixture)
    ROLES,
    days,
    default_language_after,
    english,
    hrefs,
    login,
    queries,
)

pytestmark = pytest.mark.django_db

BOARD = {"organiser", "board_member", "leader"}
MANAGERS = {"organiser", "leader"}


@pytest.fixture
def organiser(committee):
    """A board member who organises the dugnads in these tests (not the leader)."""
    from committees.models import Role
    from tests.factories import MembershipFactory

    return MembershipFactory(
        committee=committee,
        role=Role.BOARD_MEMBER,
        user__email="organiser@example.no",
        user__full_name="Olga Organisator",
    ).user


def _dugnad(committee, organiser, **fields):
    dugnad = DugnadFactory(committee=committee, **fields)
    dugnad.organisers.add(organiser)
    return dugnad


def _url(dugnad):
    return reverse("dugnads:dugnad-detail", args=[dugnad.pk])


def _step_url(dugnad, state):
    return reverse("dugnads:dugnad-transition", args=[dugnad.pk, state])


# --- who sees it ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_published_dugnad_is_for_everyone(client, user_in_role, committee, organiser, role):
    dugnad = _dugnad(committee, organiser, title="Dugnad på Torget")
    response = login(client, user_in_role(role)).get(_url(dugnad))
    assert response.status_code == 200
    assert "Dugnad på Torget" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_the_boards_and_a_404_for_everyone_else(
    client, user_in_role, committee, organiser, role
):
    draft = _dugnad(committee, organiser, state=State.DRAFT, published_at=None)
    response = login(client, user_in_role(role)).get(_url(draft))
    assert response.status_code == (200 if role in BOARD else 404)
    if role in BOARD:
        assert 'id="draft-notice"' in response.content.decode()


@pytest.mark.parametrize("pk", [0, 424242, 99999999999999999999])
def test_a_dugnad_that_does_not_exist_is_a_404(client, pk):
    assert client.get(f"/dugnad/{pk}/").status_code == 404


def test_only_get_and_head(client, committee, organiser):
    dugnad = _dugnad(committee, organiser)
    assert client.post(_url(dugnad)).status_code == 405
    assert client.head(_url(dugnad)).status_code == 200


# --- the managers' links --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisers_and_the_leader_get_the_managers_links(
    client, user_in_role, committee, organiser, role
):
    dugnad = _dugnad(committee, organiser)
    body = login(client, user_in_role(role)).get(_url(dugnad)).content.decode()
    links = hrefs(body)
    managed = {
        reverse("dugnads:dugnad-edit", args=[dugnad.pk]),
        reverse("dugnads:participant-list", args=[dugnad.pk]),
        _step_url(dugnad, State.CANCELLED),
    }
    if role in MANAGERS:
        assert managed <= links
        # Not held yet: "mark as held" waits for the end; the report has its own page.
        assert _step_url(dugnad, State.COMPLETED) not in links
        assert reverse("dugnads:dugnad-report", args=[dugnad.pk]) not in links
    else:
        assert not managed & links
        assert 'class="button-row dugnad-actions"' not in body


def test_a_draft_offers_publish_first_and_cancel_as_a_danger(client, committee, organiser):
    draft = _dugnad(committee, organiser, state=State.DRAFT, published_at=None)
    body = english(login(client, organiser)).get(_url(draft)).content.decode()
    publish = f'<a class="ds-button" data-variant="primary" href="{_step_url(draft, "published")}">'
    assert publish in body and "Publish the dugnad</a>" in body
    cancel = (
        '<a class="ds-button" data-variant="secondary" data-color="danger" '
        f'href="{_step_url(draft, "cancelled")}">Cancel the dugnad</a>'
    )
    assert cancel in body and body.index(publish) < body.index(cancel)


def test_an_ended_dugnad_offers_mark_as_held(client, committee, organiser):
    dugnad = _dugnad(committee, organiser, starts_at=days(-1), ends_at=days(-1, 15))
    body = english(login(client, organiser)).get(_url(dugnad)).content.decode()
    assert _step_url(dugnad, State.COMPLETED) in hrefs(body) and "Mark as held" in body


@pytest.mark.parametrize("state", [State.COMPLETED, State.REPORTED])
def test_a_held_dugnad_offers_the_report_not_edit(client, committee, organiser, state):
    dugnad = _dugnad(committee, organiser, state=state, starts_at=days(-3), ends_at=days(-3, 14))
    links = hrefs(login(client, organiser).get(_url(dugnad)).content.decode())
    assert reverse("dugnads:dugnad-report", args=[dugnad.pk]) in links
    assert reverse("dugnads:dugnad-edit", args=[dugnad.pk]) not in links
    assert _step_url(dugnad, State.REPORTED) not in links  # the report page takes that step


def test_an_organiser_who_has_left_the_board_manages_no_more(client, committee, organiser):
    from committees.models import Membership

    dugnad = _dugnad(committee, organiser)
    Membership.objects.filter(user=organiser).update(term_end=datetime.date(2024, 6, 1))
    links = hrefs(login(client, organiser).get(_url(dugnad)).content.decode())
    assert reverse("dugnads:dugnad-edit", args=[dugnad.pk]) not in links


# --- what the page says ---------------------------------------------------------------------------


def test_the_page_has_when_where_committee_organisers_and_the_proposal(
    client, committee, organiser, leader
):
    proposal = ProposalFactory(committee=committee, title="Felles rydding", kind="dugnad")
    starts = datetime.datetime(2099, 1, 9, 9, 0, tzinfo=datetime.UTC)  # 10:00 in Oslo (winter)
    dugnad = _dugnad(
        committee,
        organiser,
        title="Rydding i Bøkeskogen",
        description="Vi raker løv.\n\nTa med hansker.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=1, hours=2),
        meeting_point="Parkeringen ved Bøkeskogen",
        latitude=Decimal("59.04851"),
        longitude=Decimal("10.03410"),
        origin_proposal=proposal,
        capacity=20,
    )
    dugnad.organisers.add(leader)
    body = english(client).get(_url(dugnad)).content.decode()
    assert "09.01.2099 10:00</time>–<time" in body and "10.01.2099 12:00</time>" in body
    assert "Parkeringen ved Bøkeskogen</span> (59.04851° N, 10.03410° E)" in body
    assert committee.get_absolute_url() in hrefs(body)
    assert "<dt>Organisers</dt>" in body
    assert "Olga Organisator" in body and "Sverre Leder" in body
    link = f'<a class="ds-link" id="origin-proposal" href="{proposal.get_absolute_url()}">'
    assert link in body and f"({proposal.reference})" in body
    assert "<p>Vi raker løv.</p>" in body and "20 places left of 20" in body
    assert ">Published</span>" in body


def test_the_proposal_is_not_linked_while_it_is_a_draft(client, committee, organiser):
    proposal = ProposalFactory(committee=committee, state="draft", reference=None)
    dugnad = _dugnad(committee, organiser, origin_proposal=proposal)
    assert 'id="origin-proposal"' not in client.get(_url(dugnad)).content.decode()


def test_needs_show_how_many_are_signed_up_and_still_missing(client, committee, organiser):
    dugnad = _dugnad(committee, organiser, capacity=50)
    raking = NeedFactory(dugnad=dugnad, title="Raking", people=10, order=1)
    coffee = NeedFactory(dugnad=dugnad, title="Kaffe og vafler", people=1, order=2)
    trailer = NeedFactory(dugnad=dugnad, title="Henger og bil", people=2, order=3)
    SignupFactory(dugnad=dugnad, need=raking, party_size=3)
    SignupFactory(dugnad=dugnad, need=raking, party_size=2)
    SignupFactory(dugnad=dugnad, need=raking, party_size=4, state="waitlisted")  # no place yet
    SignupFactory(dugnad=dugnad, need=raking, party_size=5, state="cancelled")
    SignupFactory(dugnad=dugnad, need=coffee, party_size=1)
    body = english(client).get(_url(dugnad)).content.decode()
    assert '<h2 class="ds-heading" data-size="md" id="needs-heading">What is needed</h2>' in body

    def row(need):
        start = body.index(f'<tr data-need="{need.pk}">')
        return body[start : body.index("</tr>", start)]

    assert 'class="need-signed">5</td>' in row(raking) and 'data-missing="5">5</td>' in row(raking)
    assert 'class="need-signed">1</td>' in row(coffee)
    assert 'data-missing="0">None – thank you!</td>' in row(coffee)
    assert 'class="need-signed">0</td>' in row(trailer) and 'data-missing="2">2</td>' in row(
        trailer
    )
    assert body.index("Raking") < body.index("Kaffe og vafler") < body.index("Henger og bil")
    assert "<caption" in body and '<th scope="row"' in body


def test_no_needs_no_needs_section(client, committee, organiser):
    dugnad = _dugnad(committee, organiser)
    assert 'id="needs"' not in client.get(_url(dugnad)).content.decode()


def test_resources_show_their_state_in_words_and_the_reason_for_a_decline(
    client, committee, organiser
):
    dugnad = _dugnad(committee, organiser)
    requested = ResourceFactory(dugnad=dugnad, kind="container", details="En container, 10 m³")
    confirmed = ResourceFactory(
        dugnad=dugnad, kind="gloves", state="confirmed", answer="Hentes på rådhuset"
    )
    declined = ResourceFactory(
        dugnad=dugnad, kind="traffic", state="declined", answer="Veien kan ikke stenges da."
    )
    body = english(client).get(_url(dugnad)).content.decode()

    def row(resource):
        start = body.index(f'<tr data-resource="{resource.pk}"')
        return body[start : body.index("</tr>", start)]

    assert "Container" in row(requested) and "En container, 10 m³" in row(requested)
    assert requested.department.name in row(requested)
    assert 'data-color="warning">Requested</span>' in row(requested)
    assert 'data-color="success">Confirmed</span>' in row(confirmed)
    # The municipality's note on a confirmation is shown too: where and when the gloves come is
    # what the participants and the other organisers need to know.
    assert "Hentes på rådhuset" in row(confirmed)
    assert 'data-color="danger">Declined</span>' in row(declined)
    assert 'Reason:</span> <span lang="nb">Veien kan ikke stenges da.</span>' in row(declined)
    assert "The municipality answers by" in body


def test_a_cancelled_dugnad_says_so_with_the_reason(client, committee, organiser):
    draft = _dugnad(committee, organiser, state=State.DRAFT, published_at=None)
    services.dugnad_publish(dugnad=draft, actor=organiser)
    services.dugnad_cancel(dugnad=draft, actor=organiser, reason="Storm er meldt.")
    body = english(client).get(_url(draft)).content.decode()
    assert 'id="cancelled-notice"' in body and "This dugnad is cancelled." in body
    assert "Storm er meldt." in body and ">Cancelled</span>" in body
    assert 'id="places"' not in body


def test_the_page_has_one_h1_a_meta_description_and_the_panels(client, committee, organiser):
    dugnad = _dugnad(committee, organiser, description="Vi planter blomster ved skolen.")
    body = english(client).get(_url(dugnad)).content.decode()
    assert body.count("<h1") == 1
    assert '<meta name="description" content="Vi planter blomster ved skolen.">' in body
    assert 'id="calendar"' in body  # _calendar_links.html got `dugnad`
    empty = _dugnad(committee, organiser, description="")
    body = english(client).get(_url(empty)).content.decode()
    assert f'content="A dugnad with {committee.name} on ' in body


def test_the_panels_of_other_slices_are_optional(client, committee, organiser, monkeypatch):
    """The page works whether or not views.signups and views.reports have their functions."""
    from dugnads.views import reports, signups

    dugnad = _dugnad(committee, organiser)
    monkeypatch.delattr(signups, "signup_panel_context", raising=False)
    monkeypatch.delattr(reports, "report_context", raising=False)
    assert client.get(_url(dugnad)).status_code == 200
    monkeypatch.setattr(
        reports, "report_context", lambda request, d: {"marker": d.pk}, raising=False
    )
    assert client.get(_url(dugnad)).context["marker"] == dugnad.pk


# --- privacy --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "other_resident", "organiser", "leader"])
def test_the_page_never_shows_a_guests_name_or_address_or_a_residents_address(
    client, user_in_role, committee, organiser, resident, role
):
    dugnad = _dugnad(committee, organiser, capacity=1)
    need = NeedFactory(dugnad=dugnad)
    SignupFactory(dugnad=dugnad, user=resident, need=need, comment="Jeg tar med rive")
    SignupFactory(
        dugnad=dugnad,
        user=None,
        guest_name="Gunnar Gjest",
        guest_email="gunnar.gjest@example.no",
        state="waitlisted",
        confirmed_at=None,
    )
    body = login(client, user_in_role(role)).get(_url(dugnad)).content.decode()
    for secret in ("Gunnar Gjest", "gunnar.gjest@example.no", resident.email, organiser.email):
        assert secret not in body, (role, secret)
    assert "Jeg tar med rive" not in body


# --- queries --------------------------------------------------------------------------------------


def _grow(dugnad, needs, n, offset):
    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"d{offset + i}@example.no", full_name=f"Deltaker {offset + i}")
        for i in range(n)
    )
    Signup.objects.bulk_create(
        Signup(
            dugnad=dugnad,
            user=user if i % 4 else None,
            guest_name="" if i % 4 else f"Gjest {offset + i}",
            guest_email="" if i % 4 else f"g{offset + i}@example.no",
            party_size=1 + i % 3,
            need=needs[i % len(needs)],
            state=["confirmed", "waitlisted", "cancelled"][i % 3],
        )
        for i, user in enumerate(users)
    )


@pytest.mark.parametrize("role", ["anonymous", "resident", "organiser"])
def test_the_page_keeps_its_query_count_with_10_and_1000_sign_ups(
    client, user_in_role, committee, organiser, role
):
    dugnad = _dugnad(committee, organiser, capacity=5000)
    needs = [NeedFactory(dugnad=dugnad, title=f"Behov {i}") for i in range(3)]
    for kind in ("container", "tools", "gloves"):
        ResourceFactory(dugnad=dugnad, kind=kind)
    for _ in range(2):
        dugnad.organisers.add(UserFactory())
    login(client, user_in_role(role))
    _grow(dugnad, needs, 10, 0)
    small, _ = queries(client, _url(dugnad))
    _grow(dugnad, needs, 990, 10)
    assert dugnad.signups.count() == 1000
    large, response = queries(client, _url(dugnad))
    assert small == large, (small, large)
    needs_shown = response.context["needs"]
    assert (
        sum(need.people_signed for need in needs_shown)
        == response.context["dugnad"].people_confirmed
    )


@pytest.mark.parametrize("state", [State.DRAFT, State.PUBLISHED, State.COMPLETED])
def test_every_managers_link_opens_for_the_organiser(client, committee, organiser, state):
    """The links lead to the organisers' pages (views/manage.py, views/reports.py), not to 404s."""
    past = state == State.COMPLETED
    dugnad = _dugnad(
        committee,
        organiser,
        state=state,
        starts_at=days(-2) if past else days(10),
        ends_at=days(-2, 14) if past else days(10, 14),
    )
    client.force_login(organiser)
    body = client.get(_url(dugnad)).content.decode()
    start = body.index('class="button-row dugnad-actions"')
    links = hrefs(body[start : body.index("</div>", start)])
    assert len(links) >= 2
    for link in links:
        assert client.get(link).status_code == 200, link
