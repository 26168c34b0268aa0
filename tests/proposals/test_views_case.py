"""Writing pages (drafts) and case pages (status changes, dialogue, committee inbox): each view ×
anonymous, outsider and allowed user, the role × transition matrix through the view, and bad input
that must come back as a form error with nothing saved."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import Attachment, Message, Party, Proposal, ProposalEvent, State
from tests.factories import CommitteeFactory, ProposalFactory, UserFactory, proposal_form_data

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
    return proposal_form_data(the_committee, **{"action": "save", **overrides})


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
        (
            SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
            "“virus.exe” is not a PDF, PNG or JPEG file.",
        ),
        (
            SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"),
            "“fake.pdf” does not look like a PDF file.",
        ),
        # The app's own empty-file check, not Django's "The submitted file is empty." (issue 10).
        (SimpleUploadedFile("empty.png", b""), "“empty.png” is empty."),
    ],
)
def test_bad_attachment_is_refused_and_nothing_is_saved(
    client, resident, committee, upload, expected
):
    from django.utils.html import escape

    client.force_login(resident)
    english(client)
    response = client.post(CREATE, form_data(committee, attachments=[pdf(), upload]))
    assert response.status_code == 400
    # The app's message, then the view's reminder that files are not kept.
    assert response.context["form"].errors["attachments"][0] == expected
    assert escape(expected) in response.content.decode()
    assert not Proposal.objects.exists() and not Attachment.objects.exists()


def test_at_most_five_attachments(client, resident, committee):
    client.force_login(resident)
    english(client)
    files = [pdf(f"side-{n}.pdf") for n in range(6)]
    response = client.post(CREATE, form_data(committee, attachments=files))
    assert response.status_code == 400
    assert response.context["form"].errors["attachments"][0] == (
        "A proposal can have at most 5 attachments."
    )
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
    assert response.context["form"].errors["attachments"][0] == (
        "“plan.pdf” is too large. The limit is 0 MB."
    )
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
    # Submitting again only leads to the proposal (a double click); nothing changes.
    url = reverse("proposals:draft-submit", kwargs={"pk": proposal.pk})
    assert client.post(url).url == proposal.get_absolute_url()
    # Someone else's proposal number is still nothing to them.
    client.force_login(UserFactory())
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


def test_edit_page_lists_attachments_with_remove_buttons_of_the_main_form(
    client, resident, committee
):
    draft = draft_for(resident, committee)
    attachment = services.attachment_add(proposal=draft, actor=resident, uploaded_file=pdf())
    url = reverse("proposals:draft-edit", kwargs={"pk": draft.pk})
    client.force_login(resident)
    body = client.get(url).content.decode()
    assert "plan.pdf" in body
    remove = f'name="remove_attachment" value="{attachment.pk}"'
    main_form = body[body.index('enctype="multipart/form-data"') :]
    main_form = main_form[: main_form.index("</form>")]
    assert remove in main_form and 'form="remove-attachment' not in body
    # Enter in a field uses the form's first submit button: a preview, never a removal.
    assert main_form.index('name="action" value="preview"') < main_form.index(remove)


def test_remove_saves_the_other_changes_with_the_removal(client, resident, committee):
    draft = draft_for(resident, committee)
    attachment = services.attachment_add(proposal=draft, actor=resident, uploaded_file=pdf())
    kept = services.attachment_add(proposal=draft, actor=resident, uploaded_file=pdf("kart.pdf"))
    url = reverse("proposals:draft-edit", kwargs={"pk": draft.pk})
    client.force_login(resident)
    english(client)
    data = form_data(committee, category="housing", title="Ny tittel")
    del data["action"]  # the Remove button is the one pressed
    response = client.post(url, {**data, "remove_attachment": attachment.pk})
    assert response.status_code == 302
    assert response["Location"] == url + "#attachments"
    draft.refresh_from_db()
    assert draft.category == "housing" and draft.title == "Ny tittel"
    assert list(draft.attachments.all()) == [kept]
    page = client.get(response["Location"]).content.decode()
    assert "“plan.pdf” has been removed. Your other changes have been saved." in page


def test_remove_with_errors_keeps_the_input_and_shows_the_errors(client, resident, committee):
    draft = draft_for(resident, committee)
    attachment = services.attachment_add(proposal=draft, actor=resident, uploaded_file=pdf())
    url = reverse("proposals:draft-edit", kwargs={"pk": draft.pk})
    client.force_login(resident)
    english(client)
    data = form_data(committee, title="", summary="Nytt sammendrag", category="housing")
    response = client.post(url, {**data, "remove_attachment": attachment.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert response.context["form"].errors["title"] == ["Write a title for the proposal."]
    assert "Nytt sammendrag" in body  # what was typed is still there
    assert "“plan.pdf” has been removed. Correct the errors below" in body
    assert not Attachment.objects.exists()  # the removal asked for is done
    assert response.context["attachments"] == []
    draft.refresh_from_db()
    assert draft.summary == "Kort" and draft.category == "other"  # the rest waits


def test_remove_makes_room_for_a_new_file_in_the_same_post(client, resident, committee):
    draft = draft_for(resident, committee)
    first, *_ = [
        services.attachment_add(proposal=draft, actor=resident, uploaded_file=pdf(f"{n}.pdf"))
        for n in range(5)
    ]
    client.force_login(resident)
    response = client.post(
        reverse("proposals:draft-edit", kwargs={"pk": draft.pk}),
        {**form_data(committee), "remove_attachment": first.pk, "attachments": [pdf("ny.pdf")]},
    )
    assert response.status_code == 302
    names = sorted(draft.attachments.values_list("original_name", flat=True))
    assert names == ["1.pdf", "2.pdf", "3.pdf", "4.pdf", "ny.pdf"]


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


def test_a_step_not_possible_now_sends_a_party_to_the_proposal(client, committee, leader, resident):
    proposal = ProposalFactory(committee=committee, state=State.DECLINED)
    english(client)
    client.force_login(resident)  # could never forward it
    assert client.get(transition_url(proposal, State.FORWARDED)).status_code == 403
    client.force_login(leader)
    response = client.get(transition_url(proposal, State.FORWARDED))
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == [
        "The proposal is “Declined by the committee”, so this step is not possible now."
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_declining_again_says_the_proposal_is_already_declined(
    client, committee, leader, board_member, method
):
    proposal = ProposalFactory(committee=committee)
    services.proposal_transition(
        proposal=proposal, actor=board_member, to_state=State.DECLINED, message="Nei."
    )
    client.force_login(leader)
    english(client)
    url = transition_url(proposal, State.DECLINED) + "&fra=innboks"
    data = {"message": "Nei igjen."} if method == "post" else None
    response = getattr(client, method)(url, data)
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "The proposal is already “Declined by the committee”." in page
    assert ProposalEvent.objects.filter(proposal=proposal).count() == 1
    # Outcomes and unknown targets stay 404.
    assert client.get(transition_url(proposal, State.ACCEPTED)).status_code == 404
    assert client.get(transition_url(proposal, "finnes-ikke")).status_code == 404


def test_the_author_cannot_withdraw_a_declined_proposal(client, committee, author):
    proposal = ProposalFactory(committee=committee, author=author, state=State.DECLINED)
    client.force_login(author)
    response = client.post(transition_url(proposal, State.WITHDRAWN))
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    proposal.refresh_from_db()
    assert proposal.state == State.DECLINED


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
    # The committee answers questions (to "in review"), but there is no question now.
    response = client.get(transition_url(proposal, State.IN_REVIEW))
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert client.get(transition_url(proposal, State.IN_PROGRESS)).status_code == 302
    assert client.get(transition_url(proposal, State.INFO_REQUESTED)).status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == State.RECEIVED


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


@pytest.mark.parametrize("state", [State.SUBMITTED, State.COMMITTEE_REVIEW, State.WITHDRAWN])
def test_no_messages_before_the_municipality_has_the_case_or_after_it_is_closed(
    client, committee, leader, resident, state
):
    proposal = ProposalFactory(committee=committee, state=state)
    client.force_login(resident)
    assert client.post(message_url(proposal), {"body": "Hei"}).status_code == 403
    client.force_login(leader)
    english(client)
    response = client.post(message_url(proposal), {"body": "Hei"})
    # The board member is told why, on the proposal's page (not a bare 403).
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "Messages can be written once the proposal is with the municipality" in page
    assert not Message.objects.exists()


def test_the_committees_message_answers_the_municipalitys_question(
    client, committee, leader, case_handler
):
    proposal = ProposalFactory(committee=committee, state=State.FORWARDED)
    services.proposal_transition(
        proposal=proposal, actor=case_handler, to_state=State.INFO_REQUESTED, message="Hvor?"
    )
    client.force_login(leader)
    english(client)
    response = client.post(message_url(proposal), {"body": "Ved skolen.", "answer_by": ""})
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url() + "#dialog"
    proposal.refresh_from_db()
    assert proposal.state == State.IN_REVIEW
    answer = Message.objects.get(proposal=proposal, party=Party.COMMITTEE)
    assert answer.body == "Ved skolen." and answer.sender == leader
    event = ProposalEvent.objects.filter(proposal=proposal).latest("pk")
    assert (event.from_state, event.to_state) == (State.INFO_REQUESTED, State.IN_REVIEW)
    page = client.get(response["Location"]).content.decode()
    assert "Your answer has been sent to the municipality." in page


def test_an_answer_with_errors_comes_back_without_the_answer_by_field(
    client, committee, leader, case_handler
):
    proposal = ProposalFactory(committee=committee, state=State.FORWARDED)
    services.proposal_transition(
        proposal=proposal, actor=case_handler, to_state=State.INFO_REQUESTED, message="Hvor?"
    )
    client.force_login(leader)
    english(client)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(message_url(proposal), {"body": "", "answer_by": yesterday})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"body"}  # an answer asks nothing back
    body = response.content.decode()
    assert "answers the municipality's question" in body and 'name="answer_by"' not in body
    proposal.refresh_from_db()
    assert proposal.state == State.INFO_REQUESTED


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
                state=[State.SUBMITTED, State.INFO_REQUESTED, State.FORWARDED][i % 3],
                reference=f"NMU-1990-{offset + i:05d}",
                submitted_at=timezone.now(),
                committee_due=today + datetime.timedelta(days=i % 30),
                info_due=today + datetime.timedelta(days=i % 10),
            )
            for i in range(n)
        ]
    )
    without_messages = Proposal.objects.filter(
        reference__startswith="NMU-1990-", state=State.FORWARDED, messages__isnull=True
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
    assert len(response.context["awaiting"]) == 334
    assert len(response.context["open_requests"]) == 333
    assert len(many) == len(few)


def test_inbox_links_come_back_to_the_inbox(client, committee, leader):
    proposal = ProposalFactory(committee=committee)
    client.force_login(leader)
    english(client)
    inbox = inbox_url(committee)
    body = client.get(inbox).content.decode()
    for step in ("committee_review", "forwarded", "declined"):
        assert transition_url(proposal, step) + "&amp;fra=innboks" in body
    # The breadcrumbs: Neighbourhood committees → the committee → Inbox.
    crumbs = body[body.index('class="ds-breadcrumbs"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert crumbs.index(reverse("committees:committee-list")) < crumbs.index(
        committee.get_absolute_url()
    )
    assert "Neighbourhood committees" in crumbs and 'aria-current="page"' in crumbs

    url = transition_url(proposal, State.COMMITTEE_REVIEW) + "&fra=innboks"
    page = client.get(url)
    assert f'href="{inbox}">Cancel</a>' in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == inbox
    page = client.get(inbox).content.decode()
    assert "The proposal is now being considered by the committee." in page


@pytest.mark.parametrize("value", ["https://evil.example/", "//evil.example", "/admin/", ""])
def test_only_the_inbox_is_a_place_to_return_to(client, committee, leader, value):
    proposal = ProposalFactory(committee=committee)
    client.force_login(leader)
    english(client)
    url = transition_url(proposal, State.COMMITTEE_REVIEW) + f"&fra={value}"
    page = client.get(url).content.decode()
    assert f'href="{proposal.get_absolute_url()}">Cancel</a>' in page
    response = client.post(url)
    assert response["Location"] == proposal.get_absolute_url()


def test_the_inbox_return_is_for_the_board_only(client, committee, author):
    proposal = ProposalFactory(committee=committee, author=author)
    client.force_login(author)
    response = client.post(transition_url(proposal, State.WITHDRAWN) + "&fra=innboks")
    assert response["Location"] == proposal.get_absolute_url()


def test_the_inbox_answers_a_question_and_comes_back(client, committee, leader, case_handler):
    proposal = ProposalFactory(committee=committee, state=State.FORWARDED)
    services.proposal_transition(
        proposal=proposal, actor=case_handler, to_state=State.INFO_REQUESTED, message="Hvor?"
    )
    client.force_login(leader)
    body = client.get(inbox_url(committee)).content.decode()
    link = transition_url(proposal, State.IN_REVIEW) + "&fra=innboks"
    assert link.replace("&", "&amp;") in body
    response = client.post(link, {"message": "Ved skolen."})
    assert response["Location"] == inbox_url(committee)


def test_inbox_lists_only_requests_the_committee_can_answer(
    client, committee, leader, case_handler
):
    """Messages from before the dialogue rule (or from a case since closed) have no form to
    answer in: they are not listed, so the inbox has no dead links."""
    answer_by = timezone.localdate() + datetime.timedelta(days=3)
    listed = ProposalFactory(committee=committee, state=State.RECEIVED, title="Mottatt")
    services.message_send(proposal=listed, actor=case_handler, body="Kart?", answer_by=answer_by)
    for state in (State.SUBMITTED, State.DECLINED, State.WITHDRAWN):
        old = ProposalFactory(committee=committee, state=state)
        Message.objects.create(
            proposal=old, party=Party.MUNICIPALITY, body="Gammel", answer_by=answer_by
        )
    client.force_login(leader)
    response = client.get(inbox_url(committee))
    assert [m.proposal_id for m in response.context["open_requests"]] == [listed.pk]
    assert listed.get_absolute_url() + "#dialog" in response.content.decode()


# --- The writing form: labels, messages, notices -------------------------------------------------


def label_of(body, field_id):
    start = body.index(f'<label class="ds-label" for="{field_id}">')
    return body[start : body.index("</label>", start)]


def test_takeover_fields_say_they_are_required_for_takeover(client, resident):
    client.force_login(resident)
    english(client)
    body = client.get(CREATE).content.decode()
    for name in ("task", "season", "volunteer_hours_per_year", "compensation_per_year"):
        label = label_of(body, f"id_{name}")
        assert "(required for take-over proposals)" in label and "(optional)" not in label
    assert "(optional, but required for take-over proposals)" in label_of(body, "id_location_text")
    # The others stay optional, and so do other forms' optional fields.
    assert "(optional)" in label_of(body, "id_municipality_provides")
    assert "(optional)" in label_of(body, "id_latitude")
    from proposals.forms import MessageForm

    assert "(optional)" in MessageForm()["answer_by"].as_field_group()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("title", "Write a title for the proposal."),
        ("summary", "Write a short summary of the proposal."),
        ("body", "Write a description of the proposal."),
        ("committee", "Choose the committee the proposal goes to."),
    ],
)
def test_missing_fields_get_clear_messages(client, resident, committee, field, message):
    client.force_login(resident)
    english(client)
    response = client.post(CREATE, form_data(committee, **{field: ""}))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert "This field is required." not in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("latitude", "91", "Latitude must be between -90 and 90, e.g. 59.39670."),
        ("latitude", "-90.5", "Latitude must be between -90 and 90, e.g. 59.39670."),
        ("latitude", "1000", "Latitude must be between -90 and 90, e.g. 59.39670."),
        ("latitude", "nord", "Latitude must be between -90 and 90, e.g. 59.39670."),
        ("latitude", "1e30", "Latitude must be between -90 and 90, e.g. 59.39670."),
        ("longitude", "181", "Longitude must be between -180 and 180, e.g. 9.96810."),
        ("longitude", "12345", "Longitude must be between -180 and 180, e.g. 9.96810."),
    ],
)
def test_coordinates_out_of_range_say_the_range(client, resident, committee, field, value, message):
    client.force_login(resident)
    english(client)
    response = client.post(CREATE, form_data(committee, **{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not Proposal.objects.exists()


def test_coordinates_from_a_map_are_rounded_and_a_decimal_comma_is_fine(
    client, resident, committee
):
    client.force_login(resident)
    response = client.post(
        CREATE, form_data(committee, latitude="59.396701234", longitude="9,9681")
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert str(proposal.latitude) == "59.39670" and str(proposal.longitude) == "9.96810"


def test_chosen_files_must_be_chosen_again_after_errors(client, resident, committee):
    client.force_login(resident)
    english(client)
    notice = "Choose the file(s) again: files are not kept when the form has errors."
    response = client.post(CREATE, form_data(committee, title="", attachments=[pdf()]))
    assert response.status_code == 400
    assert notice in response.context["form"].errors["attachments"]
    assert notice in response.content.decode()
    # Also with a refused file: said once, after why it was refused.
    response = client.post(
        CREATE, form_data(committee, attachments=[SimpleUploadedFile("x.exe", b"MZ")])
    )
    errors = response.context["form"].errors["attachments"]
    assert errors[-1] == notice and list(errors).count(notice) == 1
    # Without files there is nothing to choose again.
    response = client.post(CREATE, form_data(committee, title=""))
    assert "attachments" not in response.context["form"].errors
    assert not Proposal.objects.exists() and not Attachment.objects.exists()


def test_chosen_files_notice_on_the_edit_page_too(client, resident, committee):
    draft = draft_for(resident, committee)
    client.force_login(resident)
    english(client)
    url = reverse("proposals:draft-edit", kwargs={"pk": draft.pk})
    response = client.post(url, form_data(committee, summary="", attachments=[pdf()]))
    assert response.status_code == 400
    assert "Choose the file(s) again" in response.context["form"].errors["attachments"][0]
    assert not Attachment.objects.exists()


PUBLISH_NOTICE = (
    "When you submit, the proposal, its attachments and your name are public. "
    "Drafts are only visible to you."
)


def test_form_and_preview_say_what_is_published(client, resident, committee):
    draft = draft_for(resident, committee)
    client.force_login(resident)
    english(client)
    form_page = client.get(CREATE).content.decode()
    assert form_page.index(PUBLISH_NOTICE) < form_page.index('value="save"')
    preview = client.get(reverse("proposals:draft-preview", kwargs={"pk": draft.pk}))
    body = preview.content.decode()
    assert body.index(PUBLISH_NOTICE) < body.index("Submit to the committee</button>")


# --- Transition page texts ------------------------------------------------------------------------


def test_forward_page_gives_the_deadlines_as_dates(client, committee, leader):
    from django.utils.formats import date_format

    from proposals import deadlines

    proposal = ProposalFactory(committee=committee)
    client.force_login(leader)
    english(client)
    body = client.get(transition_url(proposal, State.FORWARDED)).content.decode()
    today = timezone.localdate()
    preliminary = date_format(deadlines.preliminary_due(today), "DATE_FORMAT")
    decision = date_format(deadlines.decision_due(today), "DATE_FORMAT")
    assert (
        f"The municipality must send a preliminary answer by {preliminary} and decide by "
        f"{decision}." in body
    )
    assert "month(s)" not in body


def test_forward_page_of_a_citizens_proposal_keeps_its_decision_date(client, committee, leader):
    from django.utils.formats import date_format

    due = timezone.localdate() + datetime.timedelta(days=170)
    proposal = ProposalFactory(
        committee=committee, citizen_proposal_at=timezone.now(), decision_due=due
    )
    client.force_login(leader)
    english(client)
    body = client.get(transition_url(proposal, State.FORWARDED)).content.decode()
    assert f"decide by {date_format(due, 'DATE_FORMAT')}." in body


def test_question_page_gives_the_answer_date(client, committee, case_handler):
    from django.utils.formats import date_format

    from proposals import deadlines

    proposal = ProposalFactory(committee=committee, state=State.FORWARDED)
    client.force_login(case_handler)
    english(client)
    body = client.get(transition_url(proposal, State.INFO_REQUESTED)).content.decode()
    due = date_format(deadlines.info_due(timezone.localdate()), "DATE_FORMAT")
    assert f"The committee is asked to answer by {due}." in body


def test_transition_messages_say_what_is_missing(client, committee, leader, case_handler):
    proposal = ProposalFactory(committee=committee)
    client.force_login(leader)
    english(client)
    response = client.post(transition_url(proposal, State.DECLINED), {"message": ""})
    assert response.context["form"].errors["message"] == [
        "Write the reason the committee declines the proposal."
    ]
    services.proposal_transition(proposal=proposal, actor=leader, to_state=State.FORWARDED)
    services.proposal_transition(
        proposal=proposal, actor=case_handler, to_state=State.INFO_REQUESTED, message="Hvor?"
    )
    response = client.post(transition_url(proposal, State.IN_REVIEW), {"message": ""})
    assert response.context["form"].errors["message"] == [
        "Write the committee's answer to the municipality."
    ]
    assert "This field is required." not in response.content.decode()


# --- Review fixes ---------------------------------------------------------------------------------


def test_the_question_and_its_answer_are_not_called_public(client, committee, leader, case_handler):
    """Their text goes into the dialogue, not onto the public timeline: the form says so."""
    proposal = ProposalFactory(committee=committee, state=State.FORWARDED)
    client.force_login(case_handler)
    english(client)
    body = client.get(transition_url(proposal, State.INFO_REQUESTED)).content.decode()
    assert "public timeline" not in body and "Shown in the dialogue" in body
    services.proposal_transition(
        proposal=proposal, actor=case_handler, to_state=State.INFO_REQUESTED, message="Hvor?"
    )
    client.force_login(leader)
    body = client.get(transition_url(proposal, State.IN_REVIEW)).content.decode()
    assert "public timeline" not in body and "Shown in the dialogue" in body
    decline = ProposalFactory(committee=committee)
    body = client.get(transition_url(decline, State.DECLINED)).content.decode()
    assert "public timeline." in body and "Shown in the dialogue" not in body


@pytest.mark.parametrize("state", [State.ACCEPTED, State.IN_PROGRESS])
def test_inbox_lists_messages_waiting_after_the_decision(
    state, client, committee, leader, case_handler
):
    """The dialogue stays open after the decision; a message there that asks for an answer
    waits in the inbox like any other."""
    proposal = ProposalFactory(committee=committee, state=state)
    services.message_send(
        proposal=proposal,
        actor=case_handler,
        body="Når starter dere?",
        answer_by=timezone.localdate() + datetime.timedelta(days=3),
    )
    client.force_login(leader)
    response = client.get(inbox_url(committee))
    assert [m.proposal_id for m in response.context["open_requests"]] == [proposal.pk]


def test_coordinates_accept_a_decimal_comma_in_a_text_field():
    from proposals.forms import ProposalForm

    field = ProposalForm.base_fields["latitude"]
    assert field.widget.input_type == "text"
    assert field.widget.attrs["inputmode"] == "decimal"
    assert str(field.clean("59,0396")) == "59.03960"


def test_a_second_submit_goes_to_the_submitted_proposal(client, committee, author):
    from proposals import services as proposal_services

    draft = proposal_services.proposal_create_draft(
        author=author, committee=committee, title="To klikk", summary="S", body="B"
    )
    client.force_login(author)
    url = reverse("proposals:draft-submit", kwargs={"pk": draft.pk})
    first = client.post(url)
    draft.refresh_from_db()
    assert first.status_code == 302 and first.url == draft.get_absolute_url()
    second = client.post(url)
    assert second.status_code == 302 and second.url == draft.get_absolute_url()
    assert Proposal.objects.filter(pk=draft.pk).values_list("reference", flat=True).get()
