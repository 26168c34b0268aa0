"""The committee status table, checked pair by pair against the lifecycle in docs/committees.md.

``EXPECTED`` is written out by hand, independently of ``COMMITTEE_STATUS_STEPS``: a step added to
(or dropped from) the table without changing this list fails here, as proposals' table does in
tests/proposals/test_models.py. Each pair is checked in the table, in ``targets()`` for every
party, and through the one service (``committee_set_status``) for an allowed and a refused actor.
"""

import itertools

import pytest
from django.core.exceptions import ValidationError

from committees import services
from committees.models import (
    COMMITTEE_STATUS_STEPS,
    CommitteeStatus,
    CommitteeStatusChange,
    Role,
    StatusParty,
)
from tests.factories import CommitteeFactory, MembershipFactory, UserFactory

S = CommitteeStatus
M = StatusParty.MUNICIPALITY

# forming → constituted → registered → active ⇄ dormant; constituted may fall back to forming,
# registered may become dormant. Every step is the municipality's.
EXPECTED = {
    (S.FORMING, S.CONSTITUTED): {M},
    (S.CONSTITUTED, S.REGISTERED): {M},
    (S.CONSTITUTED, S.FORMING): {M},
    (S.REGISTERED, S.ACTIVE): {M},
    (S.REGISTERED, S.DORMANT): {M},
    (S.ACTIVE, S.DORMANT): {M},
    (S.DORMANT, S.ACTIVE): {M},
}
PAIRS = [(a, b) for a, b in itertools.product(S.values, S.values) if a != b]


def test_the_table_has_exactly_the_expected_steps():
    assert {key: set(step.by) for key, step in COMMITTEE_STATUS_STEPS.items()} == EXPECTED


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_every_pair_of_statuses(source, target):
    expected = EXPECTED.get((source, target), set())
    step = COMMITTEE_STATUS_STEPS.get((source, target))
    assert (set(step.by) if step else set()) == expected
    for party in StatusParty.values:
        assert (target in COMMITTEE_STATUS_STEPS.targets(source, {party})) == (party in expected)
    assert COMMITTEE_STATUS_STEPS.targets(source, set()) == []


def _ready_committee(status: str):
    """A committee that meets every other rule (organisation number, a current leader), so only
    the table decides whether a step is allowed."""
    committee = CommitteeFactory(status=status)
    MembershipFactory(committee=committee, role=Role.LEADER)
    return committee


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_the_service_takes_exactly_the_expected_steps(source, target, superuser):
    committee = _ready_committee(source)
    if (source, target) in EXPECTED:
        services.committee_set_status(committee=committee, status=target, actor=superuser)
        committee.refresh_from_db()
        assert committee.status == target
        change = CommitteeStatusChange.objects.get(committee=committee)
        assert (change.from_state, change.to_state, change.actor_party) == (source, target, M)
    else:
        with pytest.raises(ValidationError) as refused:
            services.committee_set_status(committee=committee, status=target, actor=superuser)
        impossible = str(COMMITTEE_STATUS_STEPS.impossible) % {
            "old": S(source).label,
            "new": S(target).label,
        }
        assert impossible in refused.value.messages
        committee.refresh_from_db()
        assert committee.status == source
        assert not CommitteeStatusChange.objects.filter(committee=committee).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), sorted(EXPECTED))
def test_nobody_but_the_municipality_takes_a_step(source, target):
    """A resident (no staff permission to change committees) is refused every allowed step."""
    committee = _ready_committee(source)
    with pytest.raises(ValidationError) as refused:
        services.committee_set_status(committee=committee, status=target, actor=UserFactory())
    assert refused.value.messages == [str(COMMITTEE_STATUS_STEPS.refused)]
    committee.refresh_from_db()
    assert committee.status == source
