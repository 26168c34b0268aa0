"""/dugnad/ and /dugnad/tidligere/: the upcoming dugnads and those held, filtered by committee."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from dugnads.models import Dugnad, State
from tests.factories import CommitteeFactory, DugnadFactory, SignupFactory, UserFactory

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

LIST_URL = reverse("dugnads:dugnad-list")
PAST_URL = reverse("dugnads:dugnad-list-past")


def _past(**fields):
    return DugnadFactory(
        starts_at=days(-10), ends_at=days(-10) + datetime.timedelta(hours=3), **fields
    )


@pytest.fixture
def organiser(committee, board_member):
    return board_member


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", [LIST_URL, PAST_URL])
def test_every_role_sees_the_lists_and_never_a_draft(client, user_in_role, committee, role, url):
    upcoming = DugnadFactory(committee=committee, title="Vårdugnad i parken")
    past = _past(committee=committee, title="Høstdugnad i fjor", state=State.REPORTED)
    draft = DugnadFactory(committee=committee, title="Hemmelig utkast", state=State.DRAFT)
    past_draft = _past(committee=committee, title="Gammelt utkast", state=State.DRAFT)
    login(client, user_in_role(role))
    body = client.get(url).content.decode()
    shown = upcoming if url == LIST_URL else past
    hidden = past if url == LIST_URL else upcoming
    assert shown.get_absolute_url() in hrefs(body)
    assert hidden.get_absolute_url() not in hrefs(body)
    assert draft.title not in body and past_draft.title not in body


def test_a_row_has_title_committee_time_in_oslo_meeting_point_and_places(client, committee):
    # 09:00 UTC on 1 July is 11:00 in Oslo (summer time): the page says 11:00, 24 h.
    starts = datetime.datetime(2099, 7, 1, 9, 0, tzinfo=datetime.UTC)
    dugnad = DugnadFactory(
        committee=committee,
        title="Rydding av stranda",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=5),
        meeting_point="Ved kiosken",
        capacity=12,
    )
    SignupFactory(dugnad=dugnad, party_size=3)
    body = english(client).get(LIST_URL).content.decode()
    assert "Rydding av stranda" in body and "Svarstad" in body and "Ved kiosken" in body
    assert "01.07.2099 11:00</time>–<time" in body and ">16:00</time>" in body
    assert 'datetime="2099-07-01T11:00:00+02:00"' in body
    assert "9 places left of 12" in body


def test_a_full_dugnad_says_full_with_a_waiting_list(client, committee):
    dugnad = DugnadFactory(committee=committee, capacity=2)
    SignupFactory(dugnad=dugnad, party_size=2)
    SignupFactory(dugnad=dugnad, state="waitlisted", confirmed_at=None)
    body = english(client).get(LIST_URL).content.decode()
    assert "Full — waiting list (1 waiting)" in body


def test_a_dugnad_without_a_limit_says_so(client, committee):
    DugnadFactory(committee=committee, capacity=None)
    body = english(client).get(LIST_URL).content.decode()
    assert "No limit on places, 0 signed up" in body


def test_a_cancelled_dugnad_is_marked_cancelled_in_words(client, committee):
    DugnadFactory(committee=committee, title="Avlyst dugnad", state=State.CANCELLED, capacity=5)
    body = english(client).get(LIST_URL).content.decode()
    row = body[body.index("Avlyst dugnad") :]
    row = row[: row.index("</li>")]
    assert 'class="ds-tag status-tag dugnad-state" data-color="danger">Cancelled</span>' in row
    assert "places left" not in row  # no places on offer for a cancelled one


def test_the_filter_shows_a_committee_and_its_sub_committees(client, committee, other_committee):
    child = CommitteeFactory(name="Svarstad sentrum", slug="svarstad-sentrum", parent=committee)
    own = DugnadFactory(committee=committee)
    childs = DugnadFactory(committee=child)
    others = DugnadFactory(committee=other_committee)
    body = english(client).get(LIST_URL, {"utvalg": committee.slug}).content.decode()
    links = hrefs(body)
    assert own.get_absolute_url() in links and childs.get_absolute_url() in links
    assert others.get_absolute_url() not in links
    assert "2 dugnads in Svarstad" in body
    # The select keeps the choice, and the link to the other page keeps the filter.
    assert f'<option value="{committee.slug}" selected lang="nb">' in body
    assert f"{PAST_URL}?utvalg={committee.slug}" in links
    body = english(client).get(LIST_URL, {"utvalg": child.slug}).content.decode()
    assert hrefs(body) & {own.get_absolute_url(), childs.get_absolute_url()} == {
        childs.get_absolute_url()
    }


def test_the_filter_is_a_get_form_with_a_select_and_a_submit_button(client, committee):
    body = english(client).get(LIST_URL).content.decode()
    form = body[body.index('<form class="proposal-filters dugnad-filters"') :]
    form = form[: form.index("</form>")]
    assert 'method="get"' in form and f'action="{LIST_URL}"' in form
    assert '<select name="utvalg"' in form and 'type="submit">Show dugnads</button>' in form
    assert '<label class="ds-label" for="id_utvalg">Committee</label>' in form
    assert "hx-" not in form  # an ordinary GET: works without JavaScript


@pytest.mark.parametrize("value", ["finnes-ikke", "x" * 10_000, "99999999999999999999", "nan"])
def test_a_bad_filter_value_shows_every_dugnad(client, committee, other_committee, value):
    DugnadFactory(committee=committee)
    DugnadFactory(committee=other_committee)
    response = english(client).get(LIST_URL, {"utvalg": value, "side": value})
    assert response.status_code == 200
    assert "2 dugnads" in response.content.decode()


def test_a_nul_byte_in_the_filter_is_a_404_not_an_error(client):
    """core.http.NulByteQueryMiddleware answers before the view (PostgreSQL refuses NUL)."""
    assert client.get(LIST_URL, {"utvalg": "\x00"}).status_code == 404


def test_the_list_is_paginated_and_the_pages_keep_the_filter(client, committee, other_committee):
    start = days(5)
    Dugnad.objects.bulk_create(
        DugnadFactory.build(
            committee=committee,
            title=f"Dugnad nr {n:02d}",
            starts_at=start + datetime.timedelta(days=n),
            ends_at=start + datetime.timedelta(days=n, hours=2),
        )
        for n in range(25)
    )
    DugnadFactory(committee=other_committee)
    body = english(client).get(LIST_URL, {"utvalg": committee.slug}).content.decode()
    assert "Dugnad nr 19" in body and "Dugnad nr 20" not in body
    assert "25 dugnads in Svarstad, page 1 of 2" in body
    assert f'href="?utvalg={committee.slug}&amp;side=2" rel="next"' in body
    body = english(client).get(LIST_URL, {"utvalg": committee.slug, "side": 2}).content.decode()
    assert "Dugnad nr 20" in body and "Dugnad nr 24" in body and "Dugnad nr 19" not in body


def test_the_past_page_shows_hours_and_the_latest_first(client, committee):
    older = _past(committee=committee, title="Eldre dugnad", state=State.COMPLETED)
    older.starts_at, older.ends_at = days(-40), days(-40, 14)
    older.save()
    reported = _past(
        committee=committee,
        title="Rapportert dugnad",
        state=State.REPORTED,
        hours_total=Decimal("42.5"),
        participant_count=17,
    )
    cancelled = _past(committee=committee, title="Avlyst i fjor", state=State.CANCELLED)
    body = english(client).get(PAST_URL).content.decode()
    assert body.index(reported.title) < body.index(older.title)
    row = body[body.index(reported.title) :]
    row = row[: row.index("</li>")]
    assert "<dt>Hours</dt><dd>42.5</dd>" in row and "<dt>Participants</dt><dd>17</dd>" in row
    assert ">Reported</span>" in row
    row = body[body.index(older.title) :]
    assert "<dt>Hours</dt>" not in row[: row.index("</li>")]
    row = body[body.index(cancelled.title) :]
    assert ">Cancelled</span>" in row[: row.index("</li>")]
    assert LIST_URL in hrefs(body)
    assert PAST_URL in hrefs(english(client).get(LIST_URL).content.decode())


def test_each_list_has_its_own_meta_description_and_one_h1(client):
    descriptions = set()
    for url in (LIST_URL, PAST_URL):
        body = english(client).get(url).content.decode()
        start = body.index('<meta name="description" content="') + 34
        descriptions.add(body[start : body.index('"', start)])
        assert body.count("<h1") == 1
    assert len(descriptions) == 2
    assert not any("neighbourhood committees in" in d for d in descriptions)  # not the site's


def test_an_empty_list_says_so(client):
    body = english(client).get(LIST_URL).content.decode()
    assert "No dugnads are planned right now." in body


@pytest.mark.parametrize("url", [LIST_URL, PAST_URL])
def test_the_lists_keep_their_query_count_with_10_and_1000_dugnads(client, committee, url):
    past = url == PAST_URL
    start = days(-60) if past else days(3)
    user = UserFactory()

    def grow(n, offset):
        made = Dugnad.objects.bulk_create(
            DugnadFactory.build(
                committee=committee,
                starts_at=start + datetime.timedelta(hours=offset + i),
                ends_at=start + datetime.timedelta(hours=offset + i + 1),
                state=State.REPORTED if past else State.PUBLISHED,
                capacity=5,
                hours_total=Decimal(3) if past else None,
            )
            for i in range(n)
        )
        for dugnad in made[:3]:
            SignupFactory(dugnad=dugnad, user=UserFactory())
        return made

    grow(10, 0)
    client.force_login(user)
    small, _ = queries(client, f"{url}?utvalg={committee.slug}")
    small_all, _ = queries(client, url)
    grow(990, 10)
    assert Dugnad.objects.count() == 1000
    large, response = queries(client, f"{url}?utvalg={committee.slug}")
    large_all, _ = queries(client, url)
    assert small == large and small_all == large_all
    assert "page 1 of 50" in english(client).get(url).content.decode()
