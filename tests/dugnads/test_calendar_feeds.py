"""The feeds a calendar app subscribes to (/dugnad/kalender.ics, /dugnad/kalender/<slug>.ics):
what is in them, what is not, their headers, and a query count that does not grow with them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dugnads.calendar import FEED_LIMIT, FEED_PAST_DAYS
from dugnads.models import Dugnad, State
from tests.factories import CommitteeFactory, DugnadFactory

from .calendar_helpers import dugnad_uid_of, events, feed_url, parse


def days(n: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=n)


def test_the_portal_feed_names_itself_and_holds_every_committee(client, committee, other_committee):
    ours = DugnadFactory(committee=committee)
    theirs = DugnadFactory(committee=other_committee)
    response = client.get(feed_url())
    calendar = parse(response)
    assert str(calendar["X-WR-CALNAME"]).endswith("Larvik kommune")
    assert calendar["METHOD"] == "PUBLISH" and calendar["VERSION"] == "2.0"
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    assert set(events(response)) == {dugnad_uid_of(ours), dugnad_uid_of(theirs)}


def test_a_committee_feed_holds_its_own_and_its_sub_committees(client, committee, other_committee):
    sub = CommitteeFactory(parent=committee, name="Svarstad sentrum")
    ours = DugnadFactory(committee=committee)
    subs = DugnadFactory(committee=sub)
    theirs = DugnadFactory(committee=other_committee)
    response = client.get(feed_url(committee))
    assert str(parse(response)["X-WR-CALNAME"]).endswith("Svarstad")
    uids = set(events(response))
    assert uids == {dugnad_uid_of(ours), dugnad_uid_of(subs)}
    assert dugnad_uid_of(theirs) not in uids
    # The sub-committee's own feed has only its own.
    assert set(events(client.get(feed_url(sub)))) == {dugnad_uid_of(subs)}


def test_a_draft_is_in_no_feed_not_even_for_the_board(client, committee, leader):
    draft = DugnadFactory(committee=committee, state=State.DRAFT, published_at=None)
    draft.organisers.add(leader)
    client.force_login(leader)
    for url in (feed_url(), feed_url(committee)):
        assert dugnad_uid_of(draft) not in events(client.get(url))


def test_cancelled_stays_as_cancelled_and_old_ones_leave(client, committee):
    cancelled = DugnadFactory(committee=committee, state=State.CANCELLED)
    recent = DugnadFactory(
        committee=committee,
        state=State.REPORTED,
        starts_at=days(-FEED_PAST_DAYS + 2),
        ends_at=days(-FEED_PAST_DAYS + 2) + datetime.timedelta(hours=3),
    )
    old = DugnadFactory(
        committee=committee,
        state=State.CANCELLED,
        starts_at=days(-FEED_PAST_DAYS - 2),
        ends_at=days(-FEED_PAST_DAYS - 2) + datetime.timedelta(hours=3),
    )
    found = events(client.get(feed_url(committee)))
    assert str(found[dugnad_uid_of(cancelled)]["STATUS"]) == "CANCELLED"
    assert str(found[dugnad_uid_of(recent)]["STATUS"]) == "CONFIRMED"
    assert dugnad_uid_of(old) not in found


def test_an_empty_feed_is_still_a_valid_calendar(client, committee):
    calendar = parse(client.get(feed_url(committee)))
    assert calendar.walk("VEVENT") == [] and calendar.walk("VTIMEZONE")


def test_feed_headers(client, committee):
    response = client.get(feed_url(committee))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="dugnader-svarstad.ics"'
    assert "public" in response["Cache-Control"] and "max-age=900" in response["Cache-Control"]
    response = client.get(feed_url())
    assert response["Content-Disposition"] == 'inline; filename="dugnader.ics"'
    calendar = parse(response)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content
    assert calendar["DESCRIPTION"] and calendar["X-WR-CALDESC"]
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Oslo"
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT1H"


def test_an_unknown_committee_is_404(client, db):
    assert client.get("/dugnad/kalender/finnes-ikke.ics").status_code == 404


def test_feeds_take_get_and_head_only(client, committee):
    assert client.head(feed_url()).status_code == 200
    assert client.post(feed_url()).status_code == 405
    assert client.post(feed_url(committee)).status_code == 405


def _make(committee, n: int) -> None:
    Dugnad.objects.bulk_create(
        [DugnadFactory.build(committee=committee, starts_at=days(2 + i % 300)) for i in range(n)]
    )


def _count(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), len(parse(response).walk("VEVENT"))


@pytest.mark.parametrize("as_leader", [False, True], ids=["anonymous", "leader"])
def test_the_query_count_is_the_same_for_10_and_1000_dugnads(client, committee, leader, as_leader):
    if as_leader:
        client.force_login(leader)
    sub = CommitteeFactory(parent=committee)
    _make(committee, 5)
    _make(sub, 5)
    small_all, n_all = _count(client, feed_url())
    small_one, n_one = _count(client, feed_url(committee))
    assert n_all == n_one == 10
    _make(committee, 495)
    _make(sub, 495)
    big_all, n_all = _count(client, feed_url())
    big_one, n_one = _count(client, feed_url(committee))
    assert (big_all, big_one) == (small_all, small_one)
    # A feed holds at most FEED_LIMIT dugnads.
    assert n_all == n_one == FEED_LIMIT
    if not as_leader:
        assert (small_all, small_one) == (1, 2)


def test_the_limit_keeps_the_earliest(client, committee):
    first = DugnadFactory(
        committee=committee, starts_at=days(1), ends_at=days(1) + datetime.timedelta(hours=2)
    )
    _make(committee, FEED_LIMIT)
    last = DugnadFactory(
        committee=committee, starts_at=days(400), ends_at=days(400) + datetime.timedelta(hours=2)
    )
    found = events(client.get(feed_url(committee)))
    assert len(found) == FEED_LIMIT
    assert dugnad_uid_of(first) in found and dugnad_uid_of(last) not in found
