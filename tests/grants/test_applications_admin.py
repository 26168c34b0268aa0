"""The applications' admin: the work list (its columns, filters, overdue on either side, the
same queries at 10 and 1 000 rows), the page read-only, and the actions Grant, Refuse and Ask
for more information through the services, each after its form; the exports."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Payment
from grants.models import Application
from tests.factories import ApplicationFactory, ApplicationSchemeFactory, CommitteeFactory

from .test_applications_helpers import advance, many, submitted

pytestmark = pytest.mark.django_db
LIST = reverse("admin:grants_application_changelist")


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["nmu_language"] = "en"


def change_url(application):
    return reverse("admin:grants_application_change", args=[application.pk])


def action(client, name, applications, **data):
    return client.post(
        LIST,
        {
            "action": name,
            "_selected_action": [a.pk for a in applications],
            "apply": "1",
            **data,
        },
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("board_member", 302), ("staff_without_group", 403), ("case_handler", 200)],
)
def test_who_sees_the_list(client, user_in_role, role, status, application):
    client.force_login(user_in_role(role))
    assert client.get(LIST).status_code == status


def test_the_list_and_the_page(client, case_handler, application, board_member):
    submitted(application, board_member)
    Application.objects.filter(pk=application.pk).update(
        answer_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(case_handler)
    body = client.get(LIST).content.decode()
    assert application.number in body and "Svarstad" in body and "<strong>Overdue</strong>" in body
    page = client.get(change_url(application)).content.decode()
    assert "Blomster" in page  # the budget, read-only
    assert 'name="title"' not in page  # nothing to edit


def test_the_filters(client, case_handler, committee, application_scheme, department):
    past = timezone.localdate() - datetime.timedelta(days=1)
    late_answer = ApplicationFactory(
        committee=committee, scheme=application_scheme, state="submitted", answer_due=past
    )
    late_info = ApplicationFactory(
        committee=committee, scheme=application_scheme, state="more_info", committee_due=past
    )
    on_time = ApplicationFactory(
        committee=committee,
        scheme=application_scheme,
        state="submitted",
        answer_due=timezone.localdate(),
    )
    old = ApplicationFactory(
        committee=CommitteeFactory(),
        scheme=ApplicationSchemeFactory(department=department, year=2024),
    )
    client.force_login(case_handler)

    def listed(**query):
        body = client.get(LIST, query).content.decode()
        return {a for a in (late_answer, late_info, on_time, old) if a.number in body}

    assert listed(overdue="municipality") == {late_answer}
    assert listed(overdue="committee") == {late_info}
    assert listed(overdue="either") == {late_answer, late_info}
    assert listed(year="2024") == {old}
    assert listed(state__exact="more_info") == {late_info}
    assert listed(q=late_info.number) == {late_info}
    assert listed(q="Svarstad") == {late_answer, late_info, on_time}


def test_the_list_keeps_its_queries(client, case_handler, committee, department):
    small = ApplicationSchemeFactory(department=department, year=2025)
    large = ApplicationSchemeFactory(department=department, year=2024)
    many(10, committee=committee, scheme=small, prefix="7")
    many(1000, committee=committee, scheme=large, prefix="8")
    client.force_login(case_handler)
    client.get(LIST)
    counts = []
    for scheme in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, {"scheme__id__exact": scheme.pk}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_grant_from_the_list_with_the_form(client, case_handler, application, board_member):
    submitted(application, board_member)
    client.force_login(case_handler)
    page = client.post(LIST, {"action": "grant", "_selected_action": [application.pk]})
    assert page.status_code == 200 and 'name="amount"' in page.content.decode()
    response = action(client, "grant", [application], amount="12000", conditions="Bilder etterpå")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "granted" and application.amount_granted == Decimal(12_000)
    assert application.conditions == "Bilder etterpå"


def test_grant_without_an_amount_grants_what_was_applied_for(
    client, case_handler, application, board_member
):
    advance(application)
    submitted(application, board_member)
    client.force_login(case_handler)
    action(client, "grant", [application], amount="", conditions="")
    application.refresh_from_db()
    assert application.state == "payable" and application.amount_granted == Decimal(15_000)
    assert Payment.objects.get().amount == Decimal(15_000)


def test_the_pot_refusal_is_said(client, case_handler, application, board_member, committee):
    ApplicationFactory(
        scheme=application.scheme, committee=committee, state="granted", amount_granted=195_000
    )
    submitted(application, board_member)
    client.force_login(case_handler)
    response = action(client, "grant", [application], amount="10000")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("pot is exceeded" in m for m in messages)
    application.refresh_from_db()
    assert application.state == "submitted"


def test_refuse_needs_a_reason(client, case_handler, application, board_member):
    submitted(application, board_member)
    client.force_login(case_handler)
    response = action(client, "refuse", [application], reason="")
    assert response.status_code == 200 and "Write why the application is refused." in (
        response.content.decode()
    )
    action(client, "refuse", [application], reason="Utenfor ordningen")
    application.refresh_from_db()
    assert application.state == "refused"


def test_ask_for_more(client, case_handler, application, board_member):
    submitted(application, board_member)
    client.force_login(case_handler)
    response = action(client, "ask_more", [application], message="x\x00")
    assert response.status_code == 200  # the form again: a NUL is refused
    action(client, "ask_more", [application], message="Hvor står benkene?")
    application.refresh_from_db()
    assert application.state == "more_info" and application.committee_due is not None
    assert board_member.notifications.filter(kind="grant.application_more_info").exists()


def test_staff_without_the_permission_have_no_actions(client, application, staff_without_group):
    from django.contrib.auth.models import Permission

    staff_without_group.user_permissions.add(Permission.objects.get(codename="view_application"))
    client.force_login(staff_without_group)
    body = client.get(LIST).content.decode()
    assert 'value="grant"' not in body and 'value="export_csv"' in body


def test_the_exports(client, case_handler, application):
    client.force_login(case_handler)
    response = client.post(LIST, {"action": "export_csv", "_selected_action": [application.pk]})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert application.number in content and "Svarstad" in content
    response = client.post(LIST, {"action": "export_xlsx", "_selected_action": [application.pk]})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
