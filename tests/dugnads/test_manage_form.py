"""The organisers' form: a dugnad with what it needs and what the municipality is asked for,
created and changed in one go, or (on bad input) not at all."""

# ruff: noqa: F811 - the fixtures imported from manage_helpers are the tests' arguments

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.formatting import local_zone
from dugnads.models import Dugnad, Need, Resource, ResourceState, State
from dugnads.services import planning
from notifications.models import Notification
from tests.factories import NeedFactory, ResourceFactory, SignupFactory, UserFactory

from .manage_helpers import (  # noqa: F401 (fixtures)
    create_url,
    department,
    draft,
    edit_url,
    form_data,
    in_days,
    management,
    organiser,
    published,
)


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value, local_zone())


def test_the_board_creates_a_draft_with_needs_and_resources(
    client, committee, organiser, leader, department
):
    client.force_login(organiser)
    data = form_data(
        organisers=[organiser, leader],
        needs=[("Raking", 10), ("Henger og bil", 2), ("", "")],
        resources=[("container", department.pk, "En container, 10 m³"), {"kind": ""}],
        signup_deadline_date=in_days(28).isoformat(),
        latitude="59,05123",
        longitude="10.03",
    )
    response = client.post(create_url(committee), data)
    dugnad = Dugnad.objects.get()
    assert response.status_code == 302 and response["Location"] == dugnad.get_absolute_url()
    assert dugnad.state == State.DRAFT and dugnad.created_by == organiser
    starts, ends = _local(dugnad.starts_at), _local(dugnad.ends_at)
    assert (starts.date(), starts.hour, starts.minute) == (in_days(30), 10, 0)
    assert (ends.date(), ends.hour) == (in_days(30), 14)
    assert _local(dugnad.signup_deadline).time() == datetime.time(23, 59)
    assert dugnad.resources_due == in_days(23)  # a week before, by default
    assert str(dugnad.latitude) == "59.05123" and dugnad.capacity == 20
    assert set(dugnad.organisers.all()) == {organiser, leader}
    assert list(dugnad.needs.values_list("title", "people", "order")) == [
        ("Raking", 10, 0),
        ("Henger og bil", 2, 1),
    ]
    (resource,) = dugnad.resources.all()
    assert (resource.kind, resource.department, resource.details) == (
        "container",
        department,
        "En container, 10 m³",
    )
    assert resource.requested_at is None  # the department is asked when it is published


def test_a_change_keeps_the_needs_people_picked(client, published, organiser, department):
    raking = NeedFactory(dugnad=published, title="Raking", people=10, order=0)
    coffee = NeedFactory(dugnad=published, title="Kaffe", people=1, order=1)
    signup = SignupFactory(dugnad=published, need=raking)
    client.force_login(organiser)
    data = form_data(
        organisers=[organiser],
        needs=[
            ("Raking", 12),
            {"title": "Kaffe", "people": "1", "DELETE": "on"},
            ("Vafler", 2),
        ],
        needs_initial=2,
        title="Vårdugnad i Bøkeskogen",
    )
    response = client.post(edit_url(published), data)
    assert response.status_code == 302
    published.refresh_from_db()
    signup.refresh_from_db()
    assert published.title == "Vårdugnad i Bøkeskogen"
    assert list(published.needs.values_list("title", "people")) == [("Raking", 12), ("Vafler", 2)]
    assert signup.need_id == raking.pk  # changed in place, not replaced
    assert not Need.objects.filter(pk=coffee.pk).exists()


def test_the_edit_page_shows_the_form_filled_in(client, published, organiser):
    NeedFactory(dugnad=published, title="Raking", people=10)
    client.force_login(organiser)
    page = client.get(edit_url(published)).content.decode()
    starts = _local(published.starts_at)
    assert f'name="starts_date" value="{starts.date().isoformat()}"' in page
    assert f'name="starts_time" value="{starts:%H:%M}"' in page
    assert 'name="needs-0-title" value="Raking"' in page
    assert 'name="needs-INITIAL_FORMS" value="1"' in page


def test_a_resource_added_to_a_published_dugnad_is_asked_of_its_department_at_once(
    client, published, organiser, case_handler
):
    department = case_handler.department_staff.department
    client.force_login(organiser)
    data = form_data(organisers=[organiser], resources=[("tools", department.pk, "20 river")])
    assert client.post(edit_url(published), data).status_code == 302
    resource = published.resources.get()
    assert resource.requested_at is not None
    assert Notification.objects.filter(
        recipient=case_handler, kind="dugnad.resource_requested"
    ).exists()


