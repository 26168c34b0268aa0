"""proposals.figures read directly (the key figures, ``grants.key_figures``, read it too): each
count in the year its event happened in Oslo — received (submitted), answered (decided, or
declined by the committee), accepted (decided as accepted or partly accepted) — and both sides'
median answer times, per committee and over every committee's cases, None when nobody answered."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from proposals.figures import CommitteeProposals, median_days, proposal_year_figures
from proposals.models import OfficialAnswer, ProposalEvent
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

D = Decimal
OSLO = ZoneInfo("Europe/Oslo")
YEAR = 2025


def at(month, day, hour=10, *, year=YEAR, tz=OSLO):
    return datetime.datetime(year, month, day, hour, tzinfo=tz)


def proposal(committee, *, submitted=None, state="submitted", **fields):
    return ProposalFactory(
        committee=committee, state=state, submitted_at=submitted or at(2, 1), **fields
    )


def step(proposal, when, *, to, party="committee", kind="transition", since="submitted"):
    return ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        actor_party=party,
        from_state=since,
        to_state=to,
        created_at=when,
    )


def decided(committee, when, outcome, *, state=None, submitted=None):
    """A case forwarded and decided on ``when`` with an official answer of ``outcome``."""
    case = proposal(
        committee,
        submitted=submitted,
        state=state or outcome,
        forwarded_at=(submitted or at(2, 1)) + datetime.timedelta(days=1),
        decided_at=when,
    )
    OfficialAnswer.objects.create(proposal=case, outcome=outcome, body="Svar", published_at=when)
    return case


def figures(year=YEAR):
    return proposal_year_figures(year=year)


def of(committee, year=YEAR):
    return figures(year).by_committee.get(committee.pk, CommitteeProposals())


# --- the counts ---------------------------------------------------------------------------------


def test_received_in_the_year_it_was_submitted_in_oslo(committee):
    proposal(committee, submitted=datetime.datetime(YEAR, 1, 1, 0, 0, tzinfo=OSLO))
    proposal(committee, submitted=datetime.datetime(YEAR, 12, 31, 23, 59, tzinfo=OSLO))
    proposal(committee, submitted=datetime.datetime(YEAR + 1, 1, 1, 0, 0, tzinfo=OSLO))
    # 23:30 UTC on New Year's Eve is already the next year in Oslo.
    proposal(committee, submitted=datetime.datetime(YEAR, 12, 31, 23, 30, tzinfo=datetime.UTC))
    ProposalFactory(committee=committee, state="draft", reference=None, submitted_at=None)
    assert of(committee).received == 2
    assert of(committee, YEAR + 1).received == 2
    assert of(committee, YEAR - 1).received == 0


def test_answered_when_decided_or_declined_in_the_year(committee):
    decided(committee, at(3, 1), "accepted")
    decided(committee, at(4, 1), "rejected")
    declined = proposal(committee, state="declined")
    step(declined, at(2, 7), to="declined")
    proposal(committee)  # not answered yet
    decided(committee, at(1, 10, year=YEAR + 1), "accepted")  # next year's answer
    late = proposal(committee, state="declined")
    step(late, at(1, 5, year=YEAR + 1), to="declined")
    assert (of(committee).received, of(committee).answered) == (6, 3)
    assert (of(committee, YEAR + 1).received, of(committee, YEAR + 1).answered) == (0, 2)


def test_a_case_received_last_year_is_answered_in_the_year_of_its_answer(committee):
    decided(committee, at(1, 20), "accepted", submitted=at(12, 1, year=YEAR - 1))
    assert (of(committee, YEAR - 1).received, of(committee, YEAR - 1).answered) == (1, 0)
    assert of(committee, YEAR - 1).accepted == 0
    assert (of(committee).received, of(committee).answered, of(committee).accepted) == (0, 1, 1)


def test_accepted_is_the_answers_outcome_even_after_the_case_moved_on(committee):
    decided(committee, at(3, 1), "accepted")
    decided(committee, at(3, 2), "partly_accepted")
    decided(committee, at(3, 3), "accepted", state="in_progress")
    decided(committee, at(3, 4), "partly_accepted", state="completed")
    decided(committee, at(3, 5), "rejected")
    declined = proposal(committee, state="declined")
    step(declined, at(2, 7), to="declined")
    assert (of(committee).answered, of(committee).accepted) == (6, 4)


def test_each_committee_its_own_cases(committee, other_committee):
    decided(committee, at(3, 1), "accepted")
    proposal(other_committee)
    proposal(other_committee)
    assert (of(committee).received, of(committee).accepted) == (1, 1)
    assert (of(other_committee).received, of(other_committee).accepted) == (2, 0)


def test_a_year_with_nothing_is_empty(committee):
    proposal(committee)
    result = figures(YEAR - 1)
    assert result.by_committee == {}
    assert (result.committee_days, result.municipality_days) == (None, None)


# --- the committee's answer time ----------------------------------------------------------------


def test_the_committees_time_is_to_its_first_step_on_the_timeline(committee):
    case = proposal(committee, submitted=at(2, 1))
    step(case, at(2, 3), to="committee_review")  # taken up after 2 days: this one
    step(case, at(2, 11), to="forwarded", since="committee_review")
    assert of(committee).committee_days == D("2.0")


def test_notes_and_other_parties_steps_are_not_the_committees_answer(committee):
    case = proposal(committee, submitted=at(2, 1))
    step(case, at(2, 2), to="", kind="followed_up")  # not a step on the timeline
    step(case, at(2, 6), to="forwarded")
    withdrawn = proposal(committee, submitted=at(2, 1), state="withdrawn")
    step(withdrawn, at(2, 2), to="withdrawn", party="author")
    assert of(committee).committee_days == D("5.0")


def test_the_committees_time_counts_in_the_year_of_its_first_step(committee):
    case = proposal(committee, submitted=at(12, 20, year=YEAR - 1))
    step(case, at(1, 3), to="declined")
    assert of(committee, YEAR - 1).committee_days is None
    assert of(committee).committee_days == D("14.0")
    assert of(committee, YEAR + 1).committee_days is None


# --- the municipality's answer time -------------------------------------------------------------


def test_the_municipalitys_time_is_from_forwarding_to_its_first_response(committee):
    proposal(committee, forwarded_at=at(2, 3), first_response_at=at(2, 7))
    proposal(committee, forwarded_at=at(2, 3))  # no response yet: not in the median
    assert of(committee).municipality_days == D("4.0")


def test_the_municipalitys_time_counts_in_the_year_of_its_first_response(committee):
    proposal(
        committee,
        submitted=at(12, 1, year=YEAR - 1),
        forwarded_at=at(12, 30, year=YEAR - 1),
        first_response_at=datetime.datetime(YEAR, 1, 1, 0, 0, tzinfo=OSLO),
    )
    proposal(committee, forwarded_at=at(12, 1), first_response_at=at(1, 1, 0, year=YEAR + 1))
    assert of(committee, YEAR - 1).municipality_days is None
    assert of(committee).municipality_days == D("1.6")  # 30 Dec 10:00 → 1 Jan 00:00
    assert of(committee, YEAR + 1).municipality_days == D("30.6")


# --- both sides ---------------------------------------------------------------------------------


def test_the_two_sides_are_kept_apart(committee, other_committee):
    both = proposal(
        committee, submitted=at(2, 1), forwarded_at=at(2, 3), first_response_at=at(2, 10)
    )
    step(both, at(2, 3), to="forwarded")
    only_committee = proposal(other_committee, submitted=at(2, 1))
    step(only_committee, at(2, 4), to="declined")
    assert (of(committee).committee_days, of(committee).municipality_days) == (D("2.0"), D("7.0"))
    assert of(other_committee).committee_days == D("3.0")
    assert of(other_committee).municipality_days is None
    result = figures()
    assert (result.committee_days, result.municipality_days) == (D("2.5"), D("7.0"))


def test_none_answered_on_either_side_is_none_not_zero(committee):
    proposal(committee, forwarded_at=at(2, 3))
    assert of(committee) == CommitteeProposals(received=1)
    result = figures()
    assert (result.committee_days, result.municipality_days) == (None, None)


def test_medians_per_committee_and_over_every_case_not_of_the_medians(committee, other_committee):
    for days in (1, 2, 6):
        case = proposal(committee, submitted=at(3, 1))
        step(case, at(3, 1 + days), to="committee_review")
    for days in (1, 2):
        case = proposal(other_committee, submitted=at(3, 1))
        step(case, at(3, 1 + days), to="committee_review")
    assert of(committee).committee_days == D("2.0")  # the middle one
    assert of(other_committee).committee_days == D("1.5")  # the middle of two
    # Every case: 1, 1, 2, 2, 6 → 2 (the committees' medians, 2 and 1.5, would give 1.8).
    assert figures().committee_days == D("2.0")


def test_the_overall_median_is_the_middle_case_of_all_committees(committee, other_committee):
    for days in (1, 2, 3):
        proposal(committee, forwarded_at=at(3, 1), first_response_at=at(3, 1 + days))
    proposal(other_committee, forwarded_at=at(3, 1), first_response_at=at(3, 11))
    assert of(committee).municipality_days == D("2.0")
    assert of(other_committee).municipality_days == D("10.0")
    assert figures().municipality_days == D("2.5")  # not (2 + 10) / 2


def test_a_step_recorded_before_the_submission_is_no_negative_time(committee):
    case = proposal(committee, submitted=at(3, 2))
    step(case, at(3, 1), to="committee_review")
    assert of(committee).committee_days == D("0.0")


def test_median_days_rounds_half_up_to_a_tenth():
    hours = datetime.timedelta(hours=1)
    assert median_days([]) is None
    assert median_days([6 * hours]) == D("0.3")  # 0.25 days
    assert median_days([18 * hours]) == D("0.8")  # 0.75 days
    assert median_days([hours, 2 * hours, 50 * hours]) == D("0.1")


def test_three_queries_for_every_committee(committee, other_committee, django_assert_num_queries):
    decided(committee, at(3, 1), "accepted")
    case = proposal(other_committee)
    step(case, at(2, 3), to="declined")
    with django_assert_num_queries(3):
        assert len(figures().by_committee) == 2
