"""The dugnads' admin pages: who gets in (superuser, case handler; not a staff user without the
group, not a resident), the lists and their filters, dugnads shown but never edited, people by
name to case handlers (a guest's address neither shown nor searchable), the CSV export, and
constant query counts with 10 and 1,000 rows."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dugnads.models import Dugnad, DugnadEvent, HourlyRate, Party, ResourceState, Signup, State
from tests.factories import (
    CommitteeFactory,
    DepartmentFactory,
    DugnadFactory,
    NeedFactory,
    ResourceFactory,
    SignupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DUGNADS = reverse("admin:dugnads_dugnad_changelist")
RESOURCES = reverse("admin:dugnads_resource_changelist")
SIGNUPS = reverse("admin:dugnads_signup_changelist")
PHOTOS = reverse("admin:dugnads_photo_changelist")
GUEST_MAIL = reverse("admin:dugnads_guestmail_changelist")
RATES = reverse("admin:dugnads_hourlyrate_changelist")
EVENTS = reverse("admin:dugnads_dugnadevent_changelist")
NEEDS = reverse("admin:dugnads_need_changelist")
LISTS = [DUGNADS, RESOURCES, SIGNUPS, PHOTOS, RATES, EVENTS, NEEDS]


def change(model: str, pk: int) -> str:
    return reverse(f"admin:dugnads_{model}_change", args=[pk])


def login(client, user):
    client.cookies["nmu_language"] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def dugnad(committee, leader, case_handler):
    dugnad = DugnadFactory(committee=committee, title="Vårdugnad i parken", capacity=20)
    dugnad.organisers.add(leader)
    NeedFactory(dugnad=dugnad, title="Raking")
    ResourceFactory(dugnad=dugnad, department=case_handler.department_staff.department)
    SignupFactory(dugnad=dugnad, user=UserFactory(full_name="Per Deltaker"), party_size=3)
    SignupFactory(
        dugnad=dugnad, user=None, guest_name="Gina Gjest", guest_email="gina.gjest@example.no"
    )
    DugnadEvent.objects.create(
        dugnad=dugnad,
        actor=leader,
        actor_party=Party.COMMITTEE,
        from_state=State.DRAFT,
        to_state=State.PUBLISHED,
    )
    return dugnad


def result_pks(response) -> list[int]:
    return [obj.pk for obj in response.context["cl"].result_list]


# --- Who gets in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["superuser", "case_handler"])
def test_every_list_and_page_opens_for_the_superuser_and_the_case_handler(
    client, dugnad, role, request
):
    login(client, request.getfixturevalue(role))
    index = client.get(reverse("admin:index")).content.decode()
    assert DUGNADS in index and RESOURCES in index
    for url in LISTS:
        assert client.get(url).status_code == 200, url
    resource = dugnad.resources.get()
    signup = dugnad.signups.first()
    for url in [
        change("dugnad", dugnad.pk),
        change("resource", resource.pk),
        change("signup", signup.pk),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    rate = HourlyRate.objects.create(year=2031, nok_per_hour=350, source="Kulturminnefondet")
    assert client.get(change("hourlyrate", rate.pk)).status_code == 200


def test_anonymous_goes_to_the_login_and_a_resident_too(client, dugnad, resident):
    for url in LISTS:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    client.force_login(resident)
    assert all(client.get(url).status_code == 302 for url in LISTS)


def test_staff_without_the_group_are_refused(client, dugnad, staff_without_group):
    login(client, staff_without_group)
    for url in [*LISTS, change("dugnad", dugnad.pk), change("resource", dugnad.resources.get().pk)]:
        assert client.get(url).status_code == 403, url


def test_guest_mail_is_for_administrators_only(client, dugnad, case_handler, superuser):
    assert login(client, case_handler).get(GUEST_MAIL).status_code == 403
    assert login(client, superuser).get(GUEST_MAIL).status_code == 200


# --- Dugnads: shown, never edited -----------------------------------------------------------------


def test_the_dugnad_list_shows_places_and_unanswered_resources(client, dugnad, superuser):
    ResourceFactory(dugnad=dugnad, state=ResourceState.CONFIRMED)
    response = login(client, superuser).get(DUGNADS)
    [row] = response.context["cl"].result_list
    assert row.people_confirmed == 4 and row.unanswered_count == 1
    body = response.content.decode()
    assert "Vårdugnad i parken" in body and "4 / 20" in body


def test_dugnad_filters(client, dugnad, superuser, committee):
    other = DugnadFactory(committee=CommitteeFactory(), state=State.DRAFT, published_at=None)
    answered = DugnadFactory(committee=committee)
    ResourceFactory(dugnad=answered, state=ResourceState.CONFIRMED)
    login(client, superuser)
    department = dugnad.resources.get().department
    assert result_pks(client.get(DUGNADS, {"unanswered": "yes"})) == [dugnad.pk]
    assert set(result_pks(client.get(DUGNADS, {"unanswered": "no"}))) == {other.pk, answered.pk}
    assert result_pks(client.get(DUGNADS, {"department": department.pk})) == [dugnad.pk]
    assert result_pks(client.get(DUGNADS, {"state__exact": "draft"})) == [other.pk]
    assert set(result_pks(client.get(DUGNADS, {"committee__id__exact": committee.pk}))) == {
        dugnad.pk,
        answered.pk,
    }
    assert result_pks(client.get(DUGNADS, {"q": "Vårdugnad"})) == [dugnad.pk]
    assert result_pks(client.get(DUGNADS, {"q": committee.name})) != []
    for params in [{"department": "abc"}, {"department": "\x00"}, {"starts_at__year": "9" * 30}]:
        assert client.get(DUGNADS, params).status_code < 500, params


@pytest.mark.parametrize("role", ["superuser", "case_handler"])
def test_nobody_edits_a_dugnad_in_the_admin(client, dugnad, role, request):
    login(client, request.getfixturevalue(role))
    page = client.get(change("dugnad", dugnad.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert 'name="title"' not in page.content.decode()
    response = client.post(change("dugnad", dugnad.pk), {"title": "Endret", "_save": "Save"})
    assert response.status_code == 403
    dugnad.refresh_from_db()
    assert dugnad.title == "Vårdugnad i parken"
    assert client.get(reverse("admin:dugnads_dugnad_add")).status_code == 403
    assert client.get(reverse("admin:dugnads_dugnad_delete", args=[dugnad.pk])).status_code == 403


def test_the_dugnad_page_shows_its_resources_needs_and_timeline_by_name(
    client, dugnad, case_handler, leader
):
    body = login(client, case_handler).get(change("dugnad", dugnad.pk)).content.decode()
    resource = dugnad.resources.get()
    assert change("resource", resource.pk) in body  # answered from the request's own page
    assert "Raking" in body
    assert leader.full_name in body and leader.email not in body


# --- Sign-ups: by name, and a guest's address only for those who may see addresses ----------------


def test_a_case_handler_sees_guests_by_name_never_by_address(client, dugnad, case_handler):
    login(client, case_handler)
    body = client.get(SIGNUPS).content.decode()
    assert "Gina Gjest" in body and "Per Deltaker" in body
    assert "gina.gjest@example.no" not in body
    assert result_pks(client.get(SIGNUPS, {"q": "gina.gjest@example.no"})) == []
    guest = Signup.objects.get(guest_name="Gina Gjest")
    page = client.get(change("signup", guest.pk)).content.decode()
    assert "Gina Gjest" in page and "gina.gjest@example.no" not in page


def test_an_administrator_sees_and_searches_the_guests_address(client, dugnad, superuser):
    login(client, superuser)
    assert "gina.gjest@example.no" in client.get(SIGNUPS).content.decode()
    guest = Signup.objects.get(guest_name="Gina Gjest")
    assert result_pks(client.get(SIGNUPS, {"q": "gina.gjest@example.no"})) == [guest.pk]


# --- Hourly values: administrators keep them ------------------------------------------------------


def test_an_administrator_adds_an_hourly_value_a_case_handler_cannot(
    client, superuser, case_handler
):
    add = reverse("admin:dugnads_hourlyrate_add")
    data = {"year": 2031, "nok_per_hour": "360", "source": "Kulturminnefondet, dugnadssats"}
    assert login(client, case_handler).post(add, data).status_code == 403
    response = login(client, superuser).post(add, data)
    assert response.status_code == 302
    assert HourlyRate.objects.get(year=2031).nok_per_hour == Decimal("360")
    # Bad input gives the form back.
    response = client.post(add, {**data, "year": "abc", "source": "x\x00y"})
    assert response.status_code == 200 and response.context["adminform"].form.errors


# --- CSV ------------------------------------------------------------------------------------------


def test_the_csv_export_has_hours_first_then_their_value(client, superuser, committee):
    year = timezone.localdate().year + 1
    HourlyRate.objects.get_or_create(
        year=year, defaults={"nok_per_hour": Decimal("350"), "source": "Test"}
    )
    held = DugnadFactory(
        committee=committee,
        title="=HYPERLINK(1)",
        starts_at=timezone.make_aware(datetime.datetime(year, 5, 3, 10)),
        ends_at=timezone.make_aware(datetime.datetime(year, 5, 3, 14)),
        state=State.REPORTED,
        hours_total=Decimal("12.5"),
        participant_count=5,
    )
    SignupFactory(dugnad=held, party_size=2)
    response = login(client, superuser).post(
        DUGNADS, {"action": "export_csv", "_selected_action": [held.pk]}
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header.index("Hours") < header.index("Value (NOK)")
    values = dict(zip(header, row, strict=True))
    assert values["Title"] == "'=HYPERLINK(1)"
    assert values["Hours"] == "12.5" and values["Value (NOK)"] == "4375"
    assert values["People with a place"] == "2" and values["Committee"] == committee.name


# --- Query counts ---------------------------------------------------------------------------------


def _many_dugnads(n: int, committee, department):
    starts = timezone.now() + datetime.timedelta(days=30)
    dugnads = Dugnad.objects.bulk_create(
        DugnadFactory.build(
            committee=committee,
            starts_at=starts + datetime.timedelta(hours=i),
            ends_at=starts + datetime.timedelta(hours=i + 3),
            resources_due=(starts - datetime.timedelta(days=7 + i % 10)).date(),
        )
        for i in range(n)
    )
    ResourceFactory._meta.model.objects.bulk_create(
        ResourceFactory.build(dugnad=dugnad, department=department) for dugnad in dugnads
    )


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (DUGNADS, {}),
        (DUGNADS, {"unanswered": "yes"}),
        (RESOURCES, {}),
        (RESOURCES, {"overdue": "no", "department": "all"}),
    ],
)
def test_the_lists_keep_their_query_count_with_10_and_1000_rows(
    client, case_handler, committee, url, params
):
    department = case_handler.department_staff.department
    DepartmentFactory()
    login(client, case_handler)
    _many_dugnads(10, committee, department)
    client.get(url, params)  # warm the caches a first request fills
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, params).status_code == 200
    _many_dugnads(990, CommitteeFactory(), department)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, params).status_code == 200
    assert len(large) == len(small), (len(small), len(large))


@pytest.mark.parametrize("url", [EVENTS, NEEDS])
def test_the_timeline_and_needs_lists_keep_their_queries_with_more_rows(
    client, committee, superuser, url
):
    """The dugnads' timeline and needs, each with its dugnad: the same queries for 10 and 1,000."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dugnads.models import DugnadEvent, Need

    login(client, superuser)
    counts = []
    for size in (10, 1000):
        dugnads = DugnadFactory.create_batch(2, committee=committee)
        have = Need.objects.count()
        Need.objects.bulk_create(
            [Need(dugnad=dugnads[i % 2], title=f"Raking {i}", people=2) for i in range(size - have)]
        )
        DugnadEvent.objects.bulk_create(
            [
                DugnadEvent(dugnad=dugnads[i % 2], actor=superuser, to_state="published")
                for i in range(size - DugnadEvent.objects.count())
            ]
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
