"""The agreement's page in the admin saves through the services: a new agreement through
``agreement_create``, a change through ``agreement_update``, its lines through ``task_save``
and the others; a refusal or a bad value gives the form back with the error, never a 500, and
saves nothing. A signed agreement's terms are shown read-only. History names who changed what."""

from decimal import Decimal

import pytest
from django.utils import timezone

from agreements.models import Agreement, AgreementEvent, Signature
from tests.agreements.test_admin_helpers import (
    ADD,
    add_row,
    change_url,
    history_url,
    login,
    page_data,
)

pytestmark = pytest.mark.django_db


def _errors(response) -> list[str]:
    """Every error on the page: the form's and each inline row's."""
    context = response.context
    found = [str(e) for errors in context["adminform"].form.errors.values() for e in errors]
    for inline in context["inline_admin_formsets"]:
        found += [str(e) for e in inline.formset.non_form_errors()]
        for form_errors in inline.formset.errors:
            found += [str(e) for errors in form_errors.values() for e in errors]
    return found


def test_a_case_handler_adds_a_draft_with_a_task_through_the_services(
    client, case_handler, committee, department
):
    login(client, case_handler)
    data = page_data(client.get(ADD))
    today = timezone.localdate()
    data.update(
        {
            "committee": str(committee.pk),
            "department": str(department.pk),
            "title": "Flaggheising i Svarstad",
            "kind": "operation",
            "terms": "Utvalget heiser flagget.",
            "starts_on": today.replace(month=1, day=1).isoformat(),
            "ends_on": today.replace(month=12, day=31).isoformat(),
            "notice_months": "3",
            "renewal": "by_agreement",
            "own_contribution_per_year": "0",
            "municipal_cost_per_year": "",
            "municipal_cost_basis": "",
        }
    )
    add_row(
        data,
        "tasks",
        kind="flag_raising",
        hours_per_year="40",
        pricing="fixed",
        amount="6000",
        position="0",
    )
    response = client.post(ADD, data)
    assert response.status_code == 302, _errors(response)
    agreement = Agreement.objects.get(title="Flaggheising i Svarstad")
    assert agreement.number.startswith(f"AVT-{today.year}-")  # the service numbered it
    assert agreement.state == "draft" and agreement.created_by == case_handler
    assert list(agreement.tasks.values_list("amount", flat=True)) == [Decimal("6000.00")]
    # The service's timeline: created as a draft, and the task's terms change.
    kinds = set(agreement.events.values_list("kind", flat=True))
    assert kinds == {AgreementEvent.Kind.TRANSITION, AgreementEvent.Kind.TERMS_CHANGED}


def test_changing_the_title_and_adding_lines_goes_through_the_services(client, case_handler, draft):
    login(client, case_handler)
    data = page_data(client.get(change_url(draft)))
    data["title"] = "Ny tittel"
    add_row(data, "provisions", kind="equipment", description="Flagg", value_per_year="1500")
    add_row(data, "payments", due_on=draft.ends_on.isoformat(), amount="6000", description="Året")
    add_row(data, "report_duties", title="Året", due_on=draft.ends_on.isoformat())
    response = client.post(change_url(draft), data)
    assert response.status_code == 302, _errors(response)
    draft.refresh_from_db()
    assert draft.title == "Ny tittel"
    assert draft.provisions.get().description == "Flagg"
    assert draft.payments.get().source == "plan"
    assert draft.report_duties.get().title == "Året"
    assert (
        draft.events.filter(kind=AgreementEvent.Kind.TERMS_CHANGED, actor=case_handler).count() == 4
    )


def test_deleting_a_task_goes_through_the_service(client, case_handler, draft):
    login(client, case_handler)
    data = page_data(client.get(change_url(draft)))
    data["tasks-0-DELETE"] = "on"
    response = client.post(change_url(draft), data)
    assert response.status_code == 302, _errors(response)
    assert not draft.tasks.exists()
    assert draft.events.filter(kind=AgreementEvent.Kind.TERMS_CHANGED).exists()


