"""Signing through the service: the order (the committee's leader, then a case handler of the
department who may sign), the password, the terms' hash the signer saw, a change of terms
voiding a signature, coming into force at once, and the origin proposal hearing of it."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, AgreementEvent, Party, Signature, State
from agreements.services.signing import WRONG_PASSWORD, agreement_activate, agreement_sign
from agreements.terms import terms_hash
from proposals.models import EventKind, ProposalEvent
from proposals.states import State as ProposalState
from tests.factories import (
    PASSWORD,
    AgreementFactory,
    DepartmentStaffFactory,
    ProposalFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals are matched in English (the services speak the active language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def sent_agreement(committee, department, **fields) -> Agreement:
    """Sent for signing, one task; it starts next month unless told otherwise."""
    today = timezone.localdate()
    fields.setdefault("starts_on", today + datetime.timedelta(days=30))
    fields.setdefault("ends_on", fields["starts_on"] + datetime.timedelta(days=365))
    agreement = AgreementFactory(committee=committee, department=department, state="sent", **fields)
    TaskFactory(agreement=agreement)
    return agreement


def sign(agreement, user, party, **overrides) -> Signature:
    arguments = {
        "password": PASSWORD,
        "terms_sha256": terms_hash(Agreement.objects.get(pk=agreement.pk)),
        "role": "",
        "phone": "",
        **overrides,
    }
    return agreement_sign(agreement=agreement, actor=user, party=party, **arguments)


def fresh(agreement) -> Agreement:
    return Agreement.objects.get(pk=agreement.pk)


@pytest.fixture
def sent(committee, department):
    return sent_agreement(committee, department)


def test_the_committee_signs_first_then_the_municipality(sent, leader, signer):
    first = sign(sent, leader, Party.COMMITTEE, role="Leder", phone="+47 900 00 000")
    agreement = fresh(sent)
    assert agreement.state == State.SIGNED_COMMITTEE
    assert agreement.signed_at is None
    assert (first.signer, first.signer_name, first.signer_role, first.signer_phone) == (
        leader,
        "Sverre Leder",
        "Leder",
        "+47 900 00 000",
    )
    assert first.terms_sha256 == terms_hash(agreement)
    assert first.signed_at is not None and first.voided_at is None

    second = sign(sent, signer, Party.MUNICIPALITY)
    agreement = fresh(sent)
    # It starts next month: signed by both, not yet in force.
    assert agreement.state == State.SIGNED_MUNICIPALITY
    assert agreement.signed_at == second.signed_at
    assert second.terms_sha256 == first.terms_sha256
    signed_lines = AgreementEvent.objects.filter(agreement=sent, kind=AgreementEvent.Kind.SIGNED)
    assert [(e.actor, e.actor_party) for e in signed_lines.order_by("pk")] == [
        (leader, Party.COMMITTEE),
        (signer, Party.MUNICIPALITY),
    ]
    steps = AgreementEvent.objects.filter(agreement=sent, kind=AgreementEvent.Kind.TRANSITION)
    assert [(e.from_state, e.to_state, e.actor_party) for e in steps.order_by("pk")] == [
        (State.SENT, State.SIGNED_COMMITTEE, Party.COMMITTEE),
        (State.SIGNED_COMMITTEE, State.SIGNED_MUNICIPALITY, Party.MUNICIPALITY),
    ]


def test_the_municipality_cannot_sign_first(sent, signer):
    with pytest.raises(ValidationError, match="committee signs first"):
        sign(sent, signer, Party.MUNICIPALITY)
    assert fresh(sent).state == State.SENT
    assert not Signature.objects.exists()


def test_a_party_signs_once(sent, leader):
    sign(sent, leader, Party.COMMITTEE)
    with pytest.raises(ValidationError, match="already been signed"):
        sign(sent, leader, Party.COMMITTEE)
    assert Signature.objects.count() == 1


def test_a_draft_cannot_be_signed(draft, leader):
    with pytest.raises(ValidationError):
        sign(draft, leader, Party.COMMITTEE)
    assert not Signature.objects.exists()


def test_a_wrong_password_is_refused_and_nothing_is_written(sent, leader):
    with pytest.raises(ValidationError) as refused:
        sign(sent, leader, Party.COMMITTEE, password="not-the-password")
    assert [e.code for e in refused.value.error_dict["password"]] == [WRONG_PASSWORD]
    assert fresh(sent).state == State.SENT
    assert not Signature.objects.exists()
    assert not AgreementEvent.objects.filter(kind=AgreementEvent.Kind.SIGNED).exists()


@pytest.mark.parametrize("password", ["", "\x00", PASSWORD + "\x00"])
def test_an_empty_or_nul_password_is_wrong(sent, leader, password):
    with pytest.raises(ValidationError) as refused:
        sign(sent, leader, Party.COMMITTEE, password=password)
    assert "password" in refused.value.error_dict


@pytest.mark.parametrize("who", ["board_member", "case_handler", "other_committee_leader"])
def test_only_the_leader_signs_for_the_committee(sent, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(ValidationError, match="not allowed"):
        sign(sent, user, Party.COMMITTEE)
    assert not Signature.objects.exists()


@pytest.fixture
def signed_by_committee(sent, leader):
    sign(sent, leader, Party.COMMITTEE)
    return fresh(sent)


def test_a_case_handler_without_the_right_to_sign_is_refused(signed_by_committee, case_handler):
    with pytest.raises(ValidationError, match="not allowed"):
        sign(signed_by_committee, case_handler, Party.MUNICIPALITY)
    assert fresh(signed_by_committee).state == State.SIGNED_COMMITTEE


def test_a_case_handler_of_another_department_is_refused(signed_by_committee):
    from django.contrib.auth.models import Group

    from core.staff import CASE_HANDLER, group_name

    other = DepartmentStaffFactory(user__email="other.dept@larvik.kommune.no").user
    other.groups.add(Group.objects.get(name=group_name(CASE_HANDLER)))
    other.user_permissions.add(Permission.objects.get(codename="sign_agreement"))
    other = type(other).objects.get(pk=other.pk)
    with pytest.raises(ValidationError, match="not allowed"):
        sign(signed_by_committee, other, Party.MUNICIPALITY)
    assert Signature.objects.filter(party=Party.MUNICIPALITY).count() == 0


def test_the_leader_cannot_sign_for_the_municipality(signed_by_committee, leader):
    with pytest.raises(ValidationError, match="not allowed"):
        sign(signed_by_committee, leader, Party.MUNICIPALITY)


def test_a_change_of_terms_after_the_committees_signature_voids_it(
    signed_by_committee, case_handler, leader, signer
):
    agreement = signed_by_committee
    signature = Signature.objects.get(agreement=agreement)
    task = agreement.tasks.get()
    services.task_save(agreement=agreement, actor=case_handler, pk=task.pk, amount=7_000)
    agreement = fresh(agreement)
    assert agreement.state == State.SENT
    signature.refresh_from_db()
    assert signature.voided_at is not None
    assert AgreementEvent.objects.filter(
        agreement=agreement, kind=AgreementEvent.Kind.SIGNATURE_VOIDED
    ).exists()
    # The municipality cannot sign on the voided signature; the leader signs again.
    with pytest.raises(ValidationError):
        sign(agreement, signer, Party.MUNICIPALITY)
    again = sign(agreement, leader, Party.COMMITTEE)
    assert again.terms_sha256 == terms_hash(fresh(agreement)) != signature.terms_sha256
    assert Signature.objects.filter(agreement=agreement, voided_at=None).count() == 1


def test_a_signer_who_saw_other_terms_is_refused(sent, leader, case_handler):
    shown = terms_hash(fresh(sent))
    # While the leader reads, the case handler changes the written terms.
    services.agreement_update(agreement=sent, actor=case_handler, terms="Nye vilkår.")
    with pytest.raises(ValidationError, match="terms changed while you read them"):
        sign(sent, leader, Party.COMMITTEE, terms_sha256=shown)
    assert not Signature.objects.exists()
    assert fresh(sent).state == State.SENT


def test_a_change_outside_the_terms_does_not_change_the_hash(sent, case_handler, leader):
    shown = terms_hash(fresh(sent))
    services.agreement_update(agreement=sent, actor=case_handler, municipal_cost_per_year=1)
    assert sign(sent, leader, Party.COMMITTEE, terms_sha256=shown).terms_sha256 == shown


def test_the_unique_constraint_is_a_clear_refusal(sent, leader):
    """The lock makes two valid signatures for one party impossible in practice; should one
    exist while the agreement is still "sent", the database's constraint says no clearly."""
    Signature.objects.create(
        agreement=sent,
        party=Party.COMMITTEE,
        signer=leader,
        signer_name="Sverre Leder",
        signed_at=timezone.now(),
        terms_sha256=terms_hash(fresh(sent)),
    )
    with pytest.raises(ValidationError, match="already been signed"):
        sign(sent, leader, Party.COMMITTEE)
    assert fresh(sent).state == State.SENT


