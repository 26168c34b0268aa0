"""Reading the calendar files back, for the tests of dugnads/calendar.py (test_calendar_*.py)."""

from django.urls import reverse
from icalendar import Calendar


def ics_url(dugnad) -> str:
    return reverse("dugnads:dugnad-ics", kwargs={"pk": dugnad.pk})


def feed_url(committee=None) -> str:
    if committee is None:
        return reverse("dugnads:feed-all")
    return reverse("dugnads:feed-committee", kwargs={"slug": committee.slug})


def parse(response) -> Calendar:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(response) -> dict[str, object]:
    """The VEVENTs of a calendar response by UID."""
    return {str(event["UID"]): event for event in parse(response).walk("VEVENT")}


def the_event(response):
    (event,) = parse(response).walk("VEVENT")
    return event


def dugnad_uid_of(dugnad) -> str:
    """The UID a dugnad's event must have, worked out here rather than by the code under test."""
    from urllib.parse import urlsplit

    from django.conf import settings

    return f"dugnad-{dugnad.pk}@{urlsplit(settings.SITE_URL).hostname}"
