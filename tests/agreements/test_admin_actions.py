"""The admin's actions call the services: send for signing, generate the payment plan, mark an
instalment paid (with its date and voucher, asked on an intermediate page), approve a report and
return one with a comment. Each leaves the timeline line its service writes; bad input gives
the form back and changes nothing."""

import datetime

import pytest
from django.contrib.admin import helpers
from django.utils import timezone

from agreements.models import AgreementEvent, Payment
from tests.agreements.test_admin_helpers import CHANGELIST, PAYMENTS, REPORTS, change_url, login
from tests.factories import AgreementFactory, PaymentFactory, ReportDutyFactory

pytestmark = pytest.mark.django_db


def act(client, url, action, objects, **data):
    return client.post(
        url,
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [str(o.pk) for o in objects], **data},
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_send_for_signing_calls_the_service(client, case_handler, draft):
    login(client, case_handler)
    response = act(client, CHANGELIST, "send_for_signing", [draft])
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "sent"
    event = draft.events.get(to_state="sent")
    assert event.actor == case_handler and event.from_state == "draft"
    # The service's timeline line is on the agreement's page.
    page = client.get(change_url(draft)).content.decode()
    assert "Sent for signing" in page


def test_send_for_signing_reports_the_services_refusal(client, case_handler, committee, department):
    empty = AgreementFactory(committee=committee, department=department, state="draft")
    login(client, case_handler)
    response = act(client, CHANGELIST, "send_for_signing", [empty])
    assert response.status_code == 302
    empty.refresh_from_db()
    assert empty.state == "draft"
    response = client.get(CHANGELIST)
    assert any("Add at least one task" in text for text in messages_of(response))


def test_generate_payment_plan_calls_the_service(client, case_handler, draft):
    login(client, case_handler)
    page = act(client, CHANGELIST, "generate_payment_plan", [draft])
    assert page.status_code == 200 and not Payment.objects.filter(agreement=draft).exists()
    response = act(
        client, CHANGELIST, "generate_payment_plan", [draft], apply="1", instalments_per_year="2"
    )
    assert response.status_code == 302
    plan = Payment.objects.filter(agreement=draft, source="plan")
    assert plan.count() == 2  # a year's agreement, half-yearly
    assert sum(p.amount for p in plan) == 6000  # the task's fixed yearly sum
    assert draft.events.filter(kind=AgreementEvent.Kind.TERMS_CHANGED, actor=case_handler)


def test_mark_paid_asks_for_the_date_and_voucher_then_calls_the_service(
    client, case_handler, active
):
    payment = PaymentFactory(agreement=active, due_on=timezone.localdate())
    login(client, case_handler)
    page = act(client, PAYMENTS, "mark_paid", [payment])
    assert page.status_code == 200 and "voucher" in page.context["form"].fields
    paid_on = timezone.localdate() - datetime.timedelta(days=1)
    response = act(
        client, PAYMENTS, "mark_paid", [payment], apply="1", paid_on=paid_on, voucher="BILAG-123"
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert (payment.paid_on, payment.voucher, payment.paid_by) == (
        paid_on,
        "BILAG-123",
        case_handler,
    )
    assert active.events.filter(kind=AgreementEvent.Kind.PAYMENT_PAID, actor=case_handler).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"voucher": "", "paid_on": "2026-01-01"},
        {"voucher": "BILAG\x00-1", "paid_on": "2026-01-01"},
        {"voucher": "BILAG-1", "paid_on": "3000-01-01"},
        {"voucher": "BILAG-1", "paid_on": "ikke en dato"},
    ],
)
def test_mark_paid_with_bad_input_gives_the_form_back(client, case_handler, active, data):
    payment = PaymentFactory(agreement=active)
    login(client, case_handler)
    response = act(client, PAYMENTS, "mark_paid", [payment], apply="1", **data)
    assert response.status_code == 200 and response.context["form"].errors
    payment.refresh_from_db()
    assert payment.paid_on is None


def test_approve_report_calls_the_service(client, case_handler, active):
    duty = ReportDutyFactory(agreement=active, state="submitted", submitted_at=timezone.now())
    login(client, case_handler)
    assert act(client, REPORTS, "approve_report", [duty]).status_code == 200  # the confirmation
    assert act(client, REPORTS, "approve_report", [duty], apply="1").status_code == 302
    duty.refresh_from_db()
    assert duty.state == "approved" and duty.reviewed_by == case_handler
    assert active.events.filter(kind=AgreementEvent.Kind.REPORT_APPROVED, actor=case_handler)


def test_return_report_needs_a_comment_and_calls_the_service(client, case_handler, active):
    duty = ReportDutyFactory(agreement=active, state="submitted", submitted_at=timezone.now())
    login(client, case_handler)
    response = act(client, REPORTS, "return_report", [duty], apply="1", comment="")
    assert response.status_code == 200 and response.context["form"].errors["comment"]
    duty.refresh_from_db()
    assert duty.state == "submitted"
    response = act(
        client, REPORTS, "return_report", [duty], apply="1", comment="Legg ved kvitteringene."
    )
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.state == "returned" and duty.review_comment == "Legg ved kvitteringene."
    event = active.events.get(kind=AgreementEvent.Kind.REPORT_RETURNED)
    assert event.message == "Legg ved kvitteringene." and event.actor == case_handler


def test_a_report_not_submitted_is_refused_by_the_service(client, case_handler, active):
    duty = ReportDutyFactory(agreement=active)  # still owed
    login(client, case_handler)
    act(client, REPORTS, "approve_report", [duty], apply="1")
    duty.refresh_from_db()
    assert duty.state == "open"
    assert any("Only a submitted report" in t for t in messages_of(client.get(REPORTS)))


def test_without_the_right_the_actions_are_not_offered(client, case_handler, active):
    """A case handler without the review and payment permissions sees neither action."""
    from django.contrib.auth.models import Permission

    from core.staff import CASE_HANDLER, group_name

    group = case_handler.groups.get(name=group_name(CASE_HANDLER))
    case_handler.groups.remove(group)
    for codename in ["view_payment", "view_reportduty", "view_agreement"]:
        case_handler.user_permissions.add(Permission.objects.get(codename=codename))
    login(client, case_handler)
    payments = client.get(PAYMENTS)
    assert payments.status_code == 200
    assert "mark_paid" not in dict(payments.context["action_form"].fields["action"].choices)
    reports = client.get(REPORTS)
    assert "approve_report" not in dict(reports.context["action_form"].fields["action"].choices)