def test_role_and_phone_are_checked(sent, leader):
    with pytest.raises(ValidationError) as refused:
        sign(sent, leader, Party.COMMITTEE, phone="ring meg", role="x" * 151)
    assert set(refused.value.error_dict) == {"phone", "role"}


# --- coming into force -----------------------------------------------------------------------


def test_in_force_at_once_when_the_first_day_has_come(committee, department, leader, signer):
    agreement = sent_agreement(committee, department, starts_on=timezone.localdate())
    sign(agreement, leader, Party.COMMITTEE)
    sign(agreement, signer, Party.MUNICIPALITY)
    agreement = fresh(agreement)
    assert agreement.state == State.ACTIVE
    assert agreement.signed_at is not None
    last = AgreementEvent.objects.filter(agreement=agreement).latest("pk")
    assert (last.from_state, last.to_state, last.actor_party) == (
        State.SIGNED_MUNICIPALITY,
        State.ACTIVE,
        Party.SYSTEM,
    )


def test_activation_waits_for_the_first_day(signed_by_committee, signer):
    sign(signed_by_committee, signer, Party.MUNICIPALITY)
    agreement = fresh(signed_by_committee)
    assert agreement.state == State.SIGNED_MUNICIPALITY
    with pytest.raises(ValidationError, match="first day"):
        agreement_activate(agreement=agreement, actor=None)
    assert fresh(agreement).state == State.SIGNED_MUNICIPALITY
    with time_machine.travel(
        datetime.datetime.combine(agreement.starts_on, datetime.time(6), tzinfo=datetime.UTC),
        tick=False,
    ):
        agreement_activate(agreement=agreement, actor=None)
    assert fresh(agreement).state == State.ACTIVE


