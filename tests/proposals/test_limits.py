"""Every numeric limit a resident, a board member or a case handler meets on a proposal, at the
limit (accepted) and one past it (refused with the app's message or, for Django's own length and
range checks, their error code): the draft form, the message and step forms, the admin's forms,
the services and the attachments (issue 10, "boundary tests for every numeric limit").

Each table names the limit where the app keeps it, so a limit changed in one place and not in
another fails here.
"""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from proposals import services
from proposals.forms import MessageForm, ProposalForm, TransitionForm
from proposals.models import (
    MESSAGE_MAX_LENGTH,
    Attachment,
    Message,
    OfficialAnswer,
    Proposal,
    State,
    message_length_problems,
)
from tests.factories import ProposalFactory, proposal_form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
MAX_BYTES = settings.PROPOSALS["ATTACHMENT_MAX_BYTES"]
MAX_COUNT = settings.PROPOSALS["ATTACHMENT_MAX_COUNT"]


def _draft_data(committee, **overrides):
    return proposal_form_data(committee, **overrides)


def _pdf_of(size: int, name="vedlegg.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + b"x" * (size - len(PDF)), content_type="application/pdf")


# --- The draft form: text lengths ----------------------------------------------------------------

TEXT_LIMITS = [
    ("title", 140),
    ("summary", 300),
    ("body", 10_000),
    ("location_text", 200),
    ("task", 200),
    ("season", 200),
    ("municipality_provides", 2000),
]


@pytest.mark.parametrize(("field", "limit"), TEXT_LIMITS)
def test_draft_text_at_its_limit_is_accepted_and_one_more_character_is_not(committee, field, limit):
    at_limit = ProposalForm(_draft_data(committee, **{field: "x" * limit}))
    assert at_limit.is_valid(), at_limit.errors
    over = ProposalForm(_draft_data(committee, **{field: "x" * (limit + 1)}))
    assert not over.is_valid()
    assert over.has_error(field, code="max_length")
    assert list(over.errors) == [field]
    # The browser is told the same limit (the field's maxlength attribute).
    assert f'maxlength="{limit}"' in str(at_limit[field])
    # And so is the model: the services' full_clean refuses what the form would.
    assert Proposal._meta.get_field(field).max_length == limit


@pytest.mark.parametrize(("field", "limit"), TEXT_LIMITS)
def test_the_draft_service_refuses_one_character_past_the_limit(resident, committee, field, limit):
    fields = {  # a take-over proposal: its own fields are kept only on one
        "committee": committee,
        "title": "Utkast",
        "summary": "Kort",
        "body": "Lang tekst",
        "kind": "takeover",
        "category": "other",
    }
    kept = services.proposal_create_draft(author=resident, **{**fields, field: "x" * limit})
    assert getattr(kept, field) == "x" * limit
    with pytest.raises(ValidationError) as error:
        services.proposal_create_draft(author=resident, **{**fields, field: "x" * (limit + 1)})
    assert [e.code for e in error.value.error_dict[field]] == ["max_length"]
    assert Proposal.objects.count() == 1


# --- The draft form: numbers ---------------------------------------------------------------------

NUMBER_LIMITS = [
    # (field, lowest accepted, highest accepted, one below, one above)
    ("volunteer_hours_per_year", "0", "100000", "-1", "100001"),
    ("compensation_per_year", "0", "10000000", "-1", "10000001"),
]


@pytest.mark.parametrize(("field", "lowest", "highest", "below", "above"), NUMBER_LIMITS)
def test_draft_numbers_at_their_limits(committee, field, lowest, highest, below, above):
    for accepted in (lowest, highest):
        form = ProposalForm(_draft_data(committee, **{field: accepted}))
        assert form.is_valid(), (accepted, form.errors)
        assert form.cleaned_data[field] == Decimal(accepted)
    for refused, code in ((below, "min_value"), (above, "max_value")):
        form = ProposalForm(_draft_data(committee, **{field: refused}))
        assert form.has_error(field, code=code), (refused, form.errors.as_data())


COORDINATES = [
    ("latitude", "90", "Latitude must be between -90 and 90, e.g. 59.39670."),
    ("longitude", "180", "Longitude must be between -180 and 180, e.g. 9.96810."),
]


@pytest.mark.parametrize(("field", "limit", "message"), COORDINATES)
def test_coordinates_at_the_limit_and_one_step_past_it(committee, field, limit, message):
    """Five decimals are kept (about a metre), so the step past the limit is 0.00001."""
    with translation.override("en"):
        for accepted in (limit, f"-{limit}", f"{limit}.00000"):
            form = ProposalForm(_draft_data(committee, **{field: accepted}))
            assert form.is_valid(), (accepted, form.errors)
        for refused in (f"{limit}.00001", f"-{limit}.00001"):
            form = ProposalForm(_draft_data(committee, **{field: refused}))
            assert form.errors[field] == [message], refused


# --- Messages: MESSAGE_MAX_LENGTH everywhere a message is written ---------------------------------


def test_the_message_rule_at_the_limit():
    assert MESSAGE_MAX_LENGTH == 5000
    assert message_length_problems("x" * MESSAGE_MAX_LENGTH) == []
    with translation.override("en"):
        assert message_length_problems("x" * (MESSAGE_MAX_LENGTH + 1)) == [
            "The message can be at most 5,000 characters."
        ]


def _admin_forms():
    from proposals.admin.forms import DecideForm, InfoRequestForm, PreliminaryAnswerForm

    return [
        (lambda data: MessageForm(data), "body", MESSAGE_MAX_LENGTH),
        (lambda data: TransitionForm(data), "message", MESSAGE_MAX_LENGTH),
        (lambda data: PreliminaryAnswerForm(data), "message", MESSAGE_MAX_LENGTH),
        (lambda data: InfoRequestForm({"due": "2999-01-01", **data}), "question", 5000),
        (lambda data: DecideForm(data), "body", 10_000),
    ]


@pytest.mark.parametrize("index", range(5))
def test_each_message_form_takes_the_limit_and_refuses_one_more(index):
    make_form, field, limit = _admin_forms()[index]
    at_limit = make_form({field: "x" * limit})
    assert not at_limit.has_error(field), at_limit.errors
    over = make_form({field: "x" * (limit + 1)})
    assert over.has_error(field, code="max_length")


def test_the_case_change_form_limits(committee, case_handler):
    from proposals.admin.forms import ProposalAdminForm

    proposal = ProposalFactory(committee=committee, state=State.IN_REVIEW)
    for field, limit in (("committee_message", MESSAGE_MAX_LENGTH), ("internal_note", 10_000)):
        at_limit = ProposalAdminForm({field: "x" * limit}, instance=proposal)
        at_limit.is_valid()
        assert not at_limit.has_error(field), at_limit.errors
        over = ProposalAdminForm({field: "x" * (limit + 1)}, instance=proposal)
        over.is_valid()
        assert over.has_error(field, code="max_length")


@pytest.mark.parametrize("state", [State.IN_REVIEW, State.INFO_REQUESTED])
def test_the_dialogue_service_takes_the_limit_and_refuses_one_more_in_the_apps_words(
    committee, board_member, state
):
    """A message in the dialogue and the committee's answer to a question: the same rule and the
    same words (``rules.message_length_problems``), whichever way the message goes."""
    proposal = ProposalFactory(committee=committee, state=state)
    too_long = "x" * (MESSAGE_MAX_LENGTH + 1)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.message_send(proposal=proposal, actor=board_member, body=too_long)
    assert error.value.message_dict == {"body": ["The message can be at most 5,000 characters."]}
    assert not Message.objects.exists()
    services.message_send(proposal=proposal, actor=board_member, body="x" * MESSAGE_MAX_LENGTH)
    assert Message.objects.get().body == "x" * MESSAGE_MAX_LENGTH


def test_a_step_message_at_the_limit_is_taken_and_one_more_is_refused(committee, leader):
    proposal = ProposalFactory(committee=committee, state=State.SUBMITTED)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.proposal_transition(
            proposal=proposal,
            actor=leader,
            to_state=State.DECLINED,
            message="x" * (MESSAGE_MAX_LENGTH + 1),
        )
    assert error.value.message_dict == {"message": ["The message can be at most 5,000 characters."]}
    services.proposal_transition(
        proposal=proposal, actor=leader, to_state=State.DECLINED, message="x" * MESSAGE_MAX_LENGTH
    )
    proposal.refresh_from_db()
    assert proposal.state == State.DECLINED


def test_the_message_page_takes_the_limit_and_gives_one_more_back(client, committee, leader):
    proposal = ProposalFactory(committee=committee, state=State.IN_REVIEW)
    url = reverse("proposals:message-create", kwargs={"reference": proposal.reference})
    client.force_login(leader)
    response = client.post(url, {"body": "x" * (MESSAGE_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert response.context["form"].has_error("body", code="max_length")
    assert not Message.objects.exists()
    response = client.post(url, {"body": "x" * MESSAGE_MAX_LENGTH})
    assert response.status_code == 302
    assert Message.objects.get().body == "x" * MESSAGE_MAX_LENGTH


def test_an_official_answer_at_its_limit(committee, case_handler):
    assert OfficialAnswer._meta.get_field("body").max_length == 10_000
    proposal = ProposalFactory(committee=committee, state=State.IN_REVIEW)
    services.answer_save_draft(
        proposal=proposal, actor=case_handler, outcome=State.ACCEPTED, body="x" * 10_000
    )
    with pytest.raises(ValidationError) as error:
        services.answer_save_draft(
            proposal=proposal, actor=case_handler, outcome=State.ACCEPTED, body="x" * 10_001
        )
    assert "max_length" in [e.code for e in error.value.error_dict["body"]]


# --- Attachments: size, count and the empty file -------------------------------------------------


def test_an_attachment_of_exactly_the_limit_is_added_and_one_byte_more_is_not(resident, committee):
    draft = services.proposal_create_draft(
        author=resident, committee=committee, title="T", summary="S", body="B"
    )
    services.attachment_add(proposal=draft, actor=resident, uploaded_file=_pdf_of(MAX_BYTES))
    mb = MAX_BYTES // (1024 * 1024)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.attachment_add(
            proposal=draft, actor=resident, uploaded_file=_pdf_of(MAX_BYTES + 1, "stor.pdf")
        )
    assert error.value.messages == [f"“stor.pdf” is too large. The limit is {mb} MB."]
    assert Attachment.objects.count() == 1


def test_the_draft_form_takes_a_file_of_the_limit_and_refuses_one_byte_more(committee):
    form = ProposalForm(_draft_data(committee), {"attachments": [_pdf_of(MAX_BYTES)]})
    assert form.is_valid(), form.errors
    mb = MAX_BYTES // (1024 * 1024)
    with translation.override("en"):
        form = ProposalForm(_draft_data(committee), {"attachments": [_pdf_of(MAX_BYTES + 1)]})
        assert form.errors["attachments"] == [f"“vedlegg.pdf” is too large. The limit is {mb} MB."]


def test_the_attachment_count_at_the_limit(resident, committee):
    assert MAX_COUNT == 5
    files = [_pdf_of(100, f"{n}.pdf") for n in range(MAX_COUNT)]
    assert ProposalForm(_draft_data(committee), {"attachments": files}).is_valid()
    one_more = [_pdf_of(100, f"{n}.pdf") for n in range(MAX_COUNT + 1)]
    with translation.override("en"):
        form = ProposalForm(_draft_data(committee), {"attachments": one_more})
        assert form.errors["attachments"] == ["A proposal can have at most 5 attachments."]
    # The service counts what the draft has already.
    draft = services.proposal_create_draft(
        author=resident, committee=committee, title="T", summary="S", body="B"
    )
    for _ in range(MAX_COUNT):
        services.attachment_add(proposal=draft, actor=resident, uploaded_file=_pdf_of(100))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.attachment_add(proposal=draft, actor=resident, uploaded_file=_pdf_of(100))
    assert error.value.messages == ["A proposal can have at most 5 attachments."]


def test_an_empty_file_gets_the_apps_own_message_on_the_form_and_from_the_service(
    resident, committee
):
    """Not Django's "The submitted file is empty.", which does not say which file: the app's own
    check (``core.attachments``) runs and names it (issue 10)."""
    empty = SimpleUploadedFile("tom.png", b"", content_type="image/png")
    with translation.override("en"):
        form = ProposalForm(_draft_data(committee), {"attachments": [_pdf_of(100), empty]})
        assert form.errors["attachments"] == ["“tom.png” is empty."]
    draft = services.proposal_create_draft(
        author=resident, committee=committee, title="T", summary="S", body="B"
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.attachment_add(
            proposal=draft, actor=resident, uploaded_file=SimpleUploadedFile("tom.pdf", b"")
        )
    assert error.value.messages == ["“tom.pdf” is empty."]
    assert not Attachment.objects.exists()
