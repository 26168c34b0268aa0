"""This year's dugnads, hours and their value on the committee page (the committee and its
sub-committees) and on the front page (all committees, with the next three dugnads), hours
first and kroner second; the same number of queries with 10 and 1,000 dugnads."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dugnads.models import Dugnad, HourlyRate, State
from tests.factories import CommitteeFactory, DugnadFactory, SignupFactory

from .report_helpers import (  # noqa: F401 (fixtures)
    login,
    site_language_after_fixture,
)

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime.datetime(2026, 6, 15, 12, tzinfo=OSLO)


@pytest.fixture(autouse=True)
def in_june_2026():
    with time_machine.travel(NOW, tick=False):
        yield


def english(client):
    client.cookies["nmu_language"] = "en"
    return client


def section(body: str, section_id: str) -> str:
    match = re.search(rf'<section[^>]*id="{section_id}".*?</section>', body, re.S)
    assert match, f"no section {section_id}"
    return match.group(0)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ")


def reported(committee, hours, *, days_ago=30, **fields):
    starts = NOW - datetime.timedelta(days=days_ago)
    return DugnadFactory(
        committee=committee,
        state=State.REPORTED,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
        hours_total=Decimal(hours),
        participant_count=10,
        **fields,
    )


def upcoming(committee, days, **fields):
    starts = NOW + datetime.timedelta(days=days)
    return DugnadFactory(
        committee=committee,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        **fields,
    )


# --- the committee page ------------------------------------------------------------------------


def test_the_committee_page_shows_hours_first_then_their_value(client, committee, other_committee):
    child = CommitteeFactory(name="Svarstad sentrum", slug="svarstad-sentrum", parent=committee)
    reported(committee, "300")
    reported(child, "12")
    reported(other_committee, "1000")
    reported(committee, "500", days_ago=400)  # last year
    body = english(client).get(committee.get_absolute_url()).content.decode()
    figures = text(section(body, "dugnad-figures"))
    assert "Dugnads in 2026" in figures
    assert "312 hours – value NOK 109,200" in figures
    assert figures.index("312 hours") < figures.index("NOK 109,200")
    assert "2 dugnads held and reported" in figures
    assert "NOK 350 an hour (Kulturminnefondet, dugnadssats)" in figures


def test_the_committee_page_without_a_rate_shows_the_hours_only(client, committee):
    reported(committee, "312")
    HourlyRate.objects.filter(year=2026).delete()
    figures = text(
        section(
            english(client).get(committee.get_absolute_url()).content.decode(), "dugnad-figures"
        )
    )
    assert "312 hours" in figures and "NOK" not in figures and "kr" not in figures
    assert "is not set yet" in figures


def test_the_committee_page_follows_a_changed_rate(client, committee):
    reported(committee, "10")
    HourlyRate.objects.filter(year=2026).update(nok_per_hour=Decimal("412.50"))
    figures = text(
        section(
            english(client).get(committee.get_absolute_url()).content.decode(), "dugnad-figures"
        )
    )
    assert "10 hours – value NOK 4,125" in figures


def test_norwegian_numbers_on_the_norwegian_page(client, committee):
    reported(committee, "1234.5")
    figures = section(client.get(committee.get_absolute_url()).content.decode(), "dugnad-figures")
    assert "1\xa0234,5" in figures and "kr\xa0432\xa0075" in figures


# --- the front page -----------------------------------------------------------------------------


def test_the_front_page_has_this_years_figures_for_all_committees(
    client, committee, other_committee
):
    reported(committee, "300")
    reported(other_committee, "12")
    body = english(client).get(reverse("home")).content.decode()
    assert 'id="coming-heading"' not in body  # the "Coming soon" box is gone
    figures = text(section(body, "dugnad-figures"))
    assert "312 hours – value NOK 109,200" in figures
    assert "2 dugnads held and reported" in figures


def test_the_front_page_lists_the_next_three_dugnads_and_links_to_all(client, committee):
    later = [upcoming(committee, days, title=f"Dugnad om {days} dager") for days in (9, 3, 5, 7)]
    upcoming(committee, 1, title="Avlyst dugnad", state=State.CANCELLED)
    upcoming(committee, 2, title="Utkast", state=State.DRAFT, published_at=None)
    listed = section(english(client).get(reverse("home")).content.decode(), "next-dugnads")
    titles = re.findall(r'<a class="ds-link" href="/dugnad/\d+/">([^<]+)</a>', listed)
    assert titles == ["Dugnad om 3 dager", "Dugnad om 5 dager", "Dugnad om 7 dager"]
    assert later[0].title not in listed
    assert f'href="{reverse("dugnads:dugnad-list")}"' in listed


def test_the_front_page_with_no_dugnads(client):
    body = english(client).get(reverse("home")).content.decode()
    assert "0 hours – value NOK 0" in text(section(body, "dugnad-figures"))
    assert "No dugnads are planned right now." in section(body, "next-dugnads")


# --- query counts -------------------------------------------------------------------------------


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def grow(committee, n: int, offset: int) -> None:
    """``n`` dugnads: half reported earlier this year, half upcoming (a few with sign-ups)."""
    past = NOW - datetime.timedelta(days=60)
    future = NOW + datetime.timedelta(days=1)
    rows = []
    for i in range(n):
        if i % 2:
            starts = past + datetime.timedelta(minutes=offset + i)
            rows.append(
                DugnadFactory.build(
                    committee=committee,
                    state=State.REPORTED,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=1),
                    hours_total=Decimal(2),
                )
            )
        else:
            starts = future + datetime.timedelta(minutes=offset + i)
            rows.append(
                DugnadFactory.build(
                    committee=committee,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=1),
                    capacity=5,
                )
            )
    made = Dugnad.objects.bulk_create(rows)
    for dugnad in made[:4:2]:
        SignupFactory(dugnad=dugnad)


@pytest.mark.parametrize("role", ["anonymous", "resident", "leader"])
@pytest.mark.parametrize("where", ["home", "committee"])
def test_the_same_queries_with_10_and_1000_dugnads(client, user_in_role, committee, role, where):
    login(client, user_in_role(role))
    url = reverse("home") if where == "home" else committee.get_absolute_url()
    english(client)
    grow(committee, 10, 0)
    small, _ = queries(client, url)
    grow(committee, 990, 10)
    large, body = queries(client, url)
    assert small == large, (small, large)
    print(f"{where} as {role}: {small} queries with 10 and with 1,000 dugnads")
    assert "1000 hours" in text(section(body, "dugnad-figures")).replace("1,000", "1000")
