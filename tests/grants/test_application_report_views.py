"""The committee's report page (/tilskudd/soknad/<number>/rapport/) and its receipts: who may
see them, the form's save and send, bad files given back, and the page's query count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import override

from core.formatting import money
from grants.models import Application, BudgetLine
from grants.services import application_reports as reports

from .test_application_report_helpers import (
    granted_fixture,  # noqa: F401 (the fixture)
    pdf,
    photo,
    reported_dugnad,
    save,
)

pytestmark = pytest.mark.django_db


def report_url(application) -> str:
    return reverse("grants:application-report", kwargs={"number": application.number})


def english(client, user=None):
    if user is not None:
        client.force_login(user)
    client.cookies["nmu_language"] = "en"
    return client


def form_data(**extra) -> dict:
    """The form as posted with one new cost row filled (the rest empty)."""
    data = {
        "report_text": "Vi plantet seks kasser.",
        "actual_hours": "",
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "50",
        "form-0-description": "Blomster og jord",
        "form-0-amount": "4 000,50",
        "form-0-receipt": pdf(),
        "photo_1": photo(),
        "description_1": "Blomsterkassene i juni",
    }
    data.update(extra)
    return data


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("other_committee_leader", 403),
        ("case_handler", 403),
        ("board_member", 200),
        ("leader", 200),
    ],
)
def test_the_report_page_is_the_boards(client, granted, user_in_role, role, status):
    user = user_in_role(role)
    if role != "anonymous":
        client.force_login(user)
    response = client.get(report_url(granted))
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["resident", "other_committee_leader"])
def test_an_application_not_public_is_not_found(client, granted, user_in_role, role):
    Application.objects.filter(pk=granted.pk).update(state="submitted")
    client.force_login(user_in_role(role))
    assert client.get(report_url(granted)).status_code == 404


@pytest.mark.parametrize("state", ["draft", "submitted", "more_info", "refused", "withdrawn"])
def test_no_report_before_the_grant(client, granted, leader, state):
    Application.objects.filter(pk=granted.pk).update(state=state)
    client.force_login(leader)
    assert client.get(report_url(granted)).status_code == 404


def test_no_report_on_a_scheme_paid_in_advance(client, granted, leader):
    type(granted.scheme).objects.filter(pk=granted.scheme_id).update(payment_rule="advance")
    client.force_login(leader)
    assert client.get(report_url(granted)).status_code == 404


def test_an_unknown_number_is_not_found(client, leader):
    client.force_login(leader)
    assert client.get("/tilskudd/soknad/TSK-2026-999/rapport/").status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("resident", 404),
        ("other_committee_leader", 404),
        ("staff_without_group", 404),
        ("board_member", 200),
        ("case_handler", 200),
    ],
)
def test_receipts_go_to_the_parties_only(client, granted, leader, user_in_role, role, status):
    save(granted, leader)
    # Even once the grant is public and paid, a receipt is never shown to the public.
    Application.objects.filter(pk=granted.pk).update(state="payable")
    line = BudgetLine.objects.get(actual=True)
    if role != "anonymous":
        client.force_login(user_in_role(role))
    response = client.get(reverse("grants:application-receipt", args=[line.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        assert "private" in response["Cache-Control"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_budget_line_is_no_receipt(client, granted, leader):
    planned = BudgetLine.objects.create(application=granted, description="Plan", amount=1)
    client.force_login(leader)
    assert client.get(reverse("grants:application-receipt", args=[planned.pk])).status_code == 404


# --- the form --------------------------------------------------------------------------------


def test_the_board_saves_the_report(client, granted, leader):
    dugnad = reported_dugnad(granted.committee, hours="10")
    english(client, leader)
    page = client.get(report_url(granted))
    assert page.status_code == 200
    assert dugnad.title in page.content.decode()
    response = client.post(
        report_url(granted), form_data(save="1", actual_hours="2,5", dugnads=[str(dugnad.pk)])
    )
    assert response.status_code == 302 and response["Location"] == report_url(granted)
    granted.refresh_from_db()
    assert granted.state == "granted"
    assert reports.report_hours(granted) == Decimal("12.5")
    line = BudgetLine.objects.get(actual=True)
    assert line.amount == Decimal("4000.50")
    page = client.get(report_url(granted)).content.decode()
    assert reverse("grants:application-receipt", args=[line.pk]) in page
    assert "12.5" in page


def test_send_saves_and_sends(client, granted, leader):
    english(client, leader)
    response = client.post(report_url(granted), form_data(send="1"))
    assert response.status_code == 302
    assert response["Location"] == granted.get_absolute_url()
    granted.refresh_from_db()
    assert granted.state == "reported"
    # Sent: the board sees it read-only and cannot post.
    page = client.get(report_url(granted))
    assert page.status_code == 200 and b'id="report-form"' not in page.content
    assert b"Blomster og jord" in page.content
    assert client.post(report_url(granted), form_data(save="1")).status_code == 403


def test_send_without_a_photo_saves_and_says_what_is_missing(client, granted, leader):
    english(client, leader)
    data = form_data(send="1")
    del data["photo_1"], data["description_1"]
    response = client.post(report_url(granted), data, follow=True)
    assert "cannot be sent yet" in response.content.decode()
    assert "Add at least one photo" in response.content.decode()
    granted.refresh_from_db()
    assert granted.state == "granted"
    assert BudgetLine.objects.filter(actual=True).count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "form-0-receipt",
            lambda: pdf("kvittering.pdf", b"GIF89a" + b"0" * 40),
            "does not look like a PDF",
        ),
        (
            "form-0-receipt",
            lambda: pdf("kvittering.docx", b"PK\x03\x04" + b"0" * 40),
            "is not a PDF, PNG or JPEG",
        ),
        ("form-0-receipt", lambda: "", "Attach the receipt"),
        ("form-0-amount", lambda: "mange", "Write the amount as a number"),
        ("form-0-amount", lambda: "-5", "more than 0"),
        ("form-0-description", lambda: "", "Say what the cost was for"),
        ("photo_1", lambda: pdf("etter.jpg"), "does not look like a JPG"),
        ("description_1", lambda: "", "for those who cannot see it"),
        ("actual_hours", lambda: "mange", "Write the hours as a number"),
        ("report_text", lambda: "Vi\x00plantet", "not allowed"),
        ("dugnads", lambda: "999999", "reported dugnads"),
    ],
)
def test_bad_input_gives_the_form_back(client, granted, leader, field, value, message):
    english(client, leader)
    response = client.post(report_url(granted), form_data(save="1", **{field: value()}))
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert 'id="report-form"' in content and "Please correct the errors below." in content
    assert not BudgetLine.objects.filter(actual=True).exists()


def test_more_rows_shows_the_form_again_without_saving(client, granted, leader):
    english(client, leader)
    response = client.post(report_url(granted), form_data(more_rows="1"))
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 8
    assert "Choose the files again" in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_more_than_fifty_rows_posted_by_hand_are_refused(client, granted, leader):
    english(client, leader)
    data = form_data(save="1", **{"form-TOTAL_FORMS": "51"})
    for n in range(51):
        data[f"form-{n}-description"] = f"Kostnad {n}"
        data[f"form-{n}-amount"] = "1"
    response = client.post(report_url(granted), data)
    assert response.status_code == 400
    assert "at most 50 cost lines" in response.content.decode()


def test_a_returned_report_shows_the_comment_and_can_be_changed(
    client, granted, leader, case_handler
):
    save(granted, leader)
    reports.report_submit(application=granted, actor=leader)
    reports.report_return(
        application=granted, actor=case_handler, comment="Kvitteringen mangler dato."
    )
    english(client, leader)
    page = client.get(report_url(granted)).content.decode()
    assert "Change the report" in page and "Kvitteringen mangler dato." in page
    line = BudgetLine.objects.get(actual=True)
    data = {
        "report_text": "Rettet.",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "50",
        "form-0-description": "Blomster og jord (med dato)",
        "form-0-amount": "3900",
        "send": "1",
    }
    assert client.post(report_url(granted), data).status_code == 302
    line.refresh_from_db()
    granted.refresh_from_db()
    assert (line.description, line.amount, granted.state) == (
        "Blomster og jord (med dato)",
        Decimal("3900"),
        "reported",
    )


# --- the query count ------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("state", ["granted", "payable"])
def test_the_page_costs_the_same_with_1_and_50_lines(client, granted, leader, state):
    client.force_login(leader)
    save(granted, leader, dugnads=[reported_dugnad(granted.committee)])
    Application.objects.filter(pk=granted.pk).update(state=state)
    one = _queries(client, report_url(granted))
    lines = list(BudgetLine.objects.filter(actual=True))
    for n in range(49):
        BudgetLine.objects.create(
            application=granted,
            actual=True,
            description=f"Kostnad {n}",
            amount=10,
            receipt=lines[0].receipt.name,
            token=f"t{n}",
            extension=".pdf",
            content_type="application/pdf",
        )
    for _n in range(5):
        reported_dugnad(granted.committee)
    assert _queries(client, report_url(granted)) == one


def test_an_approved_report_shows_its_payment(client, granted, leader, case_handler):
    save(granted, leader)
    reports.report_submit(application=granted, actor=leader)
    reports.report_approve(application=granted, actor=case_handler)
    english(client, leader)
    page = client.get(report_url(granted)).content.decode()
    assert "Approved for payment, due" in page
    with override("en"):
        assert f'id="report-payable">{money(Decimal("4000"))}<' in page
