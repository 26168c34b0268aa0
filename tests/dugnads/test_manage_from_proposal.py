"""A resident's wish for a joint dugnad becomes one from the leader's inbox ("Lag dugnad"):
linked both ways, the proposal's timeline and followers learn of it, the inbox's link goes; a
proposal of another kind (or another committee's, or one made into a dugnad already) cannot."""

# ruff: noqa: F811 - the fixtures imported from manage_helpers are the tests' arguments

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dugnads import services
from dugnads.models import Dugnad, State
from dugnads.services import planning
from notifications.models import Notification
from proposals.models import EventKind, Follow, ProposalEvent
from tests.factories import DugnadFactory, ProposalFactory, UserFactory

from .manage_helpers import create_url, department, form_data  # noqa: F401 (fixtures)


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def wish(committee, resident):
    proposal = ProposalFactory(
        committee=committee,
        author=resident,
        kind="dugnad",
        category="joint_dugnads",
        title="Rydd stranda sammen med kommunen",
        summary="En felles vårdugnad på stranda.",
        body="Det ligger mye søppel etter vinteren.",
    )
    Follow.objects.create(proposal=proposal, user=resident)
    return proposal


def _inbox(client, committee):
    return client.get(reverse("proposals:committee-inbox", kwargs={"slug": committee.slug}))


def test_a_wish_becomes_a_dugnad_from_the_inbox_end_to_end(
    client, english, committee, leader, resident, wish, department
):
    client.force_login(leader)
    inbox = _inbox(client, committee).content.decode()
    link = create_url(committee, wish)
    assert f'href="{link}"' in inbox and "Make a dugnad" in inbox

    page = client.get(link)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["title"].value() == "Rydd stranda sammen med kommunen"
    assert "En felles vårdugnad på stranda." in form["description"].value()
    assert 'id="from-proposal"' in page.content.decode()

    data = form_data(
        organisers=[leader],
        title="Strandrydding",
        needs=[("Raking", 10)],
        resources=[("container", department.pk, "En container")],
    )
    response = client.post(link, data)
    assert response.status_code == 302
    dugnad = Dugnad.objects.get()
    wish.refresh_from_db()
    assert dugnad.origin_proposal == wish and wish.dugnad == dugnad  # linked both ways
    # A draft is the board's own: the proposal's timeline and followers hear of it when it is
    # published (before that its page is a 404 to them).
    assert not ProposalEvent.objects.filter(proposal=wish, kind=EventKind.FOLLOWED_UP).exists()
    assert not Notification.objects.filter(kind="dugnad.from_proposal").exists()
    # The inbox's link is gone: while the dugnad is a draft, the row names it instead.
    inbox = _inbox(client, committee).content.decode()
    assert f'href="{link}"' not in inbox and "Make a dugnad" not in inbox
    assert f'href="{dugnad.get_absolute_url()}"' in inbox

    services.dugnad_publish(dugnad=dugnad, actor=leader)
    line = ProposalEvent.objects.get(proposal=wish, kind=EventKind.FOLLOWED_UP)
    assert "Strandrydding" in line.message and line.actor == leader
    assert Notification.objects.filter(recipient=resident, kind="dugnad.from_proposal").exists()
    assert not Notification.objects.filter(recipient=leader, kind="dugnad.from_proposal").exists()
    # Published, the case is in progress: no longer in the board's inbox.
    assert wish.reference not in _inbox(client, committee).content.decode()
    # The proposal's page says what it became, to those who may see the dugnad.
    page = client.get(wish.get_absolute_url()).content.decode()
    assert "This proposal became the dugnad" in page
    assert f'href="{dugnad.get_absolute_url()}"' in page
    # Making it again is refused: the page (404) and the service.
    assert client.get(link).status_code == 404
    assert client.post(link, data).status_code == 404
    with pytest.raises(ValidationError):
        planning.dugnad_plan_create(
            committee=committee,
            actor=leader,
            proposal=wish,
            title="En til",
            starts_at=dugnad.starts_at,
            ends_at=dugnad.ends_at,
            meeting_point="Stranda",
        )
    assert Dugnad.objects.count() == 1


def test_a_residents_view_of_the_proposal_shows_the_dugnad_once_it_is_public(
    client, english, committee, resident, leader, wish
):
    dugnad = DugnadFactory(
        committee=committee, origin_proposal=wish, state=State.DRAFT, title="Strandrydding"
    )
    client.force_login(resident)
    page = client.get(wish.get_absolute_url()).content.decode()
    assert 'id="proposal-dugnad"' not in page  # a draft is the board's
    type(dugnad).objects.filter(pk=dugnad.pk).update(state=State.PUBLISHED)
    page = client.get(wish.get_absolute_url()).content.decode()
    assert "This proposal became the dugnad" in page and "Strandrydding" in page


