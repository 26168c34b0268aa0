"""The committee's application pages: who may see and do what (anonymous, an outsider, the
other committee's leader, the board, a case handler), the form's bad input given back, the
steps, the photos."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import Application, ApplicationPhoto
from grants.services import applications as services
from tests.factories import ApplicationFactory

from .test_applications_helpers import (
    BUDGET,
    not_a_photo,
    photo,
    post_data,
    submitted,
    with_budget,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "other_committee_leader", "board_member", "case_handler"]


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["nmu_language"] = "en"


def as_role(client, user_in_role, role):
    user = user_in_role(role)
    if user.is_authenticated:
        client.force_login(user)
    return user


def create_url(committee, scheme):
    return reverse("grants:application-create", args=[committee.slug, scheme.pk])


def granted(application, board_member, case_handler):
    submitted(application, board_member)
    return services.application_grant(
        application=application, actor=case_handler, amount=Decimal(10_000)
    )


# --- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("other_committee_leader", 403),
        ("board_member", 200),
        ("case_handler", 403),
    ],
)
def test_only_the_board_may_apply(
    client, user_in_role, role, status, committee, application_scheme
):
    as_role(client, user_in_role, role)
    response = client.get(create_url(committee, application_scheme))
    assert response.status_code == status
    if status == 302:
        assert "login" in response.url or "logg-inn" in response.url or "konto" in response.url


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("resident", 404),
        ("other_committee_leader", 404),
        ("board_member", 200),
        ("case_handler", 200),
    ],
)
def test_a_draft_is_the_parties_own(client, user_in_role, role, status, application):
    as_role(client, user_in_role, role)
    assert client.get(application.get_absolute_url()).status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_a_granted_application_is_public(
    client, user_in_role, role, application, board_member, case_handler
):
    granted(application, board_member, case_handler)
    as_role(client, user_in_role, role)
    response = client.get(application.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="amount-granted"' in body and 'id="timeline"' in body
    assert ('id="edit-link"' in body) is False


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("resident", 404),
        ("other_committee_leader", 404),
        ("board_member", 200),
        ("case_handler", 403),
    ],
)
def test_only_the_board_may_change_it(client, user_in_role, role, status, application):
    as_role(client, user_in_role, role)
    url = reverse("grants:application-edit", args=[application.number])
    assert client.get(url).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("resident", 404),
        ("other_committee_leader", 404),
        ("board_member", 200),
        ("case_handler", 302),  # the municipality cannot send the committee's draft: back to it
    ],
)
def test_the_send_page(client, user_in_role, role, status, application):
    with_budget(application)
    as_role(client, user_in_role, role)
    url = reverse("grants:application-transition", args=[application.number, "submitted"])
    response = client.get(url)
    assert response.status_code == status
    if role == "case_handler":
        assert response.url == application.get_absolute_url()


def test_a_step_that_is_not_a_state_is_404(client, board_member, application):
    client.force_login(board_member)
    url = reverse("grants:application-transition", args=[application.number, "nonsense"])
    assert client.get(url).status_code == 404


def test_the_public_cannot_take_a_step_on_a_granted_application(
    client, resident, application, board_member, case_handler
):
    granted(application, board_member, case_handler)
    client.force_login(resident)
    url = reverse("grants:application-transition", args=[application.number, "withdrawn"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_the_committee_grants_page(
    client, user_in_role, role, committee, application, application_scheme, case_handler
):
    public = ApplicationFactory(
        committee=committee, scheme=application_scheme, state="granted", amount_granted=1000
    )
    as_role(client, user_in_role, role)
    response = client.get(reverse("grants:committee-grants", args=[committee.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    party = role in ("board_member", "case_handler")
    assert f'data-number="{public.number}"' in body
    assert (f'data-number="{application.number}"' in body) == party
    assert (create_url(committee, application_scheme) in body) == (role == "board_member")


def test_the_committee_grants_page_of_no_committee_is_404(client):
    assert client.get(reverse("grants:committee-grants", args=["finnes-ikke"])).status_code == 404


# --- the form -------------------------------------------------------------------------------


def test_the_board_applies(client, board_member, committee, application_scheme):
    client.force_login(board_member)
    data = post_data(latitude="59,05", longitude="10.03")
    data["photo_1"] = photo()
    data["photo_description_1"] = "Parken i dag"
    response = client.post(create_url(committee, application_scheme), data)
    application = Application.objects.get()
    assert response.status_code == 302 and response.url == application.get_absolute_url()
    assert application.latitude == Decimal("59.05000")
    assert application.budget_lines.count() == 2
    assert application.photos.get().description == "Parken i dag"


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Benker\x00"},
        {"title": "x" * 201},
        {"latitude": "59.05"},  # without the longitude
        {"amount_requested": "50001"},  # more than the scheme gives
        {"amount_requested": "ti tusen"},
        {"ends_on": "2000-01-01"},
    ],
)
def test_bad_input_gives_the_form_back(
    client, board_member, committee, application_scheme, changes
):
    client.force_login(board_member)
    response = client.post(create_url(committee, application_scheme), post_data(**changes))
    assert response.status_code == 400
    assert "Please correct the errors below." in response.content.decode()
    assert not Application.objects.exists()


def test_a_bad_budget_line_gives_the_form_back(client, board_member, committee, application_scheme):
    client.force_login(board_member)
    budget = [{"description": "Maling\x00", "amount": "100"}, {"description": "", "amount": "-1"}]
    response = client.post(create_url(committee, application_scheme), post_data(budget=budget))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Budget line 1" in body and "Budget line 2" in body
    assert not Application.objects.exists()


def test_too_many_budget_rows_are_refused(client, board_member, committee, application_scheme):
    client.force_login(board_member)
    budget = [{"description": f"L{n}", "amount": "1"} for n in range(31)]
    response = client.post(create_url(committee, application_scheme), post_data(budget=budget))
    assert response.status_code == 400
    assert "at most 30 lines" in response.content.decode()


def test_a_bad_image_gives_the_form_back(client, board_member, committee, application_scheme):
    client.force_login(board_member)
    data = post_data()
    data["photo_1"] = not_a_photo()
    data["photo_description_1"] = "Parken"
    response = client.post(create_url(committee, application_scheme), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "does not look like a JPG file" in body and 'id="files-not-kept"' in body
    assert not Application.objects.exists() and not ApplicationPhoto.objects.exists()


def test_a_photo_needs_its_description(client, board_member, committee, application_scheme):
    client.force_login(board_member)
    data = post_data()
    data["photo_1"] = photo()
    response = client.post(create_url(committee, application_scheme), data)
    assert response.status_code == 400
    assert "Say what the photo shows" in response.content.decode()


def test_more_rows_without_javascript(client, board_member, committee, application_scheme):
    client.force_login(board_member)
    data = post_data()
    data["more_rows"] = "1"
    response = client.post(create_url(committee, application_scheme), data)
    assert response.status_code == 200
    assert 'name="form-7-description"' in response.content.decode()
    assert not Application.objects.exists()


def test_a_closed_scheme_sends_the_board_back(client, board_member, committee, application_scheme):
    application_scheme.application_deadline = timezone.localdate() - datetime.timedelta(days=1)
    application_scheme.save()
    client.force_login(board_member)
    response = client.get(create_url(committee, application_scheme))
    assert response.status_code == 302
    assert response.url == reverse("grants:committee-grants", args=[committee.slug])


def test_a_formula_scheme_takes_no_application(client, board_member, committee, formula_scheme):
    client.force_login(board_member)
    assert client.get(create_url(committee, formula_scheme)).status_code == 404


def test_the_board_changes_its_draft(client, board_member, application):
    with_budget(application)
    client.force_login(board_member)
    url = reverse("grants:application-edit", args=[application.number])
    page = client.get(url).content.decode()
    assert 'value="Blomster"' in page
    response = client.post(url, post_data(title="Nye benker", budget=BUDGET[:1]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title == "Nye benker"
    assert [line.description for line in application.budget_lines.all()] == ["Materialer"]


def test_a_submitted_application_cannot_be_changed(client, board_member, application):
    submitted(application, board_member)
    client.force_login(board_member)
    url = reverse("grants:application-edit", args=[application.number])
    assert client.get(url).status_code == 302
    assert client.post(url, post_data(title="Ny")).status_code == 302
    application.refresh_from_db()
    assert application.title != "Ny"


# --- the steps and the page -----------------------------------------------------------------


def test_the_board_sends_and_the_page_shows_the_deadline(
    client, board_member, case_handler, application
):
    with_budget(application)
    client.force_login(board_member)
    url = reverse("grants:application-transition", args=[application.number, "submitted"])
    page = client.get(url).content.decode()
    assert "answers it by" in page
    assert client.post(url).status_code == 302
    application.refresh_from_db()
    assert application.state == "submitted"
    assert case_handler.notifications.filter(kind="grant.application_submitted").exists()
    body = client.get(application.get_absolute_url()).content.decode()
    assert 'id="answer-due"' in body and 'data-overdue="true"' not in body


def test_the_step_page_gives_the_service_refusal_back(client, board_member, application):
    client.force_login(board_member)  # no budget: cannot be sent
    url = reverse("grants:application-transition", args=[application.number, "submitted"])
    response = client.post(url)
    assert response.status_code == 400
    assert "Add a budget" in response.content.decode()


def test_overdue_marks_on_both_sides(client, board_member, application):
    past = timezone.localdate() - datetime.timedelta(days=2)
    application.state = "submitted"
    application.answer_due = past
    application.save()
    client.force_login(board_member)
    body = client.get(application.get_absolute_url()).content.decode()
    assert 'id="answer-due" data-deadline="municipality" data-overdue="true"' in body
    application.state = "more_info"
    application.answer_due = None
    application.committee_due = past
    application.save()
    body = client.get(application.get_absolute_url()).content.decode()
    assert 'id="committee-due" data-deadline="committee" data-overdue="true"' in body


def test_staff_refuse_with_a_reason_from_the_page(client, board_member, case_handler, application):
    submitted(application, board_member)
    client.force_login(case_handler)
    url = reverse("grants:application-transition", args=[application.number, "refused"])
    response = client.post(url, {"message": ""})
    assert response.status_code == 400
    assert client.post(url, {"message": "Utenfor ordningen"}).status_code == 302
    application.refresh_from_db()
    assert application.state == "refused"
    assert board_member.notifications.filter(kind="grant.application_refused").exists()


def test_the_board_withdraws(client, board_member, application):
    client.force_login(board_member)
    url = reverse("grants:application-transition", args=[application.number, "withdrawn"])
    assert client.post(url, {"message": ""}).status_code == 302
    application.refresh_from_db()
    assert application.state == "withdrawn"


# --- photos ---------------------------------------------------------------------------------


@pytest.fixture
def before_photo(application, board_member):
    services.application_update(
        application=application, actor=board_member, fields={}, photos=[(photo(), "Før")]
    )
    return application.photos.get()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("resident", 404),
        ("other_committee_leader", 404),
        ("board_member", 200),
        ("case_handler", 200),
    ],
)
def test_a_drafts_photo_is_the_parties(client, user_in_role, role, status, before_photo):
    as_role(client, user_in_role, role)
    response = client.get(before_photo.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_granted_applications_photo_before_is_public(
    client, before_photo, application, board_member, case_handler
):
    granted(application, board_member, case_handler)
    assert client.get(before_photo.get_absolute_url()).status_code == 200
    body = client.get(application.get_absolute_url()).content.decode()
    assert before_photo.get_absolute_url() in body and 'alt="Før"' in body


def test_a_photo_after_is_public_only_once_paid(
    client, application, board_member, case_handler, resident
):
    granted(application, board_member, case_handler)
    after = ApplicationPhoto.objects.create(
        application=application,
        kind="after",
        image=before_photo_file(),
        token="a" * 32,
        extension=".jpg",
        content_type="image/jpeg",
        description="Etter",
    )
    client.force_login(resident)
    assert client.get(after.get_absolute_url()).status_code == 404
    Application.objects.filter(pk=application.pk).update(state="payable")
    assert client.get(after.get_absolute_url()).status_code == 200


def before_photo_file():
    from django.core.files.base import ContentFile

    from tests.photo_files import jpeg_with_gps

    return ContentFile(jpeg_with_gps(), name="etter.jpg")


def test_no_photo_is_404(client):
    assert client.get(reverse("grants:application-photo", args=[999_999])).status_code == 404


def test_the_report_panel_is_the_parties_until_paid(
    client, resident, board_member, case_handler, application
):
    granted(application, board_member, case_handler)
    client.force_login(board_member)
    body = client.get(application.get_absolute_url()).content.decode()
    assert 'id="grant-report"' in body and 'id="report-link"' in body
    client.force_login(resident)
    assert 'id="grant-report"' not in client.get(application.get_absolute_url()).content.decode()
    Application.objects.filter(pk=application.pk).update(state="payable")
    assert 'id="grant-report"' in client.get(application.get_absolute_url()).content.decode()
