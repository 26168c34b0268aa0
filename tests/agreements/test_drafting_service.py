""" "Lag avtaleutkast" (services.drafting.draft_from_proposal): an accepted take-over proposal
becomes a draft pre-filled with its task, place, season, hours and compensation, linked both
ways, in one transaction; anything else is refused and leaves nothing behind."""

# ruff: noqa: F811 - the fixtures imported from drafting_helpers are the tests' arguments

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from agreements.models import Agreement, AgreementEvent, Provision, State, Task
from agreements.services import drafting
from agreements.services.drafting import draft_from_proposal, guess_task_kind
from notifications.models import Notification
from proposals.models import ProposalEvent
from tests.factories import DepartmentFactory, ProposalFactory

from .drafting_helpers import takeover  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_demo_flag_raising_proposal_becomes_a_prefilled_draft(takeover, case_handler):
    events_before = ProposalEvent.objects.filter(proposal=takeover).count()
    agreement = draft_from_proposal(proposal=takeover, actor=case_handler)

    assert agreement.state == State.DRAFT
    assert agreement.committee == takeover.committee
    assert agreement.department == takeover.department
    assert agreement.kind == "operation"
    assert agreement.title == takeover.title
    assert takeover.summary in agreement.terms and takeover.body in agreement.terms
    assert agreement.created_by == case_handler
    # Linked both ways.
    takeover.refresh_from_db()
    assert agreement.origin_proposal == takeover and takeover.agreement == agreement

    task = Task.objects.get(agreement=agreement)
    assert task.kind == "flag_raising"
    assert task.description == "Flaggheising på offisielle flaggdager"
    assert task.locations == "Flaggstanga ved Svarstad sentrum"
    assert task.season == "Hele året, ca. 20 flaggdager"
    assert task.hours_per_year == Decimal(40)
    assert task.pricing == "fixed" and task.amount == Decimal(6000)

    provision = Provision.objects.get(agreement=agreement)
    assert provision.kind == "equipment"
    assert provision.description == "Flagg, vimpel og nøkkel til flaggstanga"
    assert provision.value_per_year == 0

    # A draft is the parties' own: nothing on the proposal's public timeline, nobody told.
    assert ProposalEvent.objects.filter(proposal=takeover).count() == events_before
    assert not Notification.objects.filter(kind__startswith="agreement.").exists()
    assert AgreementEvent.objects.filter(agreement=agreement, to_state=State.DRAFT).exists()


def test_no_provision_when_the_municipality_provides_nothing(takeover, case_handler):
    takeover.municipality_provides = ""
    takeover.volunteer_hours_per_year = None
    takeover.compensation_per_year = None
    takeover.save()
    agreement = draft_from_proposal(proposal=takeover, actor=case_handler)
    assert not agreement.provisions.exists()
    task = agreement.tasks.get()
    assert task.hours_per_year == 0 and task.amount == 0


@pytest.mark.parametrize("state", ["accepted", "partly_accepted", "in_progress"])
def test_an_accepted_or_started_proposal_may_be_drafted(takeover, case_handler, state):
    takeover.state = state
    takeover.save()
    assert draft_from_proposal(proposal=takeover, actor=case_handler).origin_proposal == takeover


@pytest.mark.parametrize(
    "state", ["submitted", "forwarded", "in_review", "rejected", "completed", "withdrawn"]
)
def test_a_proposal_not_accepted_is_refused(takeover, case_handler, state):
    takeover.state = state
    takeover.save()
    with pytest.raises(ValidationError):
        draft_from_proposal(proposal=takeover, actor=case_handler)
    assert not Agreement.objects.exists()


@pytest.mark.parametrize("kind", ["idea", "dugnad", "citizen"])
def test_a_proposal_of_another_kind_is_refused(takeover, case_handler, kind):
    takeover.kind = kind
    takeover.save()
    with pytest.raises(ValidationError):
        draft_from_proposal(proposal=takeover, actor=case_handler)
    assert not Agreement.objects.exists()


def test_a_proposal_drafted_already_is_refused(takeover, case_handler):
    draft_from_proposal(proposal=takeover, actor=case_handler)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        draft_from_proposal(proposal=takeover, actor=case_handler)
    # Said in words before anything is made (not the model's unique check on the link).
    assert error.value.messages == ["An agreement has already been drafted from this proposal."]
    assert Agreement.objects.count() == 1


@pytest.mark.parametrize(
    "role", ["resident", "leader", "board_member", "staff_without_group", "municipal_contact"]
)
def test_only_staff_who_may_draft_can(takeover, user_in_role, role):
    with pytest.raises(ValidationError):
        draft_from_proposal(proposal=takeover, actor=user_in_role(role))
    assert not Agreement.objects.exists()


def test_the_department_given_or_the_proposals_and_one_is_required(takeover, case_handler):
    takeover.department = None
    takeover.save()
    with pytest.raises(ValidationError) as error:
        draft_from_proposal(proposal=takeover, actor=case_handler)
    assert "department" in error.value.error_dict
    assert not Agreement.objects.exists()
    other = DepartmentFactory()
    agreement = draft_from_proposal(proposal=takeover, actor=case_handler, department=other)
    assert agreement.department == other


def test_a_failure_after_the_agreement_leaves_nothing_behind(takeover, case_handler, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("no")

    monkeypatch.setattr(drafting, "provision_save", refuse)
    with pytest.raises(ValidationError):
        draft_from_proposal(proposal=takeover, actor=case_handler)
    assert not Agreement.objects.exists() and not Task.objects.exists()


def test_long_texts_are_cut_to_the_agreements_limits(takeover, case_handler):
    takeover.municipality_provides = "Utstyr " * 250  # 1,750 characters; a line holds 200
    takeover.save()
    agreement = draft_from_proposal(proposal=takeover, actor=case_handler)
    description = agreement.provisions.get().description
    assert len(description) == 200 and description.endswith("…")


@pytest.mark.parametrize(
    "task, title, category, expected",
    [
        ("Flaggheising på offisielle flaggdager", "", "", "flag_raising"),
        ("Løvblåsing av turveier", "", "", "leaf_blowing"),
        ("Blomsterplanting i parken", "", "", "planting"),
        ("Vanning av blomsterkasser", "", "", "planting"),
        ("Gressklipping på ballbingen", "", "", "grass_cutting"),
        ("Slått av enga", "", "", "grass_cutting"),
        ("Rydde stranda", "", "", "beach_cleaning"),
        ("Tilsyn med lekeplassen", "", "", "playground"),
        ("Skøytebane på dammen", "", "", "ice_rink"),
        ("Is på banen hver vinter", "", "", "ice_rink"),
        ("Drive møteplassen", "", "", "meeting_place"),
        ("", "Flaggheising i Stavern", "", "flag_raising"),
        ("Holde åpent", "Huset", "meeting_places", "meeting_place"),
        ("Måke snø", "Brøyting", "takeover", "other"),
        # "is" inside another word is not ice.
        ("Heising og rydding", "", "", "other"),
    ],
)
def test_the_task_kind_is_guessed_from_the_words(task, title, category, expected):
    assert guess_task_kind(task=task, title=title, category=category) == expected


def test_another_committees_proposal_keeps_its_own_committee(case_handler, department):
    proposal = ProposalFactory(kind="takeover", state="accepted", department=department)
    agreement = draft_from_proposal(proposal=proposal, actor=case_handler)
    assert agreement.committee == proposal.committee
