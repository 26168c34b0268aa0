"""Writing pages (drafts) and case pages (status changes, dialogue, committee inbox): each view ×
anonymous, outsider and allowed user, the role × transition matrix through the view, and bad input
that must come back as a form error with nothing saved."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import Attachment, Message, Party, Proposal, ProposalEvent, State
from tests.factories import CommitteeFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def author(db):
    return UserFactory(email="author@example.no", full_name="Astrid Forslagsstiller")


def english(client):
    client.cookies["nmu_language"] = "en"


def pdf(name="plan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form_data(the_committee, **overrides):
    data = {
        "committee": the_committee.pk,
        "kind": "idea",
        "category": "meeting_places",
        "title": "Benker langs elva",
        "summary": "Flere benker langs turstien.",
        "body": "Vi foreslår fem nye benker langs elva.",
        "location_text": "Svarstad",
        "latitude": "",
        "longitude": "",
        "task": "",
        "season": "",
        "volunteer_hours_per_year": "",
        "compensation_per_year": "",
        "municipality_provides": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def draft_for(author, committee, **fields):
    values = {
        "committee": committee,
        "title": "Utkast",
        "summary": "Kort",
        "body": "Lang tekst",
        "kind": "idea",
        "category": "other",
    }
    values.update(fields)
    return services.proposal_create_draft(author=author, **values)


def stored_files():
    from django.core.files.storage import default_storage

    found, folders = [], ["proposals"]
    while folders:
        folder = folders.pop()
        if not default_storage.exists(folder):
            continue
        subfolders, files = default_storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        found += [f"{folder}/{name}" for name in files]
    return found


def login_url_of(response):
    return response.status_code == 302 and "/login/" in response["Location"]


CREATE = reverse("proposals:proposal-create")


# --- New proposal ---------------------------------------------------------------------------------


def test_create_anonymous_goes_to_login(client, committee):
    assert login_url_of(client.get(CREATE))
    assert login_url_of(client.post(CREATE, form_data(committee)))
    assert not Proposal.objects.exists()


def test_create_form_preselects_the_committee_and_groups_sub_committees(
    client, resident, committee
):
    CommitteeFactory(name="Hvarnes", slug="hvarnes", parent=committee)
    client.force_login(resident)
    english(client)
    response = client.get(CREATE + "?utvalg=svarstad")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{committee.pk}" selected>' in body
    assert '<optgroup label="Svarstad">' in body and "Hvarnes (Svarstad)" in body
    assert 'enctype="multipart/form-data"' in body
    assert "Only for take-over proposals" in body
    assert "The committee offers to do a task" in body  # the kind's explanation
    # An unknown committee is simply not preselected.
    assert client.get(CREATE + "?utvalg=finnes-ikke").status_code == 200


def test_save_draft_stays_on_the_edit_page(client, resident, committee):
    client.force_login(resident)
    response = client.post(CREATE, form_data(committee))
    proposal = Proposal.objects.get()
    assert proposal.state == State.DRAFT and proposal.author == resident
    assert proposal.reference is None
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:draft-edit", kwargs={"pk": proposal.pk})


def test_preview_button_saves_and_shows_the_preview(client, resident, committee):
    client.force_login(resident)
    response = client.post(CREATE, form_data(committee, action="preview", attachments=[pdf()]))
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("proposals:draft-preview", kwargs={"pk": proposal.pk})
    attachment = proposal.attachments.get()
    assert attachment.original_name == "plan.pdf" and attachment.content_type == "application/pdf"
    english(client)
    page = client.get(response["Location"]).content.decode()
    assert "Benker langs elva" in page and "plan.pdf" in page
    assert "Submit to the committee" in page
    assert "handles it within 21 days" in page
    assert reverse("proposals:draft-submit", kwargs={"pk": proposal.pk}) in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "x" * 141}, "title"),
        ({"summary": "x" * 301}, "summary"),
        ({"body": ""}, "body"),
        ({"committee": "999999"}, "committee"),
        ({"kind": "nonsense"}, "kind"),
        ({"latitude": "91"}, "latitude"),
        ({"volunteer_hours_per_year": "-3"}, "volunteer_hours_per_year"),
    ],
)
def test_bad_input_comes_back_as_a_form_error(client, resident, committee, overrides, field):
    client.force_login(resident)
    response = client.post(CREATE, form_data(committee, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "is not a PDF, PNG or JPEG file"),
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"), "does not look like a PDF"),
        (SimpleUploadedFile("empty.png", b""), "is empty"),
    ],
)
def test_bad_attachment_is_refused_and_nothing_is_saved(
    client, resident, committee, upload, expected
):
    client.force_login(resident)
    english(client)
    response = client.post(CREATE, form_data(committee, attachments=[pdf(), upload]))
    assert response.status_code == 400
    assert any(expected in e for e in response.context["form"].errors["attachments"])
    assert expected in response.content.decode()
    assert not Proposal.objects.exists() and not Attachment.objects.exists()


def test_at_most_five_attachments(client, resident, committee):
    client.force_login(resident)
    english(client)
    files = [pdf(f"side-{n}.pdf") for n in range(6)]
    response = client.post(CREATE, form_data(committee, attachments=files))
    assert response.status_code == 400
    assert "at most 5 attachments" in response.content.decode()
    assert not Proposal.objects.exists() and not Attachment.objects.exists()


def test_the_limit_counts_attachments_already_on_the_draft(client, resident, committee):
    draft = draft_for(resident, committee)
    for n in range(4):
        services.attachment_add(proposal=draft, actor=resident, uploaded_file=pdf(f"{n}.pdf"))
    client.force_login(resident)
    url = reverse("proposals:draft-edit", kwargs={"pk": draft.pk})
    response = client.post(
        url, form_data(committee, title="Nytt", attachments=[pdf(), pdf("b.pdf")])
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.title == "Utkast"  # nothing half-saved
    assert draft.attachments.count() == 4


def test_too_large_attachment_is_a_form_error(client, resident, committee, settings):
    settings.PROPOSALS = {**settings.PROPOSALS, "ATTACHMENT_MAX_BYTES": 100}
    client.force_login(resident)
    english(client)
    response = client.post(CREATE, form_data(committee, attachments=[pdf(content=PDF * 10)]))
    assert response.status_code == 400
    assert "is too large" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_refused_file_in_the_service_rolls_back_the_draft(
    client, resident, committee, monkeypatch
):
    """Even when only the service (not the form) refuses a file, nothing is saved."""
    from proposals.forms import ProposalForm

    monkeypatch.setattr(
        ProposalForm, "clean_attachments", lambda form: form.cleaned_data["attachments"]
    )
    client.force_login(resident)
    files_before = stored_files()
    response = client.post(
        CREATE, form_data(committee, attachments=[pdf(), SimpleUploadedFile("x.exe", b"MZ")])
    )
    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors
    assert not Proposal.objects.exists() and not Attachment.objects.exists()
    assert stored_files() == files_before  # the first file, already stored, was removed again


TAKEOVER = {
    "kind": "takeover",
    "task": "Flaggheising",
    "season": "Offentlige flaggdager",
    "volunteer_hours_per_year": "40",
    "compensation_per_year": "6000",
    "municipality_provides": "Flagg og nøkkel",
}


def test_takeover_preview_needs_the_takeover_facts(client, resident, committee):
    client.force_login(resident)
    english(client)
    data = form_data(committee, kind="takeover", location_text="", action="preview")
    response = client.post(CREATE, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {
        "task",
        "season",
        "volunteer_hours_per_year",
        "compensation_per_year",
        "location_text",
    }
    assert "Say which task the committee wants to take over." in response.content.decode()
    assert not Proposal.objects.exists()
    # Saving an unfinished take-over draft is fine.
    response = client.post(CREATE, {**data, "action": "save"})
    assert response.status_code == 302
    assert Proposal.objects.get().kind == "takeover"


def test_complete_takeover_is_saved_with_its_facts(client, resident, committee):
    client.force_login(resident)
    client.post(CREATE, form_data(committee, action="preview", **TAKEOVER))
    proposal = Proposal.objects.get()
    assert proposal.task == "Flaggheising" and proposal.compensation_per_year == 6000


# --- Preview, edit, submit, delete ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["draft-preview", "draft-edit", "draft-delete"])
def test_draft_pages_are_the_authors_only(
    client, resident, other_resident, leader, committee, name
):
    draft = draft_for(resident, committee)
    url = reverse(f"proposals:{name}", kwargs={"pk": draft.pk})
    assert login_url_of(client.get(url))
    for outsider in (other_resident, leader):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        if name != "draft-preview":
            assert client.post(url, form_data(committee, title="Kapret")).status_code == 404
    client.force_login(resident)
    assert client.get(url).status_code == 200
    draft.refresh_from_db()
    assert draft.title == "Utkast"


def test_submitted_proposal_has_no_draft_pages(client, committee, author):
    proposal = ProposalFactory(committee=committee, author=author)
    client.force_login(author)
    for name in ("draft-preview", "draft-edit", "draft-delete"):
        url = reverse(f"proposals:{name}", kwargs={"pk": proposal.pk})
        assert client.get(url).status_code == 404
    url = reverse("proposals:draft-submit", kwargs={"pk": proposal.pk})
    assert client.post(url).status_code == 404


def test_edit_form_is_prefilled_and_saves(client, resident, committee):
    draft = draft_for(resident, committee, location_text="Torget")
    url = reverse("proposals:draft-edit", kwargs={"pk": draft.pk})
    client.force_login(resident)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"]["title"].value() == "Utkast"
    assert 'value="Torget"' in response.content.decode()
    response = client.post(url, form_data(committee, title="Bedre tittel"))
    assert response["Location"] == url
    draft.refresh_from_db()
    assert draft.title == "Bedre tittel" and draft.state == State.DRAFT


def test_edit_page_lists_and_removes_attachments(client, resident, committee):
    draft = draft_for(resident, committee)
    attachment = services.attachment_add(proposal=draft, actor=resident, uploaded_file=pdf())
    url = reverse("proposals:draft-edit", kwargs={"pk": draft.pk})
    client.force_login(resident)
    body = client.get(url).content.decode()
    assert "plan.pdf" in body and f'form="remove-attachment-{attachment.pk}"' in body
    response = client.post(url, {"remove_attachment": attachment.pk})
    assert response.status_code == 302
    assert not Attachment.objects.exists()


def test_preview_removes_an_attachment_and_returns(client, resident, committee):
    draft = draft_for(resident, committee)
    attachment = services.attachment_add(proposal=draft, actor=resident, uploaded_file=pdf())
    client.force_login(resident)
    response = client.post(
        reverse("proposals:draft-edit", kwargs={"pk": draft.pk}),
        {"remove_attachment": attachment.pk, "return_to": "preview"},
    )
    assert response["Location"] == reverse("proposals:draft-preview", kwargs={"pk": draft.pk})
    assert not Attachment.objects.exists()


def test_cannot_remove_another_drafts_attachment(client, resident, other_resident, committee):
    mine = draft_for(resident, committee)
    theirs = draft_for(other_resident, committee)
    attachment = services.attachment_add(proposal=theirs, actor=other_resident, uploaded_file=pdf())
    client.force_login(resident)
    url = reverse("proposals:draft-edit", kwargs={"pk": mine.pk})
    assert client.post(url, {"remove_attachment": attachment.pk}).status_code == 404
    assert client.post(url, {"remove_attachment": "abc"}).status_code == 404
    assert Attachment.objects.count() == 1


def test_submit_publishes_and_goes_to_the_proposal(client, resident, other_resident, committee):
    draft = draft_for(resident, committee)
    url = reverse("proposals:draft-submit", kwargs={"pk": draft.pk})
    assert login_url_of(client.post(url))
    client.force_login(other_resident)
    assert client.post(url).status_code == 404
    client.force_login(resident)
    assert client.get(url).status_code == 405
    response = client.post(url)
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED and draft.reference
    assert response["Location"] == f"/forslag/{draft.reference}/"


def test_incomplete_takeover_cannot_be_submitted(client, resident, committee):
    draft = draft_for(resident, committee, kind="takeover")
    client.force_login(resident)
    english(client)
    response = client.post(reverse("proposals:draft-submit", kwargs={"pk": draft.pk}), follow=True)
    assert response.redirect_chain[0][0] == reverse("proposals:draft-edit", kwargs={"pk": draft.pk})
    body = response.content.decode()
    assert "could not be submitted" in body
    assert "Say which task the committee wants to take over." in body
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.reference is None


def test_delete_asks_then_deletes(client, resident, committee):
    draft = draft_for(resident, committee)
    services.attachment_add(proposal=draft, actor=resident, uploaded_file=pdf())
    url = reverse("proposals:draft-delete", kwargs={"pk": draft.pk})
    client.force_login(resident)
    assert client.get(url).status_code == 200
    assert Proposal.objects.exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Proposal.objects.exists() and not Attachment.objects.exists()


# --- Status changes -------------------------------------------------------------------------------


def transition_url(proposal, to):
    return reverse("proposals:proposal-transition", kwargs={"reference": proposal.reference}) + (
        f"?til={to}"
    )


def test_transition_anonymous_goes_to_login(client, committee):
    proposal = ProposalFactory(committee=committee)
    assert login_url_of(client.get(transition_url(proposal, "forwarded")))
    assert login_url_of(client.post(transition_url(proposal, "forwarded")))


@pytest.mark.parametrize("to", [State.FORWARDED, State.DECLINED, State.COMMITTEE_REVIEW])
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("leader", True),
        ("board_member", True),
        ("other_committee_leader", False),
        ("resident", False),
        ("author", False),
        ("case_handler", False),
        ("superuser", False),
    ],
)
def test_committee_steps_by_role(request, client, committee, author, role, allowed, to):
    proposal = ProposalFactory(committee=committee, author=author)
    client.force_login(request.getfixturevalue(role))
    url = transition_url(proposal, to)
    assert client.get(url).status_code == (200 if allowed else 403)
    response = client.post(url, {"message": "Begrunnelse fra utvalget."})
    proposal.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert response["Location"] == proposal.get_absolute_url()
        assert proposal.state == to
        assert ProposalEvent.objects.filter(proposal=proposal, to_state=to).exists()
    else:
        assert response.status_code == 403
        assert proposal.state == State.SUBMITTED


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("author", True), ("leader", False), ("resident", False), ("case_handler", False)],
)
def test_only_the_author_withdraws(request, client, committee, author, role, allowed):
    proposal = ProposalFactory(committee=committee, author=author)
    client.force_login(request.getfixturevalue(role))
    response = client.post(transition_url(proposal, State.WITHDRAWN))
    proposal.refresh_from_db()
    assert response.status_code == (302 if allowed else 403)
    assert proposal.state == (State.WITHDRAWN if allowed else State.SUBMITTED)


@pytest.mark.parametrize("outcome", [State.ACCEPTED, State.PARTLY_ACCEPTED, State.REJECTED])
@pytest.mark.parametrize("role", ["case_handler", "superuser", "leader", "author"])
def test_nobody_decides_through_this_view(request, client, committee, author, outcome, role):
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    client.force_login(request.getfixturevalue(role))
    url = transition_url(proposal, outcome)
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"message": "Ja"}).status_code in (403, 404)
    proposal.refresh_from_db()
    assert proposal.state == State.IN_REVIEW and proposal.decided_at is None


def test_unknown_target_or_reference_is_404(client, committee, leader):
    proposal = ProposalFactory(committee=committee)
    client.force_login(leader)
    assert client.get(transition_url(proposal, "finnes-ikke")).status_code == 404
    url = reverse("proposals:proposal-transition", kwargs={"reference": proposal.reference})
    assert client.get(url).status_code == 404
    missing = reverse("proposals:proposal-transition", kwargs={"reference": "NMU-1999-0001"})
    assert client.get(missing + "?til=forwarded").status_code == 404


def test_a_transition_the_table_does_not_have_is_403(client, committee, leader):
    proposal = ProposalFactory(committee=committee, state=State.DECLINED)
    client.force_login(leader)
    assert client.get(transition_url(proposal, State.FORWARDED)).status_code == 403


def test_declining_without_a_reason_changes_nothing(client, committee, leader):
    proposal = ProposalFactory(committee=committee)
    client.force_login(leader)
    english(client)
    page = client.get(transition_url(proposal, State.DECLINED)).content.decode()
    assert "Decline the proposal" in page and "Reason for declining" in page
    response = client.post(transition_url(proposal, State.DECLINED), {"message": "   "})
    assert response.status_code == 400
    assert "message" in response.context["form"].errors
    assert "Please correct the errors below." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED
    assert not ProposalEvent.objects.filter(proposal=proposal).exists()


def test_declining_with_a_reason_records_it(client, committee, leader):
    proposal = ProposalFactory(committee=committee)
    client.force_login(leader)
    client.post(transition_url(proposal, State.DECLINED), {"message": "Utenfor vårt område."})
    event = ProposalEvent.objects.get(proposal=proposal)
    assert event.to_state == State.DECLINED and event.message == "Utenfor vårt område."
    assert event.actor == leader and event.actor_party == Party.COMMITTEE


def test_transition_titles(client, committee, leader):
    proposal = ProposalFactory(committee=committee)
    client.force_login(leader)
    english(client)
    page = client.get(transition_url(proposal, State.FORWARDED)).content.decode()
    assert "Forward to the municipality" in page and "Comment" in page
    page = client.get(transition_url(proposal, State.COMMITTEE_REVIEW)).content.decode()
    assert "Take up for consideration" in page


def test_the_committee_answers_the_municipalitys_question(client, committee, leader, case_handler):
    proposal = ProposalFactory(committee=committee)
    services.proposal_transition(proposal=proposal, actor=leader, to_state=State.FORWARDED)
    services.proposal_transition(
        proposal=proposal,
        actor=case_handler,
        to_state=State.INFO_REQUESTED,
        message="Hvor mange flaggstenger gjelder det?",
    )
    client.force_login(leader)
    english(client)
    url = transition_url(proposal, State.IN_REVIEW)
    page = client.get(url).content.decode()
    assert "Answer the municipality&#x27;s question" in page
    assert "Hvor mange flaggstenger gjelder det?" in page
    assert "Answer to the question" in page
    assert client.post(url, {"message": ""}).status_code == 400
    response = client.post(url, {"message": "Atten."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.IN_REVIEW
    assert Message.objects.filter(proposal=proposal, party=Party.COMMITTEE, body="Atten.").exists()


def test_the_case_handler_moves_municipal_steps_but_not_committee_ones(
    client, committee, leader, case_handler
):
    proposal = ProposalFactory(committee=committee, state=State.FORWARDED)
    client.force_login(case_handler)
    assert client.post(transition_url(proposal, State.RECEIVED)).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.RECEIVED
    client.force_login(leader)
    assert client.get(transition_url(proposal, State.IN_REVIEW)).status_code == 403


# --- Dialogue -------------------------------------------------------------------------------------


def message_url(proposal):
    return reverse("proposals:message-create", kwargs={"reference": proposal.reference})


def test_message_anonymous_goes_to_login(client, committee):
    proposal = ProposalFactory(committee=committee)
    assert login_url_of(client.post(message_url(proposal), {"body": "Hei"}))
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("role", "party"), [("leader", Party.COMMITTEE), ("case_handler", Party.MUNICIPALITY)]
)
def test_the_parties_write_in_the_dialogue(request, client, committee, role, party):
    proposal = ProposalFactory(committee=committee, state=State.FORWARDED)
    user = request.getfixturevalue(role)
    client.force_login(user)
    answer_by = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(
        message_url(proposal), {"body": "Kan vi møtes?", "answer_by": answer_by.isoformat()}
    )
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url() + "#dialog"
    message = Message.objects.get()
    assert message.sender == user and message.party == party and message.answer_by == answer_by


@pytest.mark.parametrize("role", ["resident", "other_committee_leader", "author"])
def test_outsiders_cannot_write_in_the_dialogue(request, client, committee, author, role):
    proposal = ProposalFactory(committee=committee, author=author, state=State.FORWARDED)
    client.force_login(request.getfixturevalue(role))
    assert client.post(message_url(proposal), {"body": "Hei"}).status_code == 403
    assert not Message.objects.exists()


def test_message_errors_come_back_on_a_form(client, committee, leader):
    proposal = ProposalFactory(committee=committee, state=State.FORWARDED)
    client.force_login(leader)
    english(client)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        message_url(proposal), {"body": "Svar innen i går", "answer_by": yesterday.isoformat()}
    )
    assert response.status_code == 400
    assert "answer_by" in response.context["form"].errors
    assert "The date cannot be in the past." in response.content.decode()
    response = client.post(message_url(proposal), {"body": ""})
    assert response.status_code == 400 and "body" in response.context["form"].errors
    response = client.post(message_url(proposal), {"body": "x" * 5001})
    assert response.status_code == 400
    assert client.get(message_url(proposal)).status_code == 405
    assert not Message.objects.exists()


def test_a_closed_case_takes_no_messages(client, committee, leader):
    proposal = ProposalFactory(committee=committee, state=State.WITHDRAWN)
    client.force_login(leader)
    response = client.post(message_url(proposal), {"body": "Hei"})
    assert response.status_code == 403  # nobody writes in a closed case's dialogue
    assert not Message.objects.exists()


# --- Committee inbox ------------------------------------------------------------------------------


def inbox_url(committee):
    return reverse("proposals:committee-inbox", kwargs={"slug": committee.slug})


def test_inbox_access(client, committee, resident, other_committee_leader, case_handler, leader):
    url = inbox_url(committee)
    assert login_url_of(client.get(url))
    for outsider in (resident, other_committee_leader, case_handler):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
    client.force_login(leader)
    assert client.get(url).status_code == 200
    assert client.get("/nmu/finnes-ikke/innboks/").status_code == 404


def test_inbox_lists_what_waits_for_the_committee(
    client, committee, other_committee, leader, case_handler
):
    today = timezone.localdate()
    waiting = ProposalFactory(
        committee=committee, title="Venter", committee_due=today - datetime.timedelta(days=2)
    )
    reviewing = ProposalFactory(
        committee=committee,
        title="Vurderes",
        state=State.COMMITTEE_REVIEW,
        committee_due=today + datetime.timedelta(days=5),
    )
    ProposalFactory(committee=other_committee, title="Annet utvalg")
    ProposalFactory(committee=committee, title="Avslått", state=State.DECLINED)
    asked = ProposalFactory(committee=committee, title="Spørsmål", state=State.FORWARDED)
    services.proposal_transition(
        proposal=asked, actor=case_handler, to_state=State.INFO_REQUESTED, message="Hvor?"
    )
    requested = ProposalFactory(committee=committee, title="Melding", state=State.FORWARDED)
    services.message_send(
        proposal=requested,
        actor=case_handler,
        body="Kan dere sende et kart?",
        answer_by=today + datetime.timedelta(days=3),
    )
    client.force_login(leader)
    english(client)
    response = client.get(inbox_url(committee))
    body = response.content.decode()
    assert [p.pk for p in response.context["awaiting"]] == [waiting.pk, reviewing.pk]
    assert [p.pk for p in response.context["questions"]] == [asked.pk]
    assert [m.proposal_id for m in response.context["open_requests"]] == [requested.pk]
    assert "Annet utvalg" not in body and "Avslått" not in body
    assert "Overdue by 2 days" in body and "5 days left" in body
    assert "Kan dere sende et kart?" in body
    assert transition_url(waiting, "forwarded") in body
    assert transition_url(waiting, "declined") in body
    assert transition_url(waiting, "committee_review") in body
    assert transition_url(reviewing, "committee_review") not in body
    assert transition_url(asked, "in_review") in body


def _bulk_proposals(committee, author, n, offset):
    today = timezone.localdate()
    Proposal.objects.bulk_create(
        [
            Proposal(
                committee=committee,
                author=author,
                title=f"Forslag {i}",
                summary="S",
                body="B",
                state=State.SUBMITTED if i % 2 else State.INFO_REQUESTED,
                reference=f"NMU-1990-{offset + i:05d}",
                submitted_at=timezone.now(),
                committee_due=today + datetime.timedelta(days=i % 30),
                info_due=today + datetime.timedelta(days=i % 10),
            )
            for i in range(n)
        ]
    )
    without_messages = Proposal.objects.filter(
        reference__startswith="NMU-1990-", state=State.SUBMITTED, messages__isnull=True
    )
    Message.objects.bulk_create(
        [
            Message(
                proposal=p,
                party=Party.MUNICIPALITY,
                body="Svar?",
                answer_by=today + datetime.timedelta(days=3),
            )
            for p in without_messages
        ]
    )


def test_inbox_query_count_does_not_grow_with_rows(client, committee, resident, leader):
    client.force_login(leader)
    _bulk_proposals(committee, resident, 10, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(inbox_url(committee)).status_code == 200
    _bulk_proposals(committee, resident, 990, 10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(inbox_url(committee))
    assert len(response.context["awaiting"]) == 500
    assert len(response.context["open_requests"]) > 100
    assert len(many) == len(few)
