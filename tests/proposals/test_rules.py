"""Rules written once (issue 9, part C): each has one home, and every place that applies it
(model, service, form, page, admin) agrees with it. Each test names the home it pins."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from core.deadlines import Deadline, is_overdue, overdue_q
from core.validators import PAST_DATE_MESSAGE
from proposals import permissions, services
from proposals.forms import MessageForm, ProposalForm, TransitionForm
from proposals.models import (
    DIALOGUE_CLOSED,
    KEY_DATES,
    MESSAGE_MAX_LENGTH,
    TAKEOVER_REQUIRED,
    Kind,
    Message,
    Party,
    Proposal,
    State,
    key_dates,
    message_length_problems,
    submit_problems,
)
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


# --- The message length limit: models.MESSAGE_MAX_LENGTH --------------------------------------


def test_the_message_limit_is_five_thousand_characters():
    assert MESSAGE_MAX_LENGTH == 5000
    assert message_length_problems("x" * MESSAGE_MAX_LENGTH) == []
    assert message_length_problems(" " + "x" * MESSAGE_MAX_LENGTH + "\n") == []
    too_long = "x" * (MESSAGE_MAX_LENGTH + 1)
    with translation.override("en"):
        assert message_length_problems(too_long) == ["The message can be at most 5,000 characters."]
    with translation.override("nb"):
        assert message_length_problems(too_long) == ["Meldingen kan være på høyst 5\xa0000 tegn."]


def test_model_forms_and_page_use_the_one_limit(client, committee, board_member):
    assert Message._meta.get_field("body").max_length == MESSAGE_MAX_LENGTH
    from proposals.admin.forms import InfoRequestForm, PreliminaryAnswerForm, ProposalAdminForm

    assert ProposalAdminForm.base_fields["committee_message"].max_length == MESSAGE_MAX_LENGTH
    assert PreliminaryAnswerForm.base_fields["message"].max_length == MESSAGE_MAX_LENGTH
    assert InfoRequestForm.base_fields["question"].max_length == MESSAGE_MAX_LENGTH
    for form, name in ((MessageForm(), "body"), (TransitionForm(), "message")):
        assert form.fields[name].max_length == MESSAGE_MAX_LENGTH
        assert f'maxlength="{MESSAGE_MAX_LENGTH}"' in str(form[name])
    proposal = ProposalFactory(committee=committee, state=State.IN_REVIEW)
    client.force_login(board_member)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert f'name="body" rows="5" maxlength="{MESSAGE_MAX_LENGTH}"' in page


def test_the_services_refuse_a_message_over_the_limit(committee, board_member, case_handler):
    proposal = ProposalFactory(committee=committee, state=State.IN_REVIEW)
    too_long = "x" * (MESSAGE_MAX_LENGTH + 1)
    expected = [str(p) for p in message_length_problems(too_long)]
    with pytest.raises(ValidationError) as error:
        services.proposal_transition(
            proposal=proposal, actor=case_handler, to_state=State.INFO_REQUESTED, message=too_long
        )
    assert error.value.message_dict == {"message": expected}
    proposal = ProposalFactory(committee=committee, state=State.INFO_REQUESTED)
    with pytest.raises(ValidationError) as error:  # the committee's answer to the question
        services.message_send(proposal=proposal, actor=board_member, body=too_long)
    assert error.value.message_dict == {"body": expected}
    services.message_send(proposal=proposal, actor=board_member, body="x" * MESSAGE_MAX_LENGTH)


# --- Take-over fields before submitting: models.submit_problems -------------------------------


def _takeover_data(committee, **overrides):
    data = {
        "committee": committee.pk,
        "kind": Kind.TAKEOVER,
        "category": "takeover",
        "title": "Flaggheising",
        "summary": "Utvalget heiser flagget.",
        "body": "Vi tar over flaggheisingen på offentlige flaggdager.",
        "location_text": "Torget",
        "task": "Flaggheising",
        "season": "Flaggdager",
        "volunteer_hours_per_year": "20",
        "compensation_per_year": "0",
        "municipality_provides": "",
    }
    return {**data, **overrides}


def test_a_take_over_proposal_needs_five_fields_and_other_kinds_none():
    assert list(TAKEOVER_REQUIRED) == [
        "task",
        "season",
        "volunteer_hours_per_year",
        "compensation_per_year",
        "location_text",
    ]
    assert submit_problems({"kind": Kind.IDEA}) == {}
    assert submit_problems({"kind": Kind.TAKEOVER}) == TAKEOVER_REQUIRED
    with translation.override("en"):
        assert [str(m) for m in submit_problems({"kind": Kind.TAKEOVER}).values()] == [
            "Say which task the committee wants to take over.",
            "Say when or how often the task is done.",
            "Estimate the volunteer hours per year.",
            "Say what compensation the committee asks (0 if none).",
            "Say where the task is done.",
        ]
    # 0 kr is an answer, not a missing one.
    complete = {"kind": Kind.TAKEOVER, **dict.fromkeys(TAKEOVER_REQUIRED, "x")}
    assert submit_problems({**complete, "compensation_per_year": 0}) == {}


def test_the_form_marks_the_fields_the_rule_requires():
    form = ProposalForm()
    marked = {name for name, field in form.fields.items() if getattr(field, "required_note", "")}
    assert marked == set(TAKEOVER_REQUIRED)


def test_the_preview_form_and_the_submit_service_say_the_same(committee, resident):
    empty = dict.fromkeys(TAKEOVER_REQUIRED, "")
    form = ProposalForm(_takeover_data(committee, **empty), require_complete=True)
    assert not form.is_valid()
    form_errors = {name: form.errors[name] for name in TAKEOVER_REQUIRED}
    # Without the preview the draft may stay incomplete.
    assert ProposalForm(_takeover_data(committee, **empty)).is_valid()

    form = ProposalForm(_takeover_data(committee, **empty))
    assert form.is_valid()
    draft = services.proposal_create_draft(author=resident, **form.draft_fields())
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(proposal=draft, actor=resident)
    service_errors = error.value.message_dict
    expected = {name: [str(message)] for name, message in TAKEOVER_REQUIRED.items()}
    assert form_errors == expected
    assert service_errors == expected
    assert Proposal.objects.get(pk=draft.pk).state == State.DRAFT


# --- Where supports are collected and the dialogue is open: models.SUPPORTABLE_STATES and
# DIALOGUE_STATES --------------------------------------------------------------------------------

SUPPORTABLE = {
    State.SUBMITTED,
    State.COMMITTEE_REVIEW,
    State.FORWARDED,
    State.RECEIVED,
    State.IN_REVIEW,
    State.INFO_REQUESTED,
}
DIALOGUE = {
    State.FORWARDED,
    State.RECEIVED,
    State.IN_REVIEW,
    State.INFO_REQUESTED,
    State.ACCEPTED,
    State.PARTLY_ACCEPTED,
    State.REJECTED,
    State.IN_PROGRESS,
}
PUBLISHED_STATES = [s for s in State.values if s != State.DRAFT]


@pytest.mark.parametrize("state", PUBLISHED_STATES)
def test_supports_are_collected_in_the_same_states_everywhere(state, committee, other_resident):
    proposal = ProposalFactory(committee=committee, state=state)
    open_for_support = state in SUPPORTABLE
    assert proposal.is_open_for_support is open_for_support
    assert permissions.can_support(other_resident, proposal) is open_for_support
    if open_for_support:
        services.proposal_support(proposal=proposal, user=other_resident)
        assert Proposal.objects.get(pk=proposal.pk).supports_count == 1
    else:
        with pytest.raises(ValidationError):
            services.proposal_support(proposal=proposal, user=other_resident)


def test_open_cases_are_the_ones_collecting_supports_and_withdrawable(client, committee):
    from proposals import selectors
    from proposals.models import OPEN_STATES, SUPPORTABLE_STATES, WITHDRAWABLE_STATES
    from proposals.steps import TRANSITIONS

    assert OPEN_STATES == SUPPORTABLE_STATES == WITHDRAWABLE_STATES == SUPPORTABLE
    for state in PUBLISHED_STATES:
        ProposalFactory(committee=committee, state=state)
    listed = set(selectors.proposal_list(state="open").values_list("state", flat=True))
    assert listed == SUPPORTABLE
    assert {source for source, target in TRANSITIONS if target == State.WITHDRAWN} == SUPPORTABLE


@pytest.mark.parametrize("state", PUBLISHED_STATES)
def test_the_dialogue_is_open_in_the_same_states_everywhere(state, client, committee, board_member):
    proposal = ProposalFactory(committee=committee, state=state)
    is_open = state in DIALOGUE
    assert (permissions.message_party(board_member, proposal) == Party.COMMITTEE) is is_open
    client.force_login(board_member)
    page = client.get(proposal.get_absolute_url()).content.decode()
    form_action = reverse("proposals:message-create", args=[proposal.reference])
    assert (f'action="{form_action}"' in page) is is_open
    if is_open:
        services.message_send(proposal=proposal, actor=board_member, body="Hei")
    else:
        with pytest.raises(ValidationError) as error:
            services.message_send(proposal=proposal, actor=board_member, body="Hei")
        assert error.value.messages == [str(DIALOGUE_CLOSED)]
        response = client.post(form_action, {"body": "Hei"}, follow=True)
        assert [str(m) for m in response.context["messages"]] == [str(DIALOGUE_CLOSED)]


# --- "The date cannot be in the past": core.validators.past_date_problems ------------------------


def test_the_forms_and_services_refuse_a_past_date_in_the_same_words(
    committee, board_member, case_handler
):
    yesterday = timezone.localdate() - DAY
    form = MessageForm({"body": "Hei", "answer_by": yesterday.isoformat()})
    assert form.errors == {"answer_by": [str(PAST_DATE_MESSAGE)]}
    assert MessageForm({"body": "Hei", "answer_by": timezone.localdate().isoformat()}).is_valid()
    from proposals.admin.forms import InfoRequestForm

    asked = InfoRequestForm({"question": "Hvor?", "due": yesterday.isoformat()})
    assert asked.errors == {"due": [str(PAST_DATE_MESSAGE)]}

    proposal = ProposalFactory(committee=committee, state=State.IN_REVIEW)
    with pytest.raises(ValidationError) as error:
        services.message_send(
            proposal=proposal, actor=board_member, body="Hei", answer_by=yesterday
        )
    assert error.value.message_dict == {"answer_by": [str(PAST_DATE_MESSAGE)]}
    with pytest.raises(ValidationError) as error:
        services.proposal_transition(
            proposal=proposal,
            actor=case_handler,
            to_state=State.INFO_REQUESTED,
            message="Hvor?",
            due=yesterday,
        )
    assert error.value.message_dict == {"due": [str(PAST_DATE_MESSAGE)]}


# --- "Overdue": core.deadlines.is_overdue / overdue_q -------------------------------------------


@pytest.mark.parametrize(("offset", "overdue"), [(-1, True), (0, False), (1, False)])
def test_overdue_means_the_same_in_python_queries_and_templates(offset, overdue, committee):
    today = timezone.localdate()
    due = today + offset * DAY
    proposal = ProposalFactory(committee=committee, next_due=due)
    assert is_overdue(due, today=today) is overdue
    assert Deadline("x", due).is_overdue(today) is overdue
    assert proposal.is_overdue is overdue
    assert Proposal.objects.filter(overdue_q("next_due"), pk=proposal.pk).exists() is overdue
    assert Proposal.objects.overdue().filter(pk=proposal.pk).exists() is overdue
    assert Proposal.objects.not_overdue().filter(pk=proposal.pk).exists() is not overdue
    rendered = Template("{% load proposal_tags %}{% if due|overdue %}yes{% endif %}").render(
        Context({"due": due})
    )
    assert (rendered == "yes") is overdue
    assert not is_overdue(None)
    assert not Proposal.objects.not_overdue().filter(next_due__isnull=True).exists()


def test_the_committee_inbox_marks_overdue_by_the_same_rule(client, committee, leader):
    today = timezone.localdate()
    late = ProposalFactory(committee=committee, committee_due=today - DAY)
    due_today = ProposalFactory(committee=committee, committee_due=today)
    client.cookies["nmu_language"] = "en"
    client.force_login(leader)
    response = client.get(reverse("proposals:committee-inbox", args=[committee.slug]))
    rows = {p.pk: p for p in response.context["awaiting"]}
    assert rows[late.pk].overdue and not rows[due_today.pk].overdue
    body = response.content.decode()
    assert body.count("inbox-row--overdue") == 1
    assert "Overdue by 1 day" in body and "Due today" in body


# --- The key dates: models.KEY_DATES / key_dates -------------------------------------------------


def test_the_proposal_page_lists_the_key_dates_reached(client, committee):
    now = timezone.now()
    proposal = ProposalFactory(committee=committee, state=State.FORWARDED, forwarded_at=now)
    assert [label for label, _ in key_dates(proposal)] == [label for label, _ in KEY_DATES]
    assert [name for _, name in KEY_DATES] == [
        "submitted_at",
        "forwarded_at",
        "first_response_at",
        "decided_at",
        "completed_at",
    ]
    response = client.get(proposal.get_absolute_url())
    listed = response.context["key_dates"]
    assert [label for label, _ in listed] == [KEY_DATES[0][0], KEY_DATES[1][0]]
    assert [value for _, value in listed] == [proposal.submitted_at, now]


def test_the_admin_change_page_and_the_csv_export_use_the_same_key_dates(
    client, case_handler, committee
):
    from proposals.admin.exports import CSV_COLUMNS

    headers = [column.header for column in CSV_COLUMNS]
    start = headers.index(KEY_DATES[0][0])
    assert headers[start : start + len(KEY_DATES)] == [label for label, _ in KEY_DATES]
    proposal = ProposalFactory(committee=committee, state=State.FORWARDED)
    client.cookies["nmu_language"] = "en"
    client.force_login(case_handler)
    page = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
    html = page.content.decode()
    with translation.override("en"):
        for label, _ in KEY_DATES:
            assert f"<dt>{label}</dt>" in html


# --- Only a case at the municipality can be answered: models.answer_problems ------------------

ANSWERABLE = {State.FORWARDED, State.RECEIVED, State.IN_REVIEW, State.INFO_REQUESTED}


@pytest.mark.parametrize("state", PUBLISHED_STATES)
def test_only_a_case_at_the_municipality_can_be_answered(state, committee, case_handler):
    from proposals.models import answer_problems

    proposal = ProposalFactory(committee=committee, state=state)
    answerable = state in ANSWERABLE
    assert (answer_problems(proposal) == []) is answerable
    assert Proposal.objects.answerable().filter(pk=proposal.pk).exists() is answerable
    if answerable:
        services.answer_save_draft(
            proposal=proposal, actor=case_handler, outcome=State.ACCEPTED, body="Ja."
        )
    else:
        with pytest.raises(ValidationError) as error:
            services.answer_save_draft(
                proposal=proposal, actor=case_handler, outcome=State.ACCEPTED, body="Ja."
            )
        assert error.value.messages == [str(m) for m in answer_problems(proposal)]


# --- The answer-template placeholders: services.answers.TEMPLATE_PLACEHOLDERS -----------------


def test_the_template_form_allows_exactly_the_placeholders_the_service_fills_in(committee):
    from proposals.admin.forms import AnswerTemplateForm
    from proposals.models import AnswerTemplate
    from proposals.services.answers import TEMPLATE_PLACEHOLDERS, answer_template_problems

    assert list(TEMPLATE_PLACEHOLDERS) == ["title", "reference", "committee"]
    every = " ".join(f"{{{name}}}" for name in TEMPLATE_PLACEHOLDERS)
    proposal = ProposalFactory(committee=committee, title="Benker", reference="NMU-2000-0042")
    filled = services.answer_template_fill(template=AnswerTemplate(body=every), proposal=proposal)
    assert filled == "Benker NMU-2000-0042 Svarstad"
    assert answer_template_problems(body=every) == []

    data = {"name": "Ja", "outcome": State.ACCEPTED, "is_active": True}
    assert AnswerTemplateForm({**data, "body": every}).is_valid()
    with translation.override("en"):
        problems = answer_template_problems(body="Hei {name} og {title}")
        assert problems == [
            "Unknown placeholder: {name}. Only {title}, {reference}, {committee} can be used."
        ]
        form = AnswerTemplateForm({**data, "body": "Hei {name} og {title}"})
        assert form.errors["body"] == problems
    # What the form refuses, the service would have left unfilled.
    assert "{name}" in services.answer_template_fill(
        template=AnswerTemplate(body="Hei {name}"), proposal=proposal
    )


# --- Where deadlines run: deadlines.RUNNING_STATES ----------------------------------------------


def test_deadlines_run_and_are_followed_up_in_the_same_states():
    from proposals import deadlines
    from proposals.services.follow_up import FOLLOWED_STATES

    closed = {State.DRAFT, State.DECLINED, State.COMPLETED, State.WITHDRAWN}
    running = set(State.values) - closed
    assert running == deadlines.RUNNING_STATES
    assert running == set(FOLLOWED_STATES)
