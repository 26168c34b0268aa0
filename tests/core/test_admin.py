"""core.admin: saves and actions through services.

The service-backed change page is pinned on the proposals' review queue (its assignment, note
and message each go through a service); the confirmed actions on a small admin of their own, so
the preview/confirm/back rule is tested apart from any app's forms.
"""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from committees import services as committee_services
from committees.models import Committee, CommitteeStatus, Role
from core.admin import (
    CONFIRMATION_TEMPLATE,
    ConfirmedActionsMixin,
    ReadOnlyAdmin,
    ServiceBackedAdminMixin,
)
from core.admin.services import renamed
from proposals import services
from proposals.models import EventKind, Message, Proposal, State
from tests.factories import CommitteeFactory, MembershipFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- The service-backed change page ---------------------------------------------------------------


@pytest.fixture
def staff_client(client, case_handler):
    client.cookies["nmu_language"] = "en"
    client.force_login(case_handler)
    return client


@pytest.fixture
def case_at_the_municipality(committee, leader, case_handler):
    proposal = ProposalFactory(committee=committee)
    proposal = services.proposal_transition(
        proposal=proposal, actor=leader, to_state=State.FORWARDED
    )
    return services.proposal_transition(
        proposal=proposal, actor=case_handler, to_state=State.RECEIVED, message="Mottatt."
    )


def _post(client, proposal, *, inlines=True, **fields):
    data = {"department": "", "handler": "", "internal_note": "", "_save": "Save", **fields}
    if inlines:
        for prefix in ("events", "messages", "attachments"):
            data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return client.post(reverse("admin:proposals_proposal_change", args=[proposal.pk]), data)


def _notes(proposal):
    return proposal.events.filter(kind=EventKind.NOTE)


def _messages(client):
    return [str(m) for m in client.get(reverse("admin:index")).context["messages"]]


def test_a_service_refusal_shows_on_the_form_under_the_forms_field_name(
    staff_client, case_at_the_municipality, monkeypatch
):
    """The message service calls the text ``body``; the page calls it ``committee_message``.
    Its refusal is shown there, the page is shown again, and the note that the other service
    had already written is not kept."""

    def refuse(**kwargs):
        raise ValidationError({"body": "Meldingen er for lang."})

    monkeypatch.setattr(services, "message_send", refuse)
    response = _post(
        staff_client,
        case_at_the_municipality,
        internal_note="Skal ikke lagres.",
        committee_message="Hei",
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "committee_message": ["Meldingen er for lang."]
    }
    assert not _notes(case_at_the_municipality).exists()
    assert not Message.objects.filter(proposal=case_at_the_municipality).exists()
    assert _messages(staff_client) == []  # nothing claims to be done


