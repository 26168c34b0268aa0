"""Dugnads as iCalendar (RFC 5545): one event for "Add to calendar", and feeds to subscribe to.

Why it is built this way:

- A calendar client recognises an event by its UID, so a dugnad keeps one for life:
  ``dugnad-<pk>@<host of SITE_URL>``. A new UID after an edit would be a second event.
- A client replaces its copy only when SEQUENCE goes up (RFC 5545 § 3.8.7.4). The services bump
  ``Dugnad.sequence`` when the time, place or text change, on publishing and on cancelling
  (``services.lifecycle``); this module only reports it.
- Times are written in the portal's zone (``settings.TIME_ZONE``, Europe/Oslo) with its VTIMEZONE,
  so 10:00 stays 10:00 on either side of a change to or from summer time, whatever zone the
  reader's calendar is set to.
- A cancelled dugnad stays in the feeds as STATUS:CANCELLED for ``FEED_PAST_DAYS`` after it would
  have ended: a subscriber's calendar shows it cancelled instead of the event silently vanishing
  (some clients keep an event that just disappears from a feed).
- No ORGANIZER: its value must be an address (a URI, in practice ``mailto:``), and a public feed
  names nobody's address. The committee is named in CONTACT (free text) and DESCRIPTION instead.
- The feeds read in one query whatever their size, and at most ``FEED_LIMIT`` dugnads.
"""

import datetime
import functools
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration

from .models import Dugnad, State

# How long an ended (or cancelled) dugnad stays in the feeds.
FEED_PAST_DAYS = 90
# The most dugnads a feed holds (the earliest first, from FEED_PAST_DAYS ago).
FEED_LIMIT = 500
# What calendar clients are asked to wait between two fetches of a feed (RFC 7986 § 5.7).
FEED_REFRESH = datetime.timedelta(hours=1)

# Control characters other than TAB and LF are not allowed in iCalendar TEXT (RFC 5545 § 3.3.11).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def feed_dugnads(*, committee=None, now: datetime.datetime | None = None) -> QuerySet[Dugnad]:
    """The public dugnads a feed shows: every one not yet ended, and those that ended (or would
    have, when cancelled) in the last ``FEED_PAST_DAYS``; of ``committee`` and its sub-committees
    when given. Drafts never. One query, at most ``FEED_LIMIT`` rows."""
    since = (now or timezone.now()) - datetime.timedelta(days=FEED_PAST_DAYS)
    qs = Dugnad.objects.public().filter(ends_at__gte=since)
    if committee is not None:
        qs = qs.filter(Q(committee=committee) | Q(committee__parent=committee))
    return qs.select_related("committee").order_by("starts_at", "pk")[:FEED_LIMIT]


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def dugnad_uid(dugnad: Dugnad) -> str:
    """The event's UID for life (the same in the single file and in every feed)."""
    return f"dugnad-{dugnad.pk}@{site_host()}"