def test_an_answered_resource_is_shown_but_not_edited_away(
    client, published, organiser, department
):
    confirmed = ResourceFactory(
        dugnad=published,
        department=department,
        state=ResourceState.CONFIRMED,
        answer="Containeren står klar fra kl. 9.",
        answered_at=timezone.now(),
    )
    asked = ResourceFactory(dugnad=published, department=department, kind="gloves")
    client.force_login(organiser)
    page = client.get(edit_url(published)).content.decode()
    assert "Containeren står klar fra kl. 9." in page
    assert 'name="resources-INITIAL_FORMS" value="1"' in page  # only the unanswered line
    # The unanswered line is removed; the answered one stays whatever is posted.
    data = form_data(
        organisers=[organiser],
        resources=[{"kind": "gloves", "department": str(department.pk), "DELETE": "on"}],
        resources_initial=1,
    )
    assert client.post(edit_url(published), data).status_code == 302
    assert list(published.resources.all()) == [confirmed]
    assert not Resource.objects.filter(pk=asked.pk).exists()


def test_the_service_refuses_to_change_an_answered_resource(published, organiser, department):
    confirmed = ResourceFactory(
        dugnad=published, department=department, state=ResourceState.DECLINED, answer="Nei"
    )
    line = planning.ResourceLine(pk=confirmed.pk, kind="other", department=department)
    with pytest.raises(ValidationError) as caught:
        planning.dugnad_save_resources(dugnad=published, actor=organiser, resources=[line])
    assert "resources" in caught.value.message_dict
    confirmed.refresh_from_db()
    assert confirmed.kind == "container"


# --- bad input ---------------------------------------------------------------------------------


