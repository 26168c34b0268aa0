"""The report page: who sees the form, who sees the report read-only, who is sent away; the
form posts through the service, bad input comes back with messages and saves nothing; its
queries do not grow with the report's lines; the duties' panel."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements import selectors
from agreements.models import DutyState, ReportLine, ReportPhoto
from agreements.services.reports import report_return, report_submit
from agreements.views.reports import report_duties_context
from tests.factories import AgreementFactory, ReportDutyFactory, TaskFactory

from .reports_helpers import (  # noqa: F401 (fixtures)
    ROLES,
    day,
    duty_fixture,
    fixed_task,
    form_data,
    line,
    login,
    png,
    reimbursed_fixture,
    report_url,
    reviewer_fixture,
    row,
    staff_no_review_fixture,
)

pytestmark = pytest.mark.django_db

FORM = {"board_member", "leader"}
READ_ONLY = {"staff_no_review", "reviewer"}


@pytest.fixture
def as_board(client, board_member):
    client.force_login(board_member)
    client.cookies["nmu_language"] = "en"
    return client


# --- who ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_gets_the_form_on_a_signed_agreement(client, duty, user_in_role, role):
    login(client, user_in_role(role))
    response = client.get(report_url(duty))
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif role in FORM:
        assert response.status_code == 200 and response.context["editable"]
    elif role in READ_ONLY:
        assert response.status_code == 200 and not response.context["editable"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_an_unsigned_agreement_is_not_found_for_outsiders(
    client, committee, department, user_in_role, role
):
    agreement = AgreementFactory(committee=committee, department=department, state="sent")
    duty = ReportDutyFactory(agreement=agreement)
    login(client, user_in_role(role))
    response = client.get(report_url(duty))
    if role == "anonymous":
        assert response.status_code == 302
    elif role in FORM | READ_ONLY:
        # A party: read-only (a report is only written while the agreement is in force).
        assert response.status_code == 200 and not response.context["editable"]
    else:
        assert response.status_code == 404


def test_a_duty_of_another_agreement_is_not_found(as_board, duty, committee):
    other = ReportDutyFactory(agreement=AgreementFactory(committee=committee))
    url = report_url(duty).replace(f"/{duty.pk}/", f"/{other.pk}/")
    assert as_board.get(url).status_code == 404


@pytest.mark.parametrize("role", ["reviewer", "staff_no_review", "other_committee_leader"])
def test_only_the_board_can_post(client, duty, user_in_role, role):
    login(client, user_in_role(role))
    response = client.post(report_url(duty), form_data([row(fixed_task(duty.agreement))]))
    assert response.status_code == 403
    assert not ReportLine.objects.exists()


# --- the form -------------------------------------------------------------------------------


def test_the_board_submits_through_the_form(as_board, duty, reimbursed):
    task = fixed_task(duty.agreement)
    data = form_data(
        [row(task, note="Alle flaggdager"), row(reimbursed, hours="3", documented_cost="1 250,50")],
        photo_1=png(),
        caption_1="Flagget heist",
    )
    response = as_board.post(report_url(duty), data)
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.state == DutyState.SUBMITTED
    assert sorted(duty.lines.values_list("documented_cost", flat=True)) == [
        Decimal(0),
        Decimal("1250.50"),
    ]
    assert duty.photos.get().caption == "Flagget heist"
    # Submitted: read-only now, and a post is refused.
    response = as_board.get(report_url(duty))
    assert response.status_code == 200 and not response.context["editable"]
    assert response.context["hours_total"] == Decimal("15.5")
    assert as_board.post(report_url(duty), data).status_code == 403


def test_costs_are_asked_only_when_a_task_is_reimbursed(as_board, duty):
    form = as_board.get(report_url(duty)).context["formset"].forms[0]
    assert "documented_cost" not in form.fields
    TaskFactory(agreement=duty.agreement, pricing="reimbursed", amount=1_000)
    form = as_board.get(report_url(duty)).context["formset"].forms[0]
    assert "documented_cost" in form.fields
    assert "DELETE" not in form.fields  # an empty row has nothing to remove


def test_empty_rows_are_no_lines_and_none_at_all_is_an_error(as_board, duty):
    response = as_board.post(report_url(duty), form_data([]))
    assert response.status_code == 400
    assert "Add at least one task done." in response.content.decode()
    assert not ReportLine.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"done_on": "future"},
        {"hours": "0"},
        {"hours": "mye"},
        {"documented_cost": "100"},  # on the fixed-price task
        {"task": "stranger"},
        {"note": "a\x00b"},
    ],
)
def test_bad_lines_come_back_with_messages(as_board, duty, reimbursed, bad):
    task = fixed_task(duty.agreement)
    values = dict(bad)
    if values.get("done_on") == "future":
        values["done_on"] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    if values.get("task") == "stranger":
        values["task"] = TaskFactory().pk
    bad_row = {**row(task), **values}
    response = as_board.post(report_url(duty), form_data([row(task), bad_row]))
    assert response.status_code == 400
    assert response.context["formset"].forms[1].errors
    assert "error-summary" in response.content.decode()
    duty.refresh_from_db()
    assert duty.state == DutyState.OPEN and not ReportLine.objects.exists()


def test_a_nul_byte_in_the_summary_is_a_form_error(as_board, duty):
    """PostgreSQL refuses NUL in text: the page says so instead of a 500."""
    response = as_board.post(
        report_url(duty), form_data([row(fixed_task(duty.agreement))], summary="Ja\x00nei")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["summary"]
    assert not ReportLine.objects.exists()


def test_one_bad_photo_saves_nothing_and_says_so(as_board, duty):
    data = form_data(
        [row(fixed_task(duty.agreement))],
        photo_1=png(),
        caption_1="God",
        photo_2=png("falsk.png", b"\x89PNG\r\n\x1a\n not really"),
        caption_2="Dårlig",
    )
    response = as_board.post(report_url(duty), data)
    assert response.status_code == 400
    assert "files-not-kept" in response.content.decode()
    assert not ReportPhoto.objects.exists() and not ReportLine.objects.exists()
    duty.refresh_from_db()
    assert duty.state == DutyState.OPEN


@pytest.mark.parametrize(
    "files",
    [
        {"photo_1": "pdf", "caption_1": "Skjema"},
        {"photo_1": "png"},  # no caption
        {"caption_1": "A caption without a photo"},
    ],
)
def test_photo_problems_are_shown_next_to_the_field(as_board, duty, files):
    data = form_data([row(fixed_task(duty.agreement))])
    for key, value in files.items():
        if value == "pdf":
            value = png("skjema.pdf", b"%PDF-1.4 nothing")
        elif value == "png":
            value = png()
        data[key] = value
    response = as_board.post(report_url(duty), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not ReportPhoto.objects.exists()


def test_too_big_a_photo_through_the_form(as_board, duty, settings):
    settings.AGREEMENTS = {**settings.AGREEMENTS, "MAX_PHOTO_BYTES": 100}
    data = form_data([row(fixed_task(duty.agreement))], photo_1=png(), caption_1="Stor")
    response = as_board.post(report_url(duty), data)
    assert response.status_code == 400
    assert "photo_1" in response.context["form"].errors


def test_more_lines_than_the_limit_are_refused(as_board, duty):
    task = fixed_task(duty.agreement)
    data = form_data([row(task, hours="1")] * 101, extra_rows=0)
    response = as_board.post(report_url(duty), data)
    assert response.status_code == 400
    assert response.context["formset"].non_form_errors()
    assert not ReportLine.objects.exists()


def test_more_rows_gives_more_empty_rows_and_saves_nothing(as_board, duty):
    data = form_data([row(fixed_task(duty.agreement))], more_rows="1")
    response = as_board.post(report_url(duty), data)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 1 + 5 + 10
    assert not ReportLine.objects.exists()


def test_a_returned_report_shows_the_comment_and_its_lines(as_board, duty, board_member, reviewer):
    task = fixed_task(duty.agreement)
    report_submit(
        duty=duty, actor=board_member, summary="Først", lines=[line(task), line(task, hours=2)]
    )
    report_return(duty=duty, actor=reviewer, comment="Skriv mer om mai.")
    response = as_board.get(report_url(duty))
    assert response.status_code == 200 and response.context["editable"]
    page = response.content.decode()
    assert "Skriv mer om mai." in page and 'id="return-comment"' in page
    formset = response.context["formset"]
    assert formset.initial_form_count() == 2
    assert response.context["form"]["summary"].value() == "Først"
    # Submitted again as a browser does, the first line changed and the second removed: the
    # earlier lines are replaced.
    data = form_data([row(task, hours="4"), {**row(task, hours="2"), "DELETE": "on"}])
    data["form-INITIAL_FORMS"] = "2"
    assert as_board.post(report_url(duty), data).status_code == 302
    assert list(duty.lines.values_list("hours", flat=True)) == [Decimal(4)]


# --- queries --------------------------------------------------------------------------------


def _lines(duty, task, count):
    ReportLine.objects.bulk_create(
        ReportLine(duty=duty, task=task, done_on=day(), hours=1) for _ in range(count)
    )


@pytest.mark.parametrize("state", ["returned", "submitted"])
def test_queries_do_not_grow_with_the_lines(as_board, active, state):
    """The form (a returned report's lines as rows) and the read-only page, at 10 and 100
    lines: the same number of queries."""
    task = fixed_task(active)
    counts = []
    for count in (10, 100):
        duty = ReportDutyFactory(agreement=active, state=state, summary="Noe")
        _lines(duty, task, count)
        with CaptureQueriesContext(connection) as queries:
            response = as_board.get(report_url(duty))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- the duties' panel ------------------------------------------------------------------------


def _panel(user, agreement):
    request = RequestFactory().get("/")
    request.user = user
    agreement = selectors.agreement_get(number=agreement.number)
    context = {"agreement": agreement, **report_duties_context(request, agreement)}
    return render_to_string("agreements/_report_duties.html", context)


def test_the_panel_shows_the_duties_with_links_for_the_board(active, board_member, resident):
    overdue = ReportDutyFactory(
        agreement=active, title="Våren", due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    ReportDutyFactory(agreement=active, title="Høsten")
    page = _panel(board_member, active)
    assert "Våren" in page and "Høsten" in page
    assert page.count('data-overdue="true"') == 1
    assert report_url(overdue) in page
    public = _panel(resident, active)
    assert "Våren" in public and report_url(overdue) not in public


def test_the_panel_shows_approved_hours_and_costs(
    active, board_member, reviewer, reimbursed, django_assert_max_num_queries
):
    from agreements.services.reports import report_approve

    duty = ReportDutyFactory(agreement=active)
    report_submit(
        duty=duty,
        actor=board_member,
        summary="Ferdig",
        lines=[line(reimbursed, hours=Decimal("7.5"), documented_cost=2_000)],
    )
    report_approve(duty=duty, actor=reviewer)
    page = _panel(board_member, active)
    assert '<span class="report-hours">7.5</span>' in page or "7,5" in page
    assert "2\xa0000" in page or "2,000" in page


@pytest.mark.parametrize("count", [10, 100])
def test_the_panel_figures_are_three_queries(
    active, board_member, count, django_assert_num_queries
):
    from agreements.report_selectors import with_duty_figures

    task = fixed_task(active)
    for _ in range(count // 10):
        duty = ReportDutyFactory(agreement=active, state="approved")
        _lines(duty, task, 10)
    agreement = selectors.agreement_get(number=active.number)
    with django_assert_num_queries(3):  # hours and costs, payments, photos
        with_duty_figures([agreement])
    assert {d.report_hours for d in agreement.report_duties.all()} == {Decimal(10)}


@pytest.mark.parametrize(("role", "shown"), [("reviewer", True), ("staff_no_review", False)])
def test_reviewers_get_a_link_to_the_review(client, duty, board_member, user_in_role, role, shown):
    report_submit(
        duty=duty, actor=board_member, summary="Ferdig", lines=[line(fixed_task(duty.agreement))]
    )
    login(client, user_in_role(role))
    response = client.get(report_url(duty))
    assert ('id="review-link"' in response.content.decode()) is shown
    if shown:
        assert client.get(response.context["review_url"]).status_code == 200
