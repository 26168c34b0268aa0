"""dugnads.figures' selectors read directly (they are read by the key figures, ``grants.
key_figures``, too): ``counted_q``, the one rule for whose hours count — reported, started in
the year in Oslo — and ``dugnad_figures_by_committee``, each committee's dugnads held (held or
reported), and the reported ones' hours and participants. Every dugnad here has hours and
participants, so a dugnad that is left out is left out by the rule, not for having none."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dugnads.figures import (
    CommitteeDugnads,
    counted_q,
    dugnad_figures_by_committee,
    dugnad_year_figures,
)
from dugnads.models import Dugnad, State
from tests.factories import CommitteeFactory, DugnadFactory

pytestmark = pytest.mark.django_db

D = Decimal
OSLO = ZoneInfo("Europe/Oslo")
YEAR = 2026
MAY = datetime.datetime(YEAR, 5, 2, 10, tzinfo=OSLO)
# Not reported: their hours and participants are not known, whatever is in the fields.
NOT_REPORTED = [State.DRAFT, State.PUBLISHED, State.CANCELLED, State.COMPLETED]


def dugnad(committee, *, state=State.REPORTED, starts=MAY, hours="10", people=8):
    return DugnadFactory(
        committee=committee,
        state=state,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
        resources_due=None,
        hours_total=None if hours is None else D(hours),
        participant_count=people,
    )


def counted(year=YEAR):
    return set(Dugnad.objects.filter(counted_q(year)).values_list("pk", flat=True))


# --- counted_q ---------------------------------------------------------------------------------


def test_counted_q_is_the_reported_dugnads_only(committee):
    reported = dugnad(committee)
    for state in NOT_REPORTED:
        dugnad(committee, state=state)
    assert counted() == {reported.pk}


@pytest.mark.parametrize(
    ("starts", "year"),
    [
        (datetime.datetime(YEAR, 1, 1, 0, 0, tzinfo=OSLO), YEAR),  # the first moment: in
        (datetime.datetime(YEAR, 12, 31, 23, 59, 59, tzinfo=OSLO), YEAR),
        (datetime.datetime(YEAR + 1, 1, 1, 0, 0, tzinfo=OSLO), YEAR + 1),  # the next year's
        (datetime.datetime(YEAR, 12, 31, 23, 30, tzinfo=datetime.UTC), YEAR + 1),  # Oslo: 00:30
        (datetime.datetime(YEAR - 1, 12, 31, 23, 30, tzinfo=datetime.UTC), YEAR),
    ],
    ids=["first-moment", "last-moment", "next-new-year", "utc-new-years-eve", "utc-last-year"],
)
def test_counted_q_counts_a_dugnad_in_the_year_it_started_in_oslo(committee, starts, year):
    one = dugnad(committee, starts=starts)
    assert counted(year) == {one.pk}
    assert counted(year - 1) == set() and counted(year + 1) == set()


# --- dugnad_figures_by_committee ---------------------------------------------------------------


def test_each_committee_gets_its_reported_dugnads_hours_and_participants(
    committee, other_committee
):
    dugnad(committee, hours="10", people=8)
    dugnad(committee, hours="2.5", people=3)
    dugnad(other_committee, hours="7", people=4)
    assert dugnad_figures_by_committee(year=YEAR) == {
        committee.pk: CommitteeDugnads(held=2, reported=2, hours=D("12.5"), participants=11),
        other_committee.pk: CommitteeDugnads(held=1, reported=1, hours=D("7"), participants=4),
    }


def test_a_held_dugnad_not_yet_reported_is_held_with_no_hours_or_participants(committee):
    dugnad(committee, hours="10", people=8)
    dugnad(committee, state=State.COMPLETED, hours="99", people=99)
    assert dugnad_figures_by_committee(year=YEAR)[committee.pk] == CommitteeDugnads(
        held=2, reported=1, hours=D("10"), participants=8
    )


@pytest.mark.parametrize("state", [State.DRAFT, State.PUBLISHED, State.CANCELLED])
def test_a_planned_or_cancelled_dugnad_counts_for_nothing(committee, state):
    dugnad(committee, state=state, hours="99", people=99)
    assert dugnad_figures_by_committee(year=YEAR) == {}
    dugnad(committee, hours="10", people=8)
    assert dugnad_figures_by_committee(year=YEAR)[committee.pk] == CommitteeDugnads(
        held=1, reported=1, hours=D("10"), participants=8
    )


def test_a_reported_dugnad_without_hours_counts_as_held_with_zero_hours(committee):
    dugnad(committee, hours=None, people=None)
    assert dugnad_figures_by_committee(year=YEAR)[committee.pk] == CommitteeDugnads(
        held=1, reported=1, hours=D(0), participants=0
    )


@pytest.mark.parametrize("state", [State.REPORTED, State.COMPLETED])
def test_held_counts_in_the_year_the_dugnad_started_in_oslo(committee, state):
    dugnad(committee, state=state, starts=datetime.datetime(YEAR, 1, 1, 0, 0, tzinfo=OSLO))
    dugnad(committee, state=state, starts=datetime.datetime(YEAR + 1, 1, 1, 0, 0, tzinfo=OSLO))
    # 23:30 UTC on New Year's Eve is already the next year in Oslo.
    dugnad(
        committee, state=state, starts=datetime.datetime(YEAR, 12, 31, 23, 30, tzinfo=datetime.UTC)
    )
    assert dugnad_figures_by_committee(year=YEAR)[committee.pk].held == 1
    assert dugnad_figures_by_committee(year=YEAR + 1)[committee.pk].held == 2
    assert dugnad_figures_by_committee(year=YEAR - 1) == {}


def test_a_sub_committees_dugnads_are_its_own_not_its_parents(committee):
    child = CommitteeFactory(name="Svarstad sentrum", slug="svarstad-sentrum", parent=committee)
    dugnad(committee, hours="10", people=8)
    dugnad(child, hours="5", people=2)
    figures = dugnad_figures_by_committee(year=YEAR)
    assert figures[committee.pk] == CommitteeDugnads(
        held=1, reported=1, hours=D("10"), participants=8
    )
    assert figures[child.pk] == CommitteeDugnads(held=1, reported=1, hours=D("5"), participants=2)


def test_summed_over_the_committees_the_hours_are_the_all_committee_figure(
    committee, other_committee
):
    child = CommitteeFactory(name="Svarstad sentrum", slug="svarstad-sentrum", parent=committee)
    for owner, hours in ((committee, "10"), (child, "5"), (other_committee, "2.5")):
        dugnad(owner, hours=hours)
        dugnad(owner, state=State.COMPLETED, hours="99")
        dugnad(owner, state=State.CANCELLED, hours="99")
    dugnad(committee, hours="40", starts=datetime.datetime(YEAR + 1, 1, 1, 0, 0, tzinfo=OSLO))
    by_committee = dugnad_figures_by_committee(year=YEAR)
    assert sum((f.hours for f in by_committee.values()), D(0)) == D("17.5")
    assert dugnad_year_figures(year=YEAR).hours == D("17.5")


def test_one_query_for_every_committee(committee, other_committee, django_assert_num_queries):
    dugnad(committee)
    dugnad(other_committee)
    with django_assert_num_queries(1):
        assert len(dugnad_figures_by_committee(year=YEAR)) == 2