def _snapshot(dugnad):
    dugnad.refresh_from_db()
    return (
        dugnad.title,
        dugnad.starts_at,
        dugnad.sequence,
        list(dugnad.needs.values_list("pk", "title", "people")),
        list(dugnad.resources.values_list("pk", "kind")),
        list(dugnad.organisers.values_list("pk", flat=True)),
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "Vår\x00dugnad"}, "title"),
        ({"meeting_point": "\x00"}, "meeting_point"),
        ({"description": "x" * 5_001}, "description"),
        ({"starts_date": "\x00"}, "starts_date"),
        ({"starts_time": "25:61"}, "starts_time"),
        ({"ends_time": "09:00"}, "ends_time"),  # ends before it starts
        ({"ends_date": in_days(35).isoformat()}, "ends_time"),  # more than three days
        ({"latitude": "59.1"}, "longitude"),  # one without the other
        ({"latitude": "nan", "longitude": "10"}, "latitude"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "99999999999999999999"}, "capacity"),
        ({"reminder_hours": "1e309"}, "reminder_hours"),
        ({"signup_deadline_date": in_days(31).isoformat()}, "signup_deadline_date"),
        ({"signup_deadline_time": "12:00"}, "signup_deadline_date"),  # a time without a day
        ({"resources_due": in_days(31).isoformat()}, "resources_due"),
        ({"organisers": []}, "organisers"),
    ],
)
def test_bad_input_gives_the_form_back_and_changes_nothing(
    client, published, organiser, changes, field
):
    NeedFactory(dugnad=published, title="Raking", people=10)
    before = _snapshot(published)
    client.force_login(organiser)
    changes = {"organisers": [organiser], **changes}
    data = form_data(needs=[("Raking", 10)], needs_initial=1, **changes)
    response = client.post(edit_url(published), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert 'class="ds-error-summary' in response.content.decode()
    assert _snapshot(published) == before


def test_the_errors_are_the_rules_words_in_the_visitors_language(
    client, published, organiser, settings
):
    client.force_login(organiser)
    # Norwegian by default (Django's own message is translated already).
    response = client.post(edit_url(published), form_data(organisers=[organiser], title="\x00"))
    assert "Null-tegn er ikke tillatt." in response.content.decode()
    # The rule's message (dugnads.rules), next to its field, in the visitor's language.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(edit_url(published), form_data(organisers=[organiser], ends_time="9:00"))
    assert response.context["form"].errors["ends_time"] == ["The dugnad must end after it starts."]
    assert "Ends at: The dugnad must end after it starts." in response.content.decode()


def test_someone_not_on_the_board_cannot_be_made_organiser(client, published, organiser):
    before = _snapshot(published)
    client.force_login(organiser)
    response = client.post(edit_url(published), form_data(organisers=[UserFactory()]))
    assert response.status_code == 400 and response.context["form"].errors["organisers"]
    assert _snapshot(published) == before


@pytest.mark.parametrize(
    "row",
    [
        {"title": "Raking", "people": "0"},
        {"title": "Raking", "people": "abc"},
        {"title": "", "people": "3"},
        {"title": "Rak\x00ing", "people": "3"},
        {"title": "x" * 101, "people": "3"},
    ],
)
def test_an_invalid_need_row_leaves_the_dugnad_unchanged(client, published, organiser, row):
    NeedFactory(dugnad=published, title="Raking", people=10)
    before = _snapshot(published)
    client.force_login(organiser)
    data = form_data(
        organisers=[organiser],
        needs=[("Raking", 10), row],
        needs_initial=1,
        title="Et nytt navn som ikke skal lagres",
    )
    response = client.post(edit_url(published), data)
    assert response.status_code == 400
    assert response.context["needs"].total_error_count()
    assert _snapshot(published) == before


def test_an_invalid_resource_row_leaves_the_dugnad_unchanged(client, published, organiser):
    before = _snapshot(published)
    client.force_login(organiser)
    for row in ({"kind": "container", "department": "999999"}, {"kind": "rocket"}):
        data = form_data(organisers=[organiser], resources=[row], title="Nytt navn")
        response = client.post(edit_url(published), data)
        assert response.status_code == 400 and response.context["resources"].total_error_count()
    assert _snapshot(published) == before


def test_too_many_needs_are_refused(client, committee, organiser):
    client.force_login(organiser)
    needs = [(f"Oppgave {i}", 1) for i in range(21)]
    response = client.post(create_url(committee), form_data(organisers=[organiser], needs=needs))
    assert response.status_code == 400
    assert response.context["needs"].non_form_errors()
    assert not Dugnad.objects.exists()


def test_a_hand_made_total_of_forms_is_refused_not_a_500(client, committee, organiser):
    client.force_login(organiser)
    data = form_data(organisers=[organiser])
    data.update(management("needs", 100_000))
    data["resources-TOTAL_FORMS"] = "\x00"
    response = client.post(create_url(committee), data)
    assert response.status_code == 400
    assert not Dugnad.objects.exists()


def test_the_service_saves_nothing_when_a_need_is_invalid(published, organiser):
    """The form catches a bad row first; the service is the authority: one transaction."""
    NeedFactory(dugnad=published, title="Raking", people=10)
    before = _snapshot(published)
    with pytest.raises(ValidationError) as caught:
        planning.dugnad_plan_update(
            dugnad=published,
            actor=organiser,
            title="Skal ikke lagres",
            starts_at=published.starts_at + datetime.timedelta(hours=1),
            ends_at=published.ends_at + datetime.timedelta(hours=1),
            needs=[planning.NeedLine(title="Raking", people=0)],
        )
    assert "needs" in caught.value.message_dict
    assert _snapshot(published) == before
    assert not Notification.objects.filter(kind="dugnad.changed").exists()


def test_the_service_refuses_more_than_the_most_needs(published, organiser):
    lines = [planning.NeedLine(title=f"N{i}", people=1) for i in range(21)]
    with pytest.raises(ValidationError):
        planning.dugnad_save_needs(dugnad=published, actor=organiser, needs=lines)
    assert not published.needs.exists()


def test_another_dugnads_need_cannot_be_changed(published, organiser):
    foreign = NeedFactory(title="Fremmed")
    line = planning.NeedLine(pk=foreign.pk, title="Kapret", people=1)
    with pytest.raises(ValidationError):
        planning.dugnad_save_needs(dugnad=published, actor=organiser, needs=[line])
    foreign.refresh_from_db()
    assert foreign.title == "Fremmed"


def test_a_cancelled_dugnad_cannot_be_changed(client, published, organiser):
    Dugnad.objects.filter(pk=published.pk).update(state=State.CANCELLED)
    client.force_login(organiser)
    response = client.get(edit_url(published))
    assert response.status_code == 302 and response["Location"] == published.get_absolute_url()
    response = client.post(edit_url(published), form_data(organisers=[organiser], title="Ny"))
    published.refresh_from_db()
    assert published.title == "Vårdugnad i parken"


def test_moving_a_published_dugnad_tells_the_participants_and_moves_a_default_deadline(
    client, published, organiser
):
    signup = SignupFactory(dugnad=published)
    client.force_login(organiser)
    new_day = in_days(40)
    data = form_data(organisers=[organiser], starts_date=new_day.isoformat())
    assert client.post(edit_url(published), data).status_code == 302
    published.refresh_from_db()
    assert _local(published.starts_at).date() == new_day
    assert published.resources_due == new_day - datetime.timedelta(days=7)  # was the default
    assert published.sequence == 1  # calendars see a new version
    assert Notification.objects.filter(recipient=signup.user, kind="dugnad.changed").exists()


def test_a_deadline_the_organisers_chose_stays_when_the_start_moves(client, published, organiser):
    client.force_login(organiser)
    chosen = in_days(20)
    data = form_data(organisers=[organiser], resources_due=chosen.isoformat())
    assert client.post(edit_url(published), data).status_code == 302
    data = form_data(
        organisers=[organiser],
        starts_date=in_days(40).isoformat(),
        resources_due=chosen.isoformat(),
    )
    assert client.post(edit_url(published), data).status_code == 302
    published.refresh_from_db()
    assert published.resources_due == chosen


def test_a_dugnad_over_midnight_ends_the_next_day(client, committee, organiser):
    client.force_login(organiser)
    data = form_data(
        organisers=[organiser],
        starts_time="20:00",
        ends_time="02:00",
        ends_date=in_days(31).isoformat(),
    )
    assert client.post(create_url(committee), data).status_code == 302
    dugnad = Dugnad.objects.get()
    assert dugnad.ends_at - dugnad.starts_at == datetime.timedelta(hours=6)
