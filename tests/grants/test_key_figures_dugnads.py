"""The key figures' dugnads (``grants.key_figures`` and /nokkeltall/): only reported dugnads'
hours and participants count — a reported dugnad's are what its report says; a held dugnad not
yet reported counts as held with no hours; a planned (draft, published) or cancelled dugnad
counts for nothing, whatever hours and participants it carries, and gives its year no figures."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from dugnads.models import HourlyRate
from grants.key_figures import figures_for_year, years_available
from tests.factories import DugnadFactory

pytestmark = pytest.mark.django_db

D = Decimal
YEAR = 2023
NOT_COUNTED = ["draft", "published", "cancelled"]


def dugnad(committee, state, *, month=6, hours="500", people=50):
    starts = datetime.datetime(YEAR, month, 1, 10, tzinfo=datetime.UTC)
    return DugnadFactory(
        committee=committee,
        state=state,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
        resources_due=None,
        hours_total=D(hours),
        participant_count=people,
    )


@pytest.fixture
def rate():
    HourlyRate.objects.update_or_create(
        year=YEAR, defaults={"nok_per_hour": D("350"), "source": "Test 2023"}
    )


@pytest.fixture
def dugnads(committee, other_committee, rate):
    """Svarstad: reported (20 h, 8 people), held not reported (99 h, 99 people), and a draft, a
    published and a cancelled one (500 h, 50 people each); Stavern: a cancelled one only."""
    dugnad(committee, "reported", hours="20", people=8)
    dugnad(committee, "completed", month=7, hours="99", people=99)
    for state in NOT_COUNTED:
        dugnad(committee, state, month=8)
    dugnad(other_committee, "cancelled")


def row_of(figures, committee):
    return next(r for r in figures.rows if r.committee.pk == committee.pk)


def test_only_the_reported_dugnads_hours_and_participants_count(
    committee, other_committee, dugnads
):
    figures = figures_for_year(year=YEAR)
    svarstad = row_of(figures, committee)
    assert (svarstad.dugnad_hours, svarstad.hours, svarstad.value) == (D("20"), D("20"), D("7000"))
    assert (svarstad.dugnads_held, svarstad.participants) == (2, 8)  # the held one: no hours
    stavern = row_of(figures, other_committee)
    assert (stavern.dugnad_hours, stavern.dugnads_held, stavern.participants) == (0, 0, 0)
    totals = figures.totals
    assert (totals.dugnad_hours, totals.dugnads_held, totals.participants) == (D("20"), 2, 8)
    assert totals.value == D("7000")


@pytest.mark.parametrize("state", NOT_COUNTED + ["completed"])
def test_a_dugnad_not_reported_brings_no_hours_or_participants(committee, rate, state):
    dugnad(committee, state)
    row = row_of(figures_for_year(year=YEAR), committee)
    assert (row.dugnad_hours, row.participants, row.value) == (0, 0, 0)
    assert row.dugnads_held == (1 if state == "completed" else 0)


@pytest.mark.parametrize("state", NOT_COUNTED)
def test_a_year_with_only_planned_or_cancelled_dugnads_has_no_figures(committee, state):
    starts = datetime.datetime(2019, 6, 1, 10, tzinfo=datetime.UTC)
    DugnadFactory(
        committee=committee,
        state=state,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
        resources_due=None,
        hours_total=D("500"),
        participant_count=50,
    )
    assert 2019 not in years_available()


def cells(html, row_id):
    row = re.search(rf'<tr id="{row_id}">(.*?)</tr>', html, re.S).group(1)
    return [
        re.sub(r"<[^>]+>|\s+", " ", c).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def test_the_page_shows_the_reported_dugnads_only(client, dugnads):
    client.cookies["nmu_language"] = "en"
    response = client.get(reverse("figures:key-figures"), {"year": str(YEAR)})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Key figures {YEAR}" in html
    dugnad_hours, agreement_hours, hours, _value, held, participants = cells(
        html, "key-figures-hours-total"
    )
    assert (dugnad_hours, agreement_hours, hours, held, participants) == ("20", "0", "20", "2", "8")
    summary = re.search(r'id="key-figure-hours">(.*?)</dd>', html, re.S).group(1)
    assert summary.startswith("20 hours")
    assert re.search(r'id="key-figure-dugnads">(.*?)</dd>', html, re.S).group(1) == "2 · 8"
