"""A dugnad as an iCalendar event (dugnads/calendar.py): parsed back with icalendar, the way a
calendar app reads it — one UID for life, SEQUENCE that goes up on every change, cancelled as
STATUS:CANCELLED, local wall-clock times in Europe/Oslo with their VTIMEZONE, folded lines."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import override_settings
from icalendar import Calendar

from dugnads import services
from dugnads.calendar import dugnad_ics, vtimezone
from dugnads.models import State
from tests.factories import DugnadFactory

from .calendar_helpers import events, feed_url, ics_url, parse, the_event

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def dugnad(committee, leader):
    dugnad = DugnadFactory(committee=committee)
    dugnad.organisers.add(leader)
    return dugnad


def test_the_calendar_says_what_it_is(client, dugnad):
    calendar = parse(client.get(ics_url(dugnad)))
    assert calendar["VERSION"] == "2.0"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert str(calendar["PRODID"]).startswith("-//Larvik kommune//")
    # A single event is added to the reader's calendar, not opened as a calendar of its own.
    assert "X-WR-CALNAME" not in calendar and "NAME" not in calendar


def test_the_event_carries_the_dugnad(client, dugnad):
    with override_settings(SITE_URL="https://nmu.larvik.kommune.no"):
        event = the_event(client.get(ics_url(dugnad)))
    page = f"https://nmu.larvik.kommune.no/dugnad/{dugnad.pk}/"
    assert str(event["UID"]) == f"dugnad-{dugnad.pk}@nmu.larvik.kommune.no"
    assert str(event["SUMMARY"]) == dugnad.title
    assert str(event["LOCATION"]) == dugnad.meeting_point
    assert str(event["URL"]) == page
    assert dugnad.description in str(event["DESCRIPTION"])
    assert page in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == dugnad.sequence
    assert event.decoded("LAST-MODIFIED") == dugnad.updated_at.replace(microsecond=0)
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert "GEO" not in event


def test_geo_when_the_meeting_point_has_coordinates(client, committee):
    dugnad = DugnadFactory(
        committee=committee, latitude=Decimal("59.05321"), longitude=Decimal("10.02811")
    )
    geo = the_event(client.get(ics_url(dugnad)))["GEO"]
    assert (geo.latitude, geo.longitude) == (59.05321, 10.02811)


def test_the_uid_is_the_same_on_every_download_and_after_an_edit(client, dugnad, leader):
    first = str(the_event(client.get(ics_url(dugnad)))["UID"])
    assert str(the_event(client.get(ics_url(dugnad)))["UID"]) == first
    services.dugnad_update(dugnad=dugnad, actor=leader, title="Ny tittel", meeting_point="Torget")
    after = the_event(client.get(ics_url(dugnad)))
    assert str(after["UID"]) == first and str(after["SUMMARY"]) == "Ny tittel"
    # ... and the same in the feeds.
    assert first in events(client.get(feed_url()))
    assert first in events(client.get(feed_url(dugnad.committee)))


def test_sequence_goes_up_when_the_time_changes_and_when_cancelled(client, dugnad, leader):
    before = the_event(client.get(ics_url(dugnad)))["SEQUENCE"]
    later = dugnad.starts_at + datetime.timedelta(days=1)
    services.dugnad_update(
        dugnad=dugnad, actor=leader, starts_at=later, ends_at=later + datetime.timedelta(hours=3)
    )
    moved = the_event(client.get(ics_url(dugnad)))
    assert moved["SEQUENCE"] > before
    assert moved.decoded("DTSTART") == later
    services.dugnad_cancel(dugnad=dugnad, actor=leader, reason="Storm")
    cancelled = the_event(client.get(ics_url(dugnad)))
    assert cancelled["SEQUENCE"] > moved["SEQUENCE"]
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_sequence_goes_up_when_the_place_changes(client, dugnad, leader):
    before = the_event(client.get(ics_url(dugnad)))["SEQUENCE"]
    services.dugnad_update(dugnad=dugnad, actor=leader, meeting_point="Ved kirken")
    after = the_event(client.get(ics_url(dugnad)))
    assert after["SEQUENCE"] > before and str(after["LOCATION"]) == "Ved kirken"


def test_sequence_stays_when_nothing_the_calendar_shows_changes(client, dugnad, leader):
    before = the_event(client.get(ics_url(dugnad)))["SEQUENCE"]
    services.dugnad_update(dugnad=dugnad, actor=leader, capacity=30)
    assert the_event(client.get(ics_url(dugnad)))["SEQUENCE"] == before


def test_a_cancelled_dugnad_is_status_cancelled(client, committee):
    dugnad = DugnadFactory(committee=committee, state=State.CANCELLED)
    event = the_event(client.get(ics_url(dugnad)))
    assert str(event["STATUS"]) == "CANCELLED"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    event = the_event(client.get(ics_url(dugnad)))
    assert str(event["SUMMARY"]) == f"Cancelled: {dugnad.title}"
    assert str(event["DESCRIPTION"]).startswith("This dugnad is cancelled.")


@pytest.mark.parametrize(
    "day", [datetime.date(2027, 7, 10), datetime.date(2027, 1, 16)], ids=["summer", "winter"]
)
def test_times_are_oslo_wall_clock_with_its_vtimezone(client, committee, day):
    starts = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=OSLO)
    dugnad = DugnadFactory(
        committee=committee, starts_at=starts, ends_at=starts + datetime.timedelta(hours=4)
    )
    response = client.get(ics_url(dugnad))
    assert f"DTSTART;TZID=Europe/Oslo:{day:%Y%m%d}T100000\r\n".encode() in response.content
    assert f"DTEND;TZID=Europe/Oslo:{day:%Y%m%d}T140000\r\n".encode() in response.content
    calendar = parse(response)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Oslo"
    event = calendar.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (10, 0)
    # 10:00 local is 08:00 UTC in summer and 09:00 UTC in winter.
    expected_utc = 8 if day.month == 7 else 9
    assert start.astimezone(datetime.UTC).hour == expected_utc
    # The embedded VTIMEZONE alone (as a client without the tz database reads it) gives the
    # same offset.
    assert zone.to_tz().utcoffset(start.replace(tzinfo=None)) == start.utcoffset()


def test_the_vtimezone_changes_at_the_real_moments():
    """Each observance's onset, read in the offset before it (RFC 5545 § 3.6.5), is the moment
    the tz database changes the clock (icalendar alone starts summer time an hour late)."""
    zone = vtimezone("Europe/Oslo", 2026, 2028)
    onsets = []
    for observance in zone.subcomponents:
        rdates = observance.get("RDATE", [])
        moments = [observance.DTSTART] + [
            moment.dt
            for rdate in (rdates if isinstance(rdates, list) else [rdates])
            for moment in rdate.dts
        ]
        for local in moments:
            if observance.TZOFFSETFROM == observance.TZOFFSETTO:
                continue  # the start of the range, not a change
            utc = (local - observance.TZOFFSETFROM).replace(tzinfo=datetime.UTC)
            second = datetime.timedelta(seconds=1)
            assert (utc - second).astimezone(OSLO).utcoffset() == observance.TZOFFSETFROM
            assert utc.astimezone(OSLO).utcoffset() == observance.TZOFFSETTO
            onsets.append(utc)
    # Two changes a year, three years.
    assert len(onsets) == 6
    assert datetime.datetime(2027, 3, 28, 1, 0, tzinfo=datetime.UTC) in onsets


def test_lines_are_folded_at_75_octets_and_end_with_crlf(client, committee):
    dugnad = DugnadFactory(
        committee=committee,
        title="Æ" * 150,
        description="Vi rydder, raker og planter; ta med hansker 🧤 og kaffe ☕.\n" * 60,
        meeting_point="Skolegården på Østre Halsen, ved sykkelstativet " * 4,
    )
    for response in (client.get(ics_url(dugnad)), client.get(feed_url())):
        body = response.content
        assert body.endswith(b"\r\n")
        lines = body.split(b"\r\n")[:-1]
        assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
        assert max(len(line) for line in lines) <= 75
        # Folding never splits a character: every line is UTF-8 on its own.
        for line in lines:
            line.decode("utf-8")
        event = the_event(client.get(ics_url(dugnad)))
        assert str(event["SUMMARY"]) == "Æ" * 150


def test_control_characters_do_not_reach_the_file(committee):
    dugnad = DugnadFactory(committee=committee, title="Rydding\x0b\x1b i parken\r")
    body = dugnad_ics(dugnad)
    assert b"\x0b" not in body and b"\x1b" not in body
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Rydding i parken")


def test_no_e_mail_address_in_the_file(client, dugnad, leader, resident):
    from tests.factories import SignupFactory

    SignupFactory(dugnad=dugnad, user=resident)
    SignupFactory(dugnad=dugnad, user=None, guest_name="Gjest", guest_email="gjest@example.no")
    for response in (
        client.get(ics_url(dugnad)),
        client.get(feed_url()),
        client.get(feed_url(dugnad.committee)),
    ):
        text = response.content.decode()
        for address in (leader.email, resident.email, "gjest@example.no", "svarstad@example.no"):
            assert address not in text
        assert "mailto:" not in text.lower()
        assert "ORGANIZER" not in text and "ATTENDEE" not in text


def test_headers_of_the_single_event(client, dugnad):
    response = client.get(ics_url(dugnad))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="dugnad-{dugnad.pk}.ics"'
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]


def test_only_get_and_head(client, dugnad):
    assert client.head(ics_url(dugnad)).status_code == 200
    assert client.post(ics_url(dugnad)).status_code == 405


def test_an_unknown_dugnad_is_404(client, db):
    assert client.get("/dugnad/999999/kalender.ics").status_code == 404