def test_an_invalid_task_shows_the_error_and_saves_nothing(client, case_handler, draft):
    """Per occasion without a number of occasions: the row's error, and the title changed on
    the same page is not saved either."""
    login(client, case_handler)
    data = page_data(client.get(change_url(draft)))
    data["title"] = "Skal ikke lagres"
    add_row(
        data,
        "tasks",
        kind="leaf_blowing",
        hours_per_year="80",
        pricing="per_occasion",
        amount="6000",
        position="1",
    )
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "Say how many times a year the task is done." in _errors(response)
    draft.refresh_from_db()
    assert draft.title != "Skal ikke lagres"
    assert draft.tasks.count() == 1
    assert not draft.events.filter(kind=AgreementEvent.Kind.TERMS_CHANGED).exists()


def test_a_service_refusal_on_a_row_is_shown_on_the_page(client, case_handler, draft, monkeypatch):
    """What only the service knows (here: made to refuse) becomes the row's error."""
    from django.core.exceptions import ValidationError

    from agreements.admin.inlines import ProvisionInline

    def refuse(**kwargs):
        raise ValidationError("Refused by the service.")

    monkeypatch.setattr(ProvisionInline, "save_service", staticmethod(refuse))
    login(client, case_handler)
    data = page_data(client.get(change_url(draft)))
    data["title"] = "Skal ikke lagres"
    add_row(data, "provisions", kind="equipment", description="Flagg", value_per_year="1500")
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "Refused by the service." in _errors(response)
    draft.refresh_from_db()
    assert draft.title != "Skal ikke lagres"


@pytest.mark.parametrize("field", ["title", "terms"])
def test_a_nul_byte_is_a_form_error(client, case_handler, draft, field):
    login(client, case_handler)
    data = page_data(client.get(change_url(draft)))
    data[field] = "Flagg\x00heising"
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    draft.refresh_from_db()
    assert "\x00" not in getattr(draft, field)


def test_a_nul_byte_in_a_task_row_is_the_rows_error(client, case_handler, draft):
    login(client, case_handler)
    data = page_data(client.get(change_url(draft)))
    data["tasks-0-description"] = "Heise\x00flagg"
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["description"]
    assert "\x00" not in draft.tasks.get().description


def test_a_change_voids_the_committees_signature(client, case_handler, draft, leader):
    """The service's rule, reached from the admin: terms changed after a signature void it."""
    draft.state = "signed_committee"
    draft.save()
    Signature.objects.create(
        agreement=draft,
        party="committee",
        signer=leader,
        signer_name="Leder",
        signed_at=timezone.now(),
        terms_sha256="0" * 64,
    )
    login(client, case_handler)
    data = page_data(client.get(change_url(draft)))
    data["title"] = "Endret etter signering"
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.state == "sent"
    assert draft.signatures.get().voided_at is not None


def test_a_signed_agreements_terms_are_read_only(client, case_handler, active):
    login(client, case_handler)
    response = client.get(change_url(active))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "title" not in form.fields and "starts_on" not in form.fields
    inlines = {i.formset.prefix: i for i in response.context["inline_admin_formsets"]}
    assert not inlines["tasks"].has_change_permission
    assert not inlines["tasks"].has_add_permission
    # A crafted post changes nothing either.
    data = page_data(response)
    data["title"] = "Endret"
    data["tasks-0-amount"] = "1"
    client.post(change_url(active), data)
    active.refresh_from_db()
    assert active.title != "Endret"
    assert active.tasks.get().amount == Decimal("6000.00")


def test_history_shows_the_change_with_the_user(client, case_handler, draft):
    login(client, case_handler)
    data = page_data(client.get(change_url(draft)))
    data["title"] = "Tittel fra historikken"
    data["tasks-0-amount"] = "7000"
    assert client.post(change_url(draft), data).status_code == 302
    latest = draft.history.latest()
    assert latest.title == "Tittel fra historikken" and latest.history_user == case_handler
    task = draft.tasks.get()
    assert task.history.latest().history_user == case_handler
    assert task.history.earliest().amount == Decimal("6000.00")
    page = client.get(history_url(draft)).content.decode()
    assert "Kari Saksbehandler" in page  # the user who changed it, on the History page
    assert "Tittel fra historikken" in page  # and what changed


def test_reverting_from_history_is_refused(client, case_handler, draft):
    login(client, case_handler)
    data = page_data(client.get(change_url(draft)))
    data["title"] = "Ny"
    client.post(change_url(draft), data)
    first = draft.history.earliest()
    from django.urls import reverse

    url = reverse("admin:agreements_agreement_simple_history", args=[draft.pk, first.history_id])
    assert client.post(url, data).status_code == 403
    draft.refresh_from_db()
    assert draft.title == "Ny"
