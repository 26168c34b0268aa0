"""Helpers for the public pages' tests (tests/dugnads/test_public_*.py)."""

import datetime
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

ROLES = [
    "anonymous",
    "resident",
    "organiser",
    "board_member",
    "leader",
    "other_committee_leader",
    "case_handler",
]


@pytest.fixture(autouse=True)
def default_language_after():
    """A request in English leaves English active in the thread (the middleware does not switch
    back): restore the site's language, so a later test rendering without a request (as
    tests/larvik_nmu/test_a11y_markup.py does) reads Norwegian. Imported by each test module."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english(client):
    client.cookies["nmu_language"] = "en"
    return client


def login(client, user):
    if user is not None and user.is_authenticated:
        client.force_login(user)
    return client


def days(n: int, hour: int = 10) -> datetime.datetime:
    """An aware time ``n`` days from today at ``hour`` o'clock, local time."""
    day = timezone.localdate() + datetime.timedelta(days=n)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def queries(client, path) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured), response


class Elements(HTMLParser):
    """Start tags with their attributes, and the text inside elements with a given id."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


def hrefs(html: str) -> set[str]:
    return {attrs.get("href") for tag, attrs in tags(html) if tag == "a"}
