"""The proposal services: every transition by every role, the clocks each state starts, the
timeline, supports and the § 12-1 threshold, the dialogue, answers and assignment."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from notifications.models import Notification
from proposals import services
from proposals.models import (
    OUTCOMES,
    AnswerTemplate,
    EventKind,
    Follow,
    Kind,
    Message,
    Party,
    Proposal,
    ProposalEvent,
    State,
    Support,
)
from proposals.steps import TRANSITIONS
from tests.factories import MembershipFactory, ProposalFactory, UserFactory

from .roles import ROLE_PARTIES

pytestmark = pytest.mark.django_db


def _proposal_in(state, *, committee, author):
    extra = {"state": state}
    if state == State.DRAFT:
        extra["reference"] = None
        extra["submitted_at"] = None
    return ProposalFactory(committee=committee, author=author, **extra)


@pytest.mark.parametrize("role", ROLE_PARTIES)
@pytest.mark.parametrize(("source", "target"), sorted(TRANSITIONS))
def test_each_transition_only_by_the_party_the_table_names(
    user_in_role, role, source, target, committee, author, case_handler
):
    proposal = _proposal_in(source, committee=committee, author=author)
    user = user_in_role(role)
    allowed = bool(ROLE_PARTIES[role] & TRANSITIONS[(source, target)].by)

    def attempt():
        if target in OUTCOMES:
            services.answer_save_draft(proposal=proposal, actor=user, outcome=target, body="Svar.")
            services.answer_publish(proposal=proposal, actor=user)
        else:
            services.proposal_transition(
                proposal=proposal, actor=user, to_state=target, message="Begrunnelse."
            )

    if allowed:
        attempt()
        proposal.refresh_from_db()
        assert proposal.state == target
        event = proposal.events.get(kind=EventKind.TRANSITION)
        assert (event.from_state, event.to_state, event.actor_id) == (source, target, user.pk)
    else:
        with pytest.raises(ValidationError):
            attempt()
        proposal.refresh_from_db()
        assert proposal.state == source
        assert not proposal.events.exists()


@pytest.mark.parametrize("target", [s for s in State.values if s != State.SUBMITTED])
def test_a_draft_only_becomes_submitted(target, committee, author, leader, case_handler):
    proposal = _proposal_in(State.DRAFT, committee=committee, author=author)
    for actor in (author, leader, case_handler):
        with pytest.raises(ValidationError):
            services.proposal_transition(
                proposal=proposal, actor=actor, to_state=target, message="x"
            )


def test_declining_needs_a_reason(committee, author, leader):
    proposal = ProposalFactory(committee=committee, author=author)
    with pytest.raises(ValidationError) as error:
        services.proposal_transition(proposal=proposal, actor=leader, to_state=State.DECLINED)
    step = TRANSITIONS[(State.SUBMITTED, State.DECLINED)]
    assert error.value.message_dict == {"message": [TRANSITIONS.missing_message(step)]}
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED


def test_outcome_needs_the_official_answer(committee, author, case_handler):
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.proposal_transition(
            proposal=proposal, actor=case_handler, to_state=State.ACCEPTED, message="Ja"
        )


def _takeover_draft(committee, author, **overrides):
    fields = {
        "committee": committee,
        "title": "Flaggheising i Svarstad",
        "summary": "Vi heiser flagget på høytidsdager.",
        "body": "Nærmiljøutvalget tar over flaggheisingen.",
        "kind": Kind.TAKEOVER,
        "category": "beautification",
        "location_text": "Svarstad sentrum",
        "task": "Flaggheising",
        "season": "Offisielle flaggdager",
        "volunteer_hours_per_year": 40,
        "compensation_per_year": 6000,
        "municipality_provides": "Flagg og nøkkel til flaggstanga",
    }
    fields.update(overrides)
    return services.proposal_create_draft(author=author, **fields)


@time_machine.travel(datetime.datetime(2027, 1, 31, 12, tzinfo=datetime.UTC))
def test_submit_gives_a_reference_a_committee_deadline_and_tells_the_board(
    committee, author, leader, board_member
):
    proposal = services.proposal_submit(proposal=_takeover_draft(committee, author), actor=author)
    assert proposal.reference == "NMU-2027-0001"
    assert proposal.committee_due == datetime.date(2027, 2, 21)
    assert proposal.next_due == proposal.committee_due
    assert Follow.objects.filter(proposal=proposal, user=author).exists()
    told = set(
        Notification.objects.filter(kind="proposal.new_in_inbox").values_list(
            "recipient__email", flat=True
        )
    )
    assert told == {leader.email, board_member.email}
    second = services.proposal_submit(
        proposal=_takeover_draft(committee, author, title="To"), actor=author
    )
    assert second.reference == "NMU-2027-0002"


def test_takeover_cannot_be_submitted_without_its_facts(committee, author):
    draft = _takeover_draft(committee, author, task="", volunteer_hours_per_year=None)
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(proposal=draft, actor=author)
    assert {"task", "volunteer_hours_per_year"} <= set(error.value.error_dict)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.reference is None


def test_other_kinds_drop_takeover_fields(committee, author):
    draft = _takeover_draft(committee, author, kind=Kind.IDEA)
    assert draft.task == "" and draft.compensation_per_year is None


@time_machine.travel(datetime.datetime(2027, 1, 31, 12, tzinfo=datetime.UTC))
def test_forwarding_starts_the_municipal_clocks(committee, author, leader, case_handler):
    proposal = ProposalFactory(committee=committee, author=author)
    Follow.objects.create(proposal=proposal, user=author)
    proposal = services.proposal_transition(
        proposal=proposal, actor=leader, to_state=State.FORWARDED
    )
    assert proposal.preliminary_due == datetime.date(2027, 2, 28)  # one calendar month
    assert proposal.decision_due == datetime.date(2027, 4, 1)  # 60 days
    assert proposal.next_due == proposal.preliminary_due
    assert Notification.objects.filter(kind="proposal.new_case", recipient=case_handler).exists()
    assert Notification.objects.filter(kind="proposal.status_changed", recipient=author).exists()


def test_first_municipal_response_stops_the_preliminary_clock(committee, author, case_handler):
    proposal = ProposalFactory(
        committee=committee,
        author=author,
        state=State.FORWARDED,
        preliminary_due=datetime.date(2099, 1, 1),
        decision_due=datetime.date(2099, 2, 1),
    )
    proposal = services.proposal_transition(
        proposal=proposal, actor=case_handler, to_state=State.RECEIVED, message="Foreløpig svar."
    )
    assert proposal.first_response_at is not None
    assert proposal.next_due == datetime.date(2099, 2, 1)


def test_information_request_round_trip(committee, author, leader, case_handler):
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    proposal = services.proposal_transition(
        proposal=proposal,
        actor=case_handler,
        to_state=State.INFO_REQUESTED,
        message="Hvor mange flaggstenger?",
        due=datetime.date(2099, 5, 1),
    )
    assert proposal.info_due == datetime.date(2099, 5, 1) == proposal.next_due
    question = Message.objects.get(proposal=proposal)
    # The question's deadline is the proposal's info deadline, shown once (not twice).
    assert question.party == Party.MUNICIPALITY and question.answer_by is None
    assert Notification.objects.filter(kind="proposal.info_requested", recipient=leader).exists()

    proposal = services.proposal_transition(
        proposal=proposal, actor=leader, to_state=State.IN_REVIEW, message="Atten."
    )
    assert proposal.next_due is None
    assert proposal.messages.filter(party=Party.COMMITTEE, body="Atten.").exists()
    assert Notification.objects.filter(kind="proposal.message", recipient=case_handler).exists()


def test_information_deadline_cannot_be_in_the_past(committee, author, case_handler):
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.proposal_transition(
            proposal=proposal,
            actor=case_handler,
            to_state=State.INFO_REQUESTED,
            message="?",
            due=datetime.date(2000, 1, 1),
        )


def test_published_answer_notifies_author_and_followers(
    committee, author, other_resident, case_handler
):
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    Follow.objects.create(proposal=proposal, user=author)
    services.proposal_follow(proposal=proposal, user=other_resident)
    answer = services.answer_save_draft(
        proposal=proposal, actor=case_handler, outcome=State.PARTLY_ACCEPTED, body="Delvis ja."
    )
    assert not answer.is_published
    assert not Notification.objects.filter(kind="proposal.answer_published").exists()
    services.answer_publish(proposal=proposal, actor=case_handler)
    proposal.refresh_from_db()
    assert proposal.state == State.PARTLY_ACCEPTED and proposal.decided_at
    told = set(
        Notification.objects.filter(kind="proposal.answer_published").values_list(
            "recipient_id", flat=True
        )
    )
    assert {author.pk, other_resident.pk} <= told
    with pytest.raises(ValidationError):
        services.answer_publish(proposal=proposal, actor=case_handler)


def test_answer_with_template_answers_many_and_reports_the_rest(committee, author, case_handler):
    template = AnswerTemplate.objects.create(
        name="Ja takk", outcome=State.ACCEPTED, body="Kommunen sier ja til «{title}» ({reference})."
    )
    open_ones = [
        ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW) for _ in range(3)
    ]
    done = ProposalFactory(committee=committee, author=author, state=State.COMPLETED)
    answered, problems = services.proposals_answer_with_template(
        proposals=[*open_ones, done], actor=case_handler, template=template
    )
    assert answered == 3 and len(problems) == 1 and done.reference in problems[0]
    first = Proposal.objects.get(pk=open_ones[0].pk)
    assert first.state == State.ACCEPTED
    assert first.answer.body == f"Kommunen sier ja til «{first.title}» ({first.reference})."


def test_assignment_notifies_the_handler_once(committee, author, case_handler, superuser):
    proposal = ProposalFactory(committee=committee, author=author, state=State.FORWARDED)
    services.proposal_assign(proposal=proposal, actor=superuser, handler=case_handler)
    proposal.refresh_from_db()
    assert proposal.handler == case_handler
    assert proposal.department == case_handler.department_staff.department
    assert (
        Notification.objects.filter(kind="proposal.assigned", recipient=case_handler).count() == 1
    )
    assert proposal.events.filter(kind=EventKind.ASSIGNED).exists()


def test_only_staff_assign(committee, author, leader, case_handler):
    proposal = ProposalFactory(committee=committee, author=author, state=State.FORWARDED)
    with pytest.raises(ValidationError):
        services.proposal_assign(proposal=proposal, actor=leader, handler=case_handler)
    with pytest.raises(ValidationError):
        services.proposal_assign(proposal=proposal, actor=case_handler, handler=leader)


def test_internal_note_is_staff_only_and_internal(committee, author, leader, case_handler):
    proposal = ProposalFactory(committee=committee, author=author, state=State.FORWARDED)
    note = services.internal_note_add(proposal=proposal, actor=case_handler, text="Ring Per.")
    assert note.is_internal
    with pytest.raises(ValidationError):
        services.internal_note_add(proposal=proposal, actor=leader, text="Hei")


# --- Dialogue -----------------------------------------------------------------------------------


def test_dialogue_message_answers_the_other_sides_request(committee, author, leader, case_handler):
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    asked = services.message_send(
        proposal=proposal,
        actor=case_handler,
        body="Kan dere møtes torsdag?",
        answer_by=datetime.date(2099, 1, 10),
    )
    proposal.refresh_from_db()
    assert proposal.next_due == datetime.date(2099, 1, 10)
    told = set(
        Notification.objects.filter(kind="proposal.message").values_list("recipient_id", flat=True)
    )
    assert told == {leader.pk, author.pk}
    services.message_send(proposal=proposal, actor=leader, body="Ja.")
    asked.refresh_from_db()
    assert asked.answered_at is not None
    proposal.refresh_from_db()
    assert proposal.next_due is None


@pytest.mark.parametrize("role", ["anonymous", "resident", "author", "other_committee_leader"])
def test_only_the_parties_write_in_the_dialogue(user_in_role, role, committee, author):
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.message_send(proposal=proposal, actor=user_in_role(role), body="Hei")
    assert not Message.objects.exists()


def test_message_length_is_limited(committee, author, leader):
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.message_send(proposal=proposal, actor=leader, body="x" * 5001)


# --- Supports and § 12-1 ------------------------------------------------------------------------


def test_support_is_one_per_person_and_can_be_withdrawn(committee, resident):
    proposal = ProposalFactory(committee=committee)
    services.proposal_support(proposal=proposal, user=resident)
    proposal = services.proposal_support(proposal=proposal, user=resident)
    assert proposal.supports_count == 1 == Support.objects.count()
    proposal = services.proposal_unsupport(proposal=proposal, user=resident)
    assert proposal.supports_count == 0 == Support.objects.count()


@pytest.mark.parametrize("state", [State.DRAFT, State.DECLINED, State.ACCEPTED, State.WITHDRAWN])
def test_closed_proposals_collect_no_supports(state, committee, resident):
    proposal = ProposalFactory(
        committee=committee, state=state, **({"reference": None} if state == State.DRAFT else {})
    )
    with pytest.raises(ValidationError):
        services.proposal_support(proposal=proposal, user=resident)


def test_anonymous_cannot_support(committee):
    with pytest.raises(ValidationError):
        services.proposal_support(
            proposal=ProposalFactory(committee=committee), user=AnonymousUser()
        )


@pytest.mark.parametrize(
    ("population", "threshold"), [(48_246, 300), (10_000, 200), (10_001, 201), (20, 1)]
)
def test_threshold_is_two_percent_but_never_above_300(settings, population, threshold):
    from proposals.deadlines import citizen_proposal_threshold

    settings.MUNICIPALITY = {**settings.MUNICIPALITY, "population": population}
    assert citizen_proposal_threshold() == threshold


@time_machine.travel(datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC))
def test_reaching_the_threshold_makes_a_citizens_proposal_once(
    settings, committee, author, case_handler
):
    settings.MUNICIPALITY = {**settings.MUNICIPALITY, "population": 150}  # 2 % = 3 supports
    proposal = ProposalFactory(committee=committee, author=author, state=State.FORWARDED)
    supporters = UserFactory.create_batch(4)
    for user in supporters[:2]:
        proposal = services.proposal_support(proposal=proposal, user=user)
    assert proposal.citizen_proposal_at is None
    proposal = services.proposal_support(proposal=proposal, user=supporters[2])
    assert proposal.citizen_proposal_at is not None
    assert proposal.kind == Kind.CITIZEN
    assert proposal.decision_due == datetime.date(2027, 9, 1)  # six months
    assert Notification.objects.filter(
        kind="proposal.citizen_proposal", recipient=case_handler
    ).exists()
    services.proposal_unsupport(proposal=proposal, user=supporters[0])
    services.proposal_support(proposal=proposal, user=supporters[3])
    services.proposal_support(proposal=proposal, user=supporters[0])
    assert ProposalEvent.objects.filter(kind=EventKind.CITIZEN_PROPOSAL).count() == 1
    # Forwarding later keeps the statutory six months instead of the ordinary 60 days.
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.decision_due == datetime.date(2027, 9, 1)


def test_a_board_member_of_the_committee_is_a_committee_party(committee, author):
    deputy = MembershipFactory(committee=committee, role="deputy_member").user
    follower = MembershipFactory(committee=committee, role="member").user
    proposal = ProposalFactory(committee=committee, author=author)
    services.proposal_transition(proposal=proposal, actor=deputy, to_state=State.COMMITTEE_REVIEW)
    with pytest.raises(ValidationError):
        services.proposal_transition(proposal=proposal, actor=follower, to_state=State.FORWARDED)


def test_the_committees_reply_in_the_dialogue_answers_the_question(
    committee, author, leader, case_handler
):
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    services.proposal_transition(
        proposal=proposal, actor=case_handler, to_state=State.INFO_REQUESTED, message="Når?"
    )
    services.message_send(proposal=proposal, actor=leader, body="I mai.")
    proposal.refresh_from_db()
    assert proposal.state == State.IN_REVIEW and proposal.next_due is None
    event = proposal.events.get(to_state=State.IN_REVIEW)
    assert (event.actor, event.message) == (leader, "I mai.")


@pytest.mark.parametrize("state", [State.SUBMITTED, State.COMMITTEE_REVIEW, State.WITHDRAWN])
def test_no_dialogue_before_the_municipality_has_the_case_or_after_it_closed(
    state, committee, author, leader
):
    proposal = ProposalFactory(committee=committee, author=author, state=state)
    with pytest.raises(ValidationError):
        services.message_send(proposal=proposal, actor=leader, body="Hei")


# --- Review fixes ---------------------------------------------------------------------------------


def test_followers_are_not_told_the_dialogue(committee, author, leader, case_handler, resident):
    """Anyone may follow a proposal; the question and the committee's answer are the dialogue's."""
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    Follow.objects.create(proposal=proposal, user=resident)
    services.proposal_transition(
        proposal=proposal,
        actor=case_handler,
        to_state=State.INFO_REQUESTED,
        message="Hemmelig spørsmål",
    )
    services.proposal_transition(
        proposal=proposal, actor=leader, to_state=State.IN_REVIEW, message="Hemmelig svar"
    )
    told = Notification.objects.filter(recipient=resident, kind="proposal.status_changed")
    assert told.count() == 2
    for notification in told:
        assert "Hemmelig" not in notification.subject + notification.body
    # The parties still get the text: the committee the question, the municipality the answer.
    assert (
        "Hemmelig spørsmål"
        in Notification.objects.get(recipient=leader, kind="proposal.info_requested").body
    )
    assert (
        "Hemmelig svar"
        in Notification.objects.get(recipient=case_handler, kind="proposal.message").body
    )


def test_followers_are_still_told_a_public_reason(committee, author, leader, resident):
    proposal = ProposalFactory(committee=committee, author=author)
    Follow.objects.create(proposal=proposal, user=resident)
    services.proposal_transition(
        proposal=proposal, actor=leader, to_state=State.DECLINED, message="Hører til idrettsrådet."
    )
    told = Notification.objects.get(recipient=resident, kind="proposal.status_changed")
    assert "Hører til idrettsrådet." in told.body


def test_a_draft_submitted_meanwhile_is_not_deleted(committee, author):
    """Delete from one tab, submit from another: the delete sees the case, not the old draft."""
    draft = _proposal_in(State.DRAFT, committee=committee, author=author)
    stale = Proposal.objects.get(pk=draft.pk)
    services.proposal_submit(proposal=draft, actor=author)
    with pytest.raises(ValidationError):
        services.proposal_delete_draft(proposal=stale, actor=author)
    assert Proposal.objects.get(pk=draft.pk).state == State.SUBMITTED


def test_deleting_a_deleted_draft_again_is_harmless(committee, author):
    draft = _proposal_in(State.DRAFT, committee=committee, author=author)
    stale = Proposal.objects.get(pk=draft.pk)
    services.proposal_delete_draft(proposal=draft, actor=author)
    services.proposal_delete_draft(proposal=stale, actor=author)  # a second click
    assert not Proposal.objects.filter(pk=draft.pk).exists()


def test_assignment_never_puts_an_email_address_on_the_public_timeline(
    committee, author, case_handler, superuser
):
    case_handler.full_name = ""
    case_handler.save()
    proposal = ProposalFactory(committee=committee, author=author, state=State.FORWARDED)
    services.proposal_assign(proposal=proposal, actor=superuser, handler=case_handler)
    event = proposal.events.get(kind=EventKind.ASSIGNED)
    assert not event.is_internal
    assert case_handler.email not in event.message
    assert event.message == case_handler.department_staff.department.name


def test_the_board_is_not_told_the_authors_email_address(committee, leader):
    author = UserFactory(email="navnlos@example.no", full_name="")
    draft = _proposal_in(State.DRAFT, committee=committee, author=author)
    services.proposal_submit(proposal=draft, actor=author)
    told = Notification.objects.get(recipient=leader, kind="proposal.new_in_inbox")
    assert author.email not in told.subject + told.body


def test_the_author_is_told_the_answer_after_they_stopped_following(
    committee, author, case_handler
):
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    Follow.objects.filter(proposal=proposal, user=author).delete()
    services.answer_save_draft(
        proposal=proposal, actor=case_handler, outcome=State.ACCEPTED, body="Ja."
    )
    services.answer_publish(proposal=proposal, actor=case_handler)
    assert Notification.objects.filter(recipient=author, kind="proposal.answer_published").exists()


def test_withdrawal_is_told_to_whoever_works_on_the_case_once(
    committee, author, leader, case_handler
):
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    services.proposal_follow(proposal=proposal, user=leader)
    services.proposal_transition(
        proposal=proposal, actor=author, to_state=State.WITHDRAWN, message="Løst på annen måte."
    )
    assert (
        Notification.objects.filter(kind="proposal.status_changed", recipient=leader).count() == 1
    )
    assert Notification.objects.filter(
        kind="proposal.status_changed", recipient=case_handler
    ).exists()
    assert not Notification.objects.filter(recipient=author).exists()