def _text(value: str) -> str:
    return _CONTROL.sub("", value or "").replace("\r\n", "\n").replace("\r", "\n")


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@functools.lru_cache(maxsize=32)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE for ``tzid`` from 1 January of ``first_year`` to the end of ``last_year``.

    icalendar's ``Timezone.from_tzid`` writes the onset of summer time as the first wall-clock
    time after the gap (03:00 for Europe/Oslo), but RFC 5545 § 3.6.5 wants it in the offset in
    use before the change (02:00, as TZOFFSETFROM says): read literally, its VTIMEZONE starts
    summer time an hour late. An observance that moves the clock forward is moved back by the
    jump here, so each onset minus TZOFFSETFROM is the real moment of the change (tested).
    Cached: the component is only ever read.
    """
    zone = Timezone.from_tzid(
        tzid,
        first_date=datetime.date(first_year, 1, 1),
        last_date=datetime.date(last_year + 1, 1, 1),
    )
    for observance in zone.subcomponents:
        jump = observance.TZOFFSETTO - observance.TZOFFSETFROM
        if jump <= datetime.timedelta(0):
            continue
        observance.DTSTART = observance.DTSTART - jump
        rdates = observance.pop("RDATE", None)
        if rdates is not None:
            for rdate in rdates if isinstance(rdates, list) else [rdates]:
                observance.add("RDATE", [moment.dt - jump for moment in rdate.dts])
    return zone


def dugnad_event(dugnad: Dugnad, *, stamp: datetime.datetime) -> Event:
    """One VEVENT for ``dugnad`` (its ``committee`` should be selected with it)."""
    zone = _zone()
    url = absolute_url(dugnad.get_absolute_url())
    cancelled = dugnad.state == State.CANCELLED
    title = _text(dugnad.title)
    summary = _("Cancelled: %(title)s") % {"title": title} if cancelled else title
    description = [_text(dugnad.description).strip()]
    if cancelled:
        description.insert(0, _("This dugnad is cancelled."))
    description += [dugnad.committee.name, url]
    event = Event.new(
        uid=dugnad_uid(dugnad),
        sequence=dugnad.sequence,
        stamp=stamp,
        created=dugnad.created_at.astimezone(datetime.UTC),
        last_modified=dugnad.updated_at.astimezone(datetime.UTC),
        start=dugnad.starts_at.astimezone(zone),
        end=dugnad.ends_at.astimezone(zone),
        summary=summary,
        description="\n\n".join(part for part in description if part),
        location=_text(dugnad.meeting_point),
        url=url,
        status="CANCELLED" if cancelled else "CONFIRMED",
        contacts=[dugnad.committee.name],
    )
    event.add("CLASS", "PUBLIC")
    if dugnad.latitude is not None and dugnad.longitude is not None:
        event.add("GEO", (float(dugnad.latitude), float(dugnad.longitude)))
    return event


def dugnads_calendar(
    dugnads,
    *,
    uid: str,
    url: str,
    name: str = "",
    description: str = "",
    now: datetime.datetime | None = None,
) -> Calendar:
    """A VCALENDAR (METHOD:PUBLISH) of ``dugnads`` with the VTIMEZONE their times use.

    ``name`` makes it a feed: a calendar name (NAME, X-WR-CALNAME) and how often to fetch it
    again. The single event has none, as some clients (Outlook) open a file with a calendar
    name as a calendar of its own instead of adding the event to the reader's calendar.
    """
    now = (now or timezone.now()).astimezone(datetime.UTC).replace(microsecond=0)
    calendar = Calendar.new(
        prodid=f"-//{settings.MUNICIPALITY['name']}//Dugnads//{(get_language() or 'nb').upper()}",
        calscale="GREGORIAN",
        method="PUBLISH",
        uid=uid,
        url=url,
    )
    if name:
        calendar.calendar_name = name
        calendar.description = description or name
        calendar.refresh_interval = FEED_REFRESH
        # RFC 7986 § 5.7 requires the value type here, which icalendar leaves out as the default.
        calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
        calendar.add("X-PUBLISHED-TTL", vDuration(FEED_REFRESH))
        calendar.add("X-WR-TIMEZONE", settings.TIME_ZONE)
    dugnads = list(dugnads)
    zone = _zone()
    years = [
        moment.astimezone(zone).year
        for dugnad in dugnads
        for moment in (dugnad.starts_at, dugnad.ends_at)
    ] or [timezone.localdate(now).year]
    calendar.add_component(vtimezone(settings.TIME_ZONE, min(years), max(years)))
    for dugnad in dugnads:
        calendar.add_component(dugnad_event(dugnad, stamp=now))
    return calendar


def dugnad_ics(dugnad: Dugnad) -> bytes:
    """The one dugnad as a calendar file, for "Add to calendar"."""
    return dugnads_calendar(
        [dugnad],
        uid=f"dugnad-{dugnad.pk}-file@{site_host()}",
        url=absolute_url(dugnad.get_absolute_url()),
    ).to_ical()


def feed_ics(dugnads, *, committee=None) -> bytes:
    """A feed of ``dugnads``: the committee's (and its sub-committees'), or the whole portal's."""
    if committee is None:
        name = _("Dugnads – %(name)s") % {"name": settings.MUNICIPALITY["name"]}
        description = _("The neighbourhood committees' dugnads together with %(municipality)s.") % {
            "municipality": settings.MUNICIPALITY["name"]
        }
        uid = f"dugnads@{site_host()}"
        url = absolute_url(reverse("dugnads:dugnad-list"))
    else:
        name = _("Dugnads – %(name)s") % {"name": committee.name}
        description = _(
            "The dugnads of %(name)s and its sub-committees together with %(municipality)s."
        ) % {"name": committee.name, "municipality": settings.MUNICIPALITY["name"]}
        uid = f"dugnads-committee-{committee.pk}@{site_host()}"
        url = absolute_url(committee.get_absolute_url())
    return dugnads_calendar(dugnads, name=name, description=description, uid=uid, url=url).to_ical()
