"""The committee page's section on its upcoming dugnads (dugnads/committee_page.py)."""

import datetime

import pytest
from django.urls import reverse

from dugnads.committee_page import UPCOMING_LIMIT
from dugnads.models import Dugnad, State
from tests.factories import CommitteeFactory, DugnadFactory, SignupFactory

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

BOARD = {"board_member", "leader", "organiser"}


@pytest.fixture
def organiser(board_member):
    return board_member


def _section(body: str) -> str:
    start = body.index('id="committee-dugnads"')
    return body[start : body.index("</section>", start)]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_upcoming_dugnads_and_only_the_board_the_create_link(
    client, user_in_role, committee, role
):
    dugnad = DugnadFactory(committee=committee, title="Vårrydding")
    body = login(client, user_in_role(role)).get(committee.get_absolute_url()).content.decode()
    section = _section(body)
    assert dugnad.get_absolute_url() in hrefs(section)
    create = reverse("dugnads:dugnad-create", kwargs={"slug": committee.slug})
    assert (create in hrefs(section)) == (role in BOARD)


def test_the_section_shows_five_upcoming_of_the_committee_and_its_sub_committees(
    client, committee, other_committee
):
    child = CommitteeFactory(name="Svarstad nord", parent=committee)
    childs = DugnadFactory(committee=child, title="Barnets dugnad", starts_at=days(1))
    childs.ends_at = childs.starts_at + datetime.timedelta(hours=2)
    childs.save()
    own = [DugnadFactory(committee=committee, starts_at=days(2 + i)) for i in range(6)]
    for dugnad in own:
        dugnad.ends_at = dugnad.starts_at + datetime.timedelta(hours=2)
        dugnad.save()
    DugnadFactory(committee=committee, title="Utkastet", state=State.DRAFT)
    past = DugnadFactory(committee=committee, title="I fjor", starts_at=days(-300))
    past.ends_at = past.starts_at + datetime.timedelta(hours=2)
    past.save()
    DugnadFactory(committee=other_committee, title="Annet utvalg")
    section = _section(english(client).get(committee.get_absolute_url()).content.decode())
    links = hrefs(section)
    assert childs.get_absolute_url() in links and "Svarstad nord" in section
    assert {d.get_absolute_url() for d in own[:4]} <= links
    assert own[4].get_absolute_url() not in links and own[5].get_absolute_url() not in links
    assert section.count('class="proposal-list__item dugnad-row"') == UPCOMING_LIMIT
    for hidden in ("Utkastet", "I fjor", "Annet utvalg"):
        assert hidden not in section
    assert f"{reverse('dugnads:dugnad-list')}?utvalg={committee.slug}" in links


def test_a_cancelled_one_is_marked_and_a_full_one_says_waiting_list(client, committee):
    DugnadFactory(committee=committee, title="Avlyst", state=State.CANCELLED, starts_at=days(1))
    full = DugnadFactory(committee=committee, title="Full", capacity=1, starts_at=days(2))
    SignupFactory(dugnad=full)
    section = _section(english(client).get(committee.get_absolute_url()).content.decode())
    avlyst = section[section.index("Avlyst") :]
    assert ">Cancelled</span>" in avlyst[: avlyst.index("</li>")]
    assert "Full — waiting list" in section


def test_no_dugnads_says_so(client, committee):
    section = _section(english(client).get(committee.get_absolute_url()).content.decode())
    assert "No dugnads are planned right now." in section
    assert "?utvalg=" not in section


@pytest.mark.parametrize("role", ["anonymous", "leader"])
def test_the_committee_page_keeps_its_query_count_with_10_and_1000_dugnads(
    client, user_in_role, committee, role
):
    def grow(n, offset):
        start = days(1)
        made = Dugnad.objects.bulk_create(
            DugnadFactory.build(
                committee=committee,
                starts_at=start + datetime.timedelta(hours=offset + i),
                ends_at=start + datetime.timedelta(hours=offset + i + 1),
                capacity=3,
            )
            for i in range(n)
        )
        for dugnad in made[:3]:
            SignupFactory(dugnad=dugnad)

    login(client, user_in_role(role))
    grow(10, 0)
    small, _ = queries(client, committee.get_absolute_url())
    grow(990, 10)
    assert Dugnad.objects.filter(committee=committee).count() == 1000
    large, response = queries(client, committee.get_absolute_url())
    assert small == large, (small, large)
    assert _section(response.content.decode()).count("dugnad-row") == UPCOMING_LIMIT