def test_a_refusal_that_names_no_field_shows_above_the_form(
    staff_client, case_at_the_municipality, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError("Saken er låst.")

    monkeypatch.setattr(services, "internal_note_add", refuse)
    response = _post(staff_client, case_at_the_municipality, internal_note="Hei")
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == ["Saken er låst."]


def test_a_page_shown_again_for_another_reason_keeps_nothing_the_services_did(
    staff_client, case_at_the_municipality
):
    """The services run while the form is validated; when the page is then shown again (here
    the inlines' management data is missing), the request's transaction is rolled back."""
    response = _post(staff_client, case_at_the_municipality, inlines=False, internal_note="Nei")
    assert response.status_code == 200 and "adminform" in response.context
    assert not _notes(case_at_the_municipality).exists()


def test_a_saved_page_tells_what_the_services_did(staff_client, case_at_the_municipality):
    response = _post(staff_client, case_at_the_municipality, internal_note="Ring lederen.")
    assert response.status_code == 302
    assert _notes(case_at_the_municipality).get().message == "Ring lederen."
    assert _messages(staff_client)[0] == "The internal note was added."


def test_renamed_maps_a_services_field_names_and_keeps_the_rest():
    error = renamed(
        ValidationError({"body": "For lang.", "answer_by": "I fortiden.", "x": "Annet."}),
        {"body": "committee_message"},
    )
    assert error.message_dict == {
        "committee_message": ["For lang."],
        "answer_by": ["I fortiden."],
        "x": ["Annet."],
    }
    plain = ValidationError("Nei.")
    assert renamed(plain, {"body": "message"}) is plain


def test_a_service_backed_admin_must_say_how_it_saves():
    class Careless(ServiceBackedAdminMixin, admin.ModelAdmin):
        pass

    with pytest.raises(NotImplementedError):
        Careless(Proposal, admin.AdminSite()).save_through_services(None, None, None, False)


# --- Confirmed actions: page, preview, confirm, back ---------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField()


class ExampleAdmin(ConfirmedActionsMixin, admin.ModelAdmin):
    """An action in the three steps, with what it was asked to do recorded."""

    def __init__(self):
        super().__init__(Proposal, admin.AdminSite())
        self.done = []

    def note_action(self, request, objects):
        def preview(objects, data):
            if data["note"] == "nei":
                raise ValidationError({"note": "Ikke det."})
            return {"preview": [{"label": str(o.pk), "text": data["note"]} for o in objects]}

        return self.previewed_action(
            request,
            objects,
            form_class=NoteForm,
            preview=preview,
            confirm=lambda objects, data: self.done.append((len(objects), data["note"])),
            preview_intro="Sjekk teksten.",
            confirm_label="Lagre",
            action="note_action",
            title="Notat",
            submit_label="Forhåndsvis",
        )


@pytest.fixture
def superuser_request():
    user = UserFactory(is_staff=True, is_superuser=True)

    def make(**data):
        request = RequestFactory().post("/admin/proposals/proposal/", data)
        request.user = user
        request.session = {}
        request._messages = FallbackStorage(request)
        return request

    return make


def test_a_previewed_action_shows_its_form_then_the_preview_then_does_it(superuser_request):
    model_admin, objects = ExampleAdmin(), [ProposalFactory()]

    first = model_admin.note_action(superuser_request(action="note_action"), objects)
    assert first.template_name == CONFIRMATION_TEMPLATE
    assert not first.context_data["form"].is_bound and "preview" not in first.context_data

    preview = model_admin.note_action(
        superuser_request(action="note_action", apply="yes", note="Hei"), objects
    )
    assert preview.context_data["preview"] == [{"label": str(objects[0].pk), "text": "Hei"}]
    assert preview.context_data["intro"] == "Sjekk teksten."
    assert preview.context_data["confirm_label"] == "Lagre"
    assert model_admin.done == []  # a preview does nothing

    back = model_admin.note_action(
        superuser_request(action="note_action", apply="yes", note="Hei", _back="Back"), objects
    )
    assert "preview" not in back.context_data
    assert back.context_data["form"]["note"].value() == "Hei"  # the form as it was
    assert model_admin.done == []

    done = model_admin.note_action(
        superuser_request(action="note_action", apply="yes", note="Hei", _confirm="Lagre"),
        objects,
    )
    assert done is None  # Django goes back to the list
    assert model_admin.done == [(1, "Hei")]


def test_a_preview_that_is_refused_shows_the_form_with_why(superuser_request):
    model_admin, objects = ExampleAdmin(), [ProposalFactory()]
    for extra in ({}, {"_confirm": "Lagre"}):
        response = model_admin.note_action(
            superuser_request(action="note_action", apply="yes", note="nei", **extra), objects
        )
        assert response.context_data["form"].errors == {"note": ["Ikke det."]}
        assert "preview" not in response.context_data
    assert model_admin.done == []


def test_run_each_does_the_others_when_one_is_refused(superuser_request):
    model_admin, request = ExampleAdmin(), superuser_request()
    good, bad = ProposalFactory(title="God"), ProposalFactory(title="Dårlig")

    def do(proposal):
        Proposal.objects.filter(pk=proposal.pk).update(title="Endret")
        if proposal.pk == bad.pk:
            raise ValidationError("Går ikke.")

    done = model_admin.run_each(request, [good, bad], do, done_message=lambda n: f"{n} gjort.")
    assert done == 1
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.title, bad.title) == ("Endret", "Dårlig")  # the refused one kept nothing
    assert [str(m) for m in request._messages] == [f"{bad}: Går ikke.", "1 gjort."]


def test_read_only_admins_allow_no_writes(superuser_request):
    model_admin, request = ReadOnlyAdmin(Proposal, admin.AdminSite()), superuser_request()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


def test_the_committee_page_keeps_nothing_when_the_status_service_refuses(
    client, superuser, monkeypatch
):
    """The committees' admin on the same mixin: the name saved with the page is rolled back
    with the refused status change, and the refusal is on the status field."""
    committee = CommitteeFactory(name="Svarstad", status=CommitteeStatus.ACTIVE)
    MembershipFactory(committee=committee, role=Role.LEADER)  # the form's own check passes

    def refuse(**kwargs):
        raise ValidationError({"status": "Ikke nå."})

    monkeypatch.setattr(committee_services, "committee_set_status", refuse)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:committees_committee_change", args=[committee.pk]),
        {
            "name": "Nytt navn",
            "slug": committee.slug,
            "status": CommitteeStatus.DORMANT,
            "contact_email": committee.contact_email,
            "organisation_number": committee.organisation_number,
            "description": committee.description,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"status": ["Ikke nå."]}
    assert Committee.objects.get(pk=committee.pk).name == "Svarstad"