# --- the origin proposal ---------------------------------------------------------------------


@pytest.fixture
def proposal(committee):
    return ProposalFactory(committee=committee, kind="takeover", state=ProposalState.ACCEPTED)


def test_the_proposal_hears_when_both_have_signed_and_completes_when_in_force(
    committee, department, leader, signer, proposal
):
    agreement = sent_agreement(committee, department, origin_proposal=proposal)
    sign(agreement, leader, Party.COMMITTEE)
    assert not ProposalEvent.objects.filter(proposal=proposal, kind=EventKind.FOLLOWED_UP)
    sign(agreement, signer, Party.MUNICIPALITY)
    line = ProposalEvent.objects.get(proposal=proposal, kind=EventKind.FOLLOWED_UP)
    assert agreement.number in line.message
    assert not line.is_internal
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.IN_PROGRESS
    # On its first day the daily follow-up brings it into force: the proposal is completed.
    with time_machine.travel(
        datetime.datetime.combine(agreement.starts_on, datetime.time(6), tzinfo=datetime.UTC),
        tick=False,
    ):
        agreement_activate(agreement=agreement, actor=None)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.COMPLETED
    completed = ProposalEvent.objects.filter(proposal=proposal).latest("pk")
    assert completed.to_state == ProposalState.COMPLETED
    assert completed.actor == signer


def test_the_proposal_completes_at_once_when_in_force_at_once(
    committee, department, leader, signer, proposal
):
    agreement = sent_agreement(
        committee, department, origin_proposal=proposal, starts_on=timezone.localdate()
    )
    sign(agreement, leader, Party.COMMITTEE)
    sign(agreement, signer, Party.MUNICIPALITY)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.COMPLETED
    assert fresh(agreement).state == State.ACTIVE


def test_a_proposal_that_cannot_move_does_not_stop_the_signature(
    committee, department, leader, signer
):
    withdrawn = ProposalFactory(committee=committee, state=ProposalState.WITHDRAWN)
    agreement = sent_agreement(committee, department, origin_proposal=withdrawn)
    sign(agreement, leader, Party.COMMITTEE)
    sign(agreement, signer, Party.MUNICIPALITY)
    assert fresh(agreement).state == State.SIGNED_MUNICIPALITY
    withdrawn.refresh_from_db()
    assert withdrawn.state == ProposalState.WITHDRAWN
