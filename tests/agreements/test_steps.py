"""The agreement's step table, pair by pair against an independent copy of the rules (the
issue's list), and every transition tried by every role through the one service."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from agreements import services
from agreements.models import Agreement, AgreementEvent, Party, State
from agreements.steps import TRANSITIONS

S, P = State, Party
C, M, SYS = P.COMMITTEE, P.MUNICIPALITY, P.SYSTEM

# (source, target) -> (who may, taken only by a service, a reason required). Written from the
# issue, not from steps.py: draft → sent for signing → signed by the committee → signed by both
# → active → expiring → ended | renewed | terminated (a reason, either party, after notice).
EXPECTED = {
    (S.DRAFT, S.SENT): ({M, C}, False, False),
    (S.SENT, S.DRAFT): ({M, C}, False, False),
    (S.SENT, S.SIGNED_COMMITTEE): ({C}, True, False),
    (S.SIGNED_COMMITTEE, S.SIGNED_MUNICIPALITY): ({M}, True, False),
    (S.SIGNED_COMMITTEE, S.SENT): ({M, C, SYS}, True, False),
    (S.SIGNED_MUNICIPALITY, S.ACTIVE): ({SYS}, True, False),
    (S.ACTIVE, S.EXPIRING): ({SYS}, True, False),
    (S.EXPIRING, S.ACTIVE): ({SYS}, True, False),
    (S.ACTIVE, S.ENDED): ({SYS}, True, False),
    (S.EXPIRING, S.ENDED): ({SYS}, True, False),
    (S.ACTIVE, S.RENEWED): ({SYS}, True, False),
    (S.EXPIRING, S.RENEWED): ({SYS}, True, False),
    (S.ACTIVE, S.TERMINATED): ({M, C}, False, True),
    (S.EXPIRING, S.TERMINATED): ({M, C}, False, True),
}

ROLE_PARTIES = {
    "anonymous": set(),
    "resident": set(),
    "board_member": set(),  # the board reports; only the leader acts for the committee
    "leader": {C},
    "other_committee_leader": set(),
    "case_handler": {M},
    "staff_without_group": set(),
    "superuser": {M},
}

PAIRS = list(itertools.product(State.values, State.values))


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_the_table_is_the_issues_rules_pair_by_pair(source, target):
    expected = EXPECTED.get((source, target))
    step = TRANSITIONS.get((source, target))
    if expected is None:
        assert step is None, f"{source} → {target} should not exist"
        return
    assert step is not None, f"{source} → {target} is missing"
    parties, by_service, reason = expected
    assert set(step.by) == parties
    assert step.by_service is by_service
    assert step.message_required is reason


def test_nothing_leaves_a_closed_agreement():
    for closed in (S.ENDED, S.RENEWED, S.TERMINATED):
        assert not [pair for pair in TRANSITIONS if pair[0] == closed]


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ROLE_PARTIES))
def test_every_step_by_every_role_through_the_service(role, user_in_role, draft, leader):
    """Each role tries every pair from every state: exactly the table's own steps for its
    parties succeed, each with one timeline line; the rest are refused and change nothing."""
    user = user_in_role(role)
    for source, target in PAIRS:
        Agreement.objects.filter(pk=draft.pk).update(state=source)
        before = AgreementEvent.objects.filter(agreement=draft).count()
        expected = EXPECTED.get((source, target))
        may = expected is not None and not expected[1] and bool(expected[0] & ROLE_PARTIES[role])
        try:
            services.agreement_transition(
                agreement=draft, actor=user, to_state=target, message="Vi har ikke folk lenger."
            )
        except ValidationError:
            assert not may, f"{role} was refused {source} → {target}"
            assert Agreement.objects.get(pk=draft.pk).state == source
            assert AgreementEvent.objects.filter(agreement=draft).count() == before
        else:
            assert may, f"{role} took {source} → {target}"
            assert Agreement.objects.get(pk=draft.pk).state == target
            event = AgreementEvent.objects.filter(agreement=draft).latest("pk")
            assert (event.from_state, event.to_state) == (source, target)
            assert event.actor_party in ROLE_PARTIES[role]


@pytest.mark.django_db
def test_terminating_needs_a_reason_and_ends_after_notice(active, case_handler):
    import datetime

    from django.utils import timezone

    from core.deadlines import add_months

    with pytest.raises(ValidationError):
        services.agreement_terminate(agreement=active, actor=case_handler, reason="  ")
    assert Agreement.objects.get(pk=active.pk).state == S.ACTIVE
    Agreement.objects.filter(pk=active.pk).update(
        ends_on=timezone.localdate() + datetime.timedelta(days=800)
    )
    agreement = services.agreement_terminate(
        agreement=active, actor=case_handler, reason="Utvalget er lagt ned."
    )
    assert agreement.state == S.TERMINATED
    assert agreement.terminated_on == add_months(timezone.localdate(), active.notice_months)
    assert agreement.last_day == agreement.terminated_on
    assert agreement.events.latest("pk").message == "Utvalget er lagt ned."


@pytest.mark.django_db
def test_an_agreement_without_tasks_cannot_be_sent(committee, department, case_handler):
    from tests.factories import AgreementFactory

    empty = AgreementFactory(committee=committee, department=department, state="draft")
    with pytest.raises(ValidationError):
        services.agreement_send(agreement=empty, actor=case_handler)
    assert Agreement.objects.get(pk=empty.pk).state == S.DRAFT