def test_the_board_gets_the_button_on_the_proposal_page_and_a_resident_not(
    client, english, committee, board_member, resident, wish
):
    client.force_login(board_member)
    page = client.get(wish.get_absolute_url()).content.decode()
    assert f'href="{create_url(committee, wish)}"' in page
    client.force_login(resident)
    page = client.get(wish.get_absolute_url()).content.decode()
    assert create_url(committee, wish) not in page


@pytest.mark.parametrize(
    "proposal",
    [
        lambda committee, other: ProposalFactory(committee=committee, kind="idea"),
        lambda committee, other: ProposalFactory(committee=other, kind="dugnad"),
        lambda committee, other: ProposalFactory(
            committee=committee, kind="dugnad", state="withdrawn"
        ),
    ],
    ids=["idea", "other-committee", "withdrawn"],
)
def test_a_proposal_that_cannot_become_a_dugnad_is_refused(
    client, committee, other_committee, leader, proposal, department
):
    proposal = proposal(committee, other_committee)
    client.force_login(leader)
    link = create_url(committee, proposal)
    assert client.get(link).status_code == 404
    assert client.post(link, form_data(organisers=[leader])).status_code == 404
    assert "forslag=" + proposal.reference not in _inbox(client, committee).content.decode()
    with pytest.raises(ValidationError):
        planning.dugnad_plan_create(
            committee=committee,
            actor=leader,
            proposal=proposal,
            title="Nei",
            starts_at=DugnadFactory.build().starts_at,
            ends_at=DugnadFactory.build().ends_at,
            meeting_point="Her",
        )
    assert not Dugnad.objects.exists()


@pytest.mark.parametrize("reference", ["", "\x00", "NMU-2000-0001\x00", "x" * 10_000, "../"])
def test_a_hostile_reference_is_404(client, committee, leader, reference):
    client.force_login(leader)
    url = reverse("dugnads:dugnad-create", kwargs={"slug": committee.slug})
    assert client.get(url, {"forslag": reference}).status_code == 404


def test_the_inbox_makes_the_same_queries_with_1_and_20_wishes(client, committee, leader):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert _inbox(client, committee).status_code == 200
        return len(queries)

    ProposalFactory(committee=committee, kind="dugnad")
    made = ProposalFactory(committee=committee, kind="dugnad")
    DugnadFactory(committee=committee, origin_proposal=made)
    client.force_login(leader)
    count()
    few = count()
    for _ in range(18):
        ProposalFactory(committee=committee, kind="dugnad", author=UserFactory())
    for proposal in ProposalFactory.create_batch(5, committee=committee, kind="dugnad"):
        DugnadFactory(committee=committee, origin_proposal=proposal)
    assert count() == few


def test_the_wishs_case_moves_on_with_its_dugnad(committee, leader, wish):
    """Made into a dugnad, the wish is no longer the committee's to handle: published, the case
    is in progress (no committee deadline chasing the board any more, and the resident sees it
    moving); reported, it is completed. No button offers the step: the dugnad takes it."""
    from decimal import Decimal

    from dugnads.services.reports import dugnad_report
    from proposals.models import State as ProposalState
    from proposals.steps import TRANSITIONS

    wish.state = ProposalState.COMMITTEE_REVIEW
    wish.save(update_fields=["state"])
    assert ProposalState.IN_PROGRESS not in TRANSITIONS.targets(wish.state, {"committee"})
    dugnad = planning.dugnad_plan_create(
        committee=committee,
        actor=leader,
        proposal=wish,
        title="Strandrydding",
        starts_at=DugnadFactory.build().starts_at,
        ends_at=DugnadFactory.build().ends_at,
        meeting_point="Stranda",
    )
    wish.refresh_from_db()
    assert wish.state == ProposalState.COMMITTEE_REVIEW  # a draft changes nothing yet
    services.dugnad_publish(dugnad=dugnad, actor=leader)
    wish.refresh_from_db()
    assert wish.state == ProposalState.IN_PROGRESS and wish.next_due is None
    Dugnad.objects.filter(pk=dugnad.pk).update(state=State.COMPLETED)
    dugnad_report(
        dugnad=dugnad, actor=leader, participant_count=4, hours_total=Decimal("8"), report="Ryddet."
    )
    wish.refresh_from_db()
    assert wish.state == ProposalState.COMPLETED
