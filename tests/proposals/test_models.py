"""The transition table, checked against the case flow as the issue describes it, pair by pair."""

import itertools

import pytest

from proposals.models import Party, State
from proposals.steps import TRANSITIONS, allowed_targets

S, P = State, Party
A, C, M = P.AUTHOR, P.COMMITTEE, P.MUNICIPALITY
OPEN = [S.SUBMITTED, S.COMMITTEE_REVIEW, S.FORWARDED, S.RECEIVED, S.IN_REVIEW, S.INFO_REQUESTED]
OUTCOMES = [S.ACCEPTED, S.PARTLY_ACCEPTED, S.REJECTED]

# Written out independently of the model: who may move a proposal from where to where.
EXPECTED = {
    (S.DRAFT, S.SUBMITTED): {A},
    (S.SUBMITTED, S.COMMITTEE_REVIEW): {C},
    (S.SUBMITTED, S.FORWARDED): {C},
    (S.SUBMITTED, S.DECLINED): {C},
    (S.COMMITTEE_REVIEW, S.FORWARDED): {C},
    (S.COMMITTEE_REVIEW, S.DECLINED): {C},
    (S.FORWARDED, S.RECEIVED): {M},
    (S.RECEIVED, S.IN_REVIEW): {M},
    (S.FORWARDED, S.INFO_REQUESTED): {M},
    (S.RECEIVED, S.INFO_REQUESTED): {M},
    (S.IN_REVIEW, S.INFO_REQUESTED): {M},
    (S.INFO_REQUESTED, S.IN_REVIEW): {C},
    **{
        (src, out): {M}
        for src in [S.FORWARDED, S.RECEIVED, S.IN_REVIEW, S.INFO_REQUESTED]
        for out in OUTCOMES
    },
    # The committee takes it further itself (a dugnad made of it): by a service, no button.
    (S.SUBMITTED, S.IN_PROGRESS): {C},
    (S.COMMITTEE_REVIEW, S.IN_PROGRESS): {C},
    (S.ACCEPTED, S.IN_PROGRESS): {M, C},
    (S.PARTLY_ACCEPTED, S.IN_PROGRESS): {M, C},
    (S.IN_PROGRESS, S.COMPLETED): {M, C},
    **{(src, S.WITHDRAWN): {A} for src in OPEN},
}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(State.values, State.values)))
def test_every_pair_of_states(source, target):
    expected = EXPECTED.get((source, target), set())
    transition = TRANSITIONS.get((source, target))
    assert (set(transition.by) if transition else set()) == expected
    offered = expected if not (transition and transition.by_service) else set()
    for party in (A, C, M):
        assert (target in allowed_targets(source, {party})) == (party in offered)


def test_reasons_are_required_where_the_issue_says():
    assert TRANSITIONS[(S.SUBMITTED, S.DECLINED)].message_required
    assert TRANSITIONS[(S.COMMITTEE_REVIEW, S.DECLINED)].message_required
    assert TRANSITIONS[(S.IN_REVIEW, S.INFO_REQUESTED)].message_required
    assert TRANSITIONS[(S.INFO_REQUESTED, S.IN_REVIEW)].message_required
    assert not TRANSITIONS[(S.SUBMITTED, S.FORWARDED)].message_required


def test_final_states_lead_nowhere():
    for final in (S.DECLINED, S.REJECTED, S.COMPLETED, S.WITHDRAWN):
        assert allowed_targets(final, {A, C, M}) == []
