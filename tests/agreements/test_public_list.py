"""/avtaler/: the filters (committee, department, type, state, year), the pagination, bad
filter values and the query count at 10 and 1,000 agreements."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgreementFactory, DepartmentFactory

from .public_helpers import login, many_agreements, queries
from .test_public_pages import row_numbers

pytestmark = pytest.mark.django_db

LIST_URL = reverse("agreements:agreement-list")


def listed(client, **params) -> set[str]:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return row_numbers(response.content.decode())


@pytest.fixture
def four(committee, other_committee, department):
    """Four signed agreements that differ in one thing each from ``base``."""
    elsewhere = DepartmentFactory(name="Kultur og idrett", slug="kultur")
    year = timezone.localdate().year
    return {
        "base": AgreementFactory(committee=committee, department=department),
        "committee": AgreementFactory(committee=other_committee, department=department),
        "department": AgreementFactory(committee=committee, department=elsewhere),
        "kind": AgreementFactory(committee=committee, department=department, kind="maintenance"),
        "state": AgreementFactory(committee=committee, department=department, state="expiring"),
        "year": AgreementFactory(
            committee=committee,
            department=department,
            state="ended",
            starts_on=datetime.date(year - 2, 1, 1),
            ends_on=datetime.date(year - 2, 12, 31),
        ),
    }


def test_each_filter_narrows_the_list(client, four, department):
    everything = {a.number for a in four.values()}
    assert listed(client) == everything
    assert listed(client, utvalg="stavern") == {four["committee"].number}
    assert listed(client, avdeling="kultur") == {four["department"].number}
    assert listed(client, type="maintenance") == {four["kind"].number}
    assert listed(client, status="expiring") == {four["state"].number}
    assert listed(client, aar=str(timezone.localdate().year - 2)) == {four["year"].number}
    assert four["year"].number not in listed(client, aar=str(timezone.localdate().year))
    assert listed(client, utvalg="svarstad", type="operation", avdeling=department.slug) == {
        four["base"].number,
        four["state"].number,
        four["year"].number,
    }


def test_the_year_counts_a_termination_as_the_last_day(client, committee, department):
    year = timezone.localdate().year
    terminated = AgreementFactory(
        committee=committee,
        department=department,
        state="terminated",
        starts_on=datetime.date(year - 3, 1, 1),
        ends_on=datetime.date(year + 1, 12, 31),
        terminated_on=datetime.date(year - 2, 6, 30),
    )
    assert terminated.number in listed(client, aar=str(year - 2))
    assert terminated.number not in listed(client, aar=str(year - 1))


def test_a_draft_state_is_no_filter_and_shows_no_draft(client, draft, board_member):
    login(client, board_member)
    response = client.get(LIST_URL, {"status": "draft"})
    assert response.status_code == 200
    assert draft.number not in row_numbers(response.content.decode())
    assert "status" in response.context["form"].errors


@pytest.mark.parametrize("name", ["utvalg", "avdeling", "type", "status", "aar", "side"])
@pytest.mark.parametrize("value", ["\x00", "x" * 10_000, "99999999999999999999", "nan", "-1"])
def test_a_bad_filter_value_gives_the_list_back_never_a_500(client, active, name, value):
    response = client.get(LIST_URL, {name: value})
    if value == "\x00":  # refused for the whole site before any view (core.middleware)
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert active.number in row_numbers(response.content.decode())
    if name != "side":
        assert name in response.context["form"].errors


def test_the_list_is_paged_and_the_pages_keep_the_filter(client, committee, department):
    many_agreements(25, committee=committee, department=department)
    first = client.get(LIST_URL, {"utvalg": "svarstad"})
    assert len(row_numbers(first.content.decode())) == 20
    assert "?utvalg=svarstad&amp;side=2" in first.content.decode()
    second = client.get(LIST_URL, {"utvalg": "svarstad", "side": "2"})
    assert len(row_numbers(second.content.decode())) == 5


def test_the_list_is_a_fixed_number_of_queries_for_10_and_1000(
    client, committee, department, board_member
):
    many_agreements(10, committee=committee, department=department)
    small, _ = queries(client, LIST_URL)
    many_agreements(990, committee=committee, department=department)
    large, response = queries(client, LIST_URL)
    assert small == large
    assert response.context["page"].paginator.count == 1000


def test_a_board_members_workspace_on_the_list_is_a_fixed_number_of_queries(
    client, committee, department, board_member
):
    login(client, board_member)
    many_agreements(10, committee=committee, department=department, state="draft")
    small, _ = queries(client, LIST_URL)
    many_agreements(990, committee=committee, department=department, state="draft")
    large, response = queries(client, LIST_URL)
    assert small == large
    from agreements.workspace import WORKSPACE_LIMIT

    assert len(response.context["rows"]) == WORKSPACE_LIMIT


def test_the_filter_form_refuses_a_nul_byte_and_keeps_the_other_filters():
    from agreements.forms.filters import AgreementFilterForm

    form = AgreementFilterForm(
        {"utvalg": "\x00", "type": "maintenance", "aar": "\x00"}, committees=[("svarstad", "S")]
    )
    assert form.filters() == {
        "committee_slug": "",
        "department_slug": "",
        "kind": "maintenance",
        "state": "",
        "year": None,
    }
    assert set(form.errors) == {"utvalg", "aar"}
    assert form.query() == "type=maintenance"


def test_a_committee_or_department_filter_shows_their_economic_picture(client, committee, active):
    """Rolled up per committee and per department: the list filtered to one shows its figures
    (the task's 6 000 kr a year, planned from the tasks); unfiltered, the list has none."""
    assert 'id="list-rollup"' not in client.get(LIST_URL).content.decode()
    for query in [f"?utvalg={committee.slug}", f"?avdeling={active.department.slug}"]:
        body = client.get(LIST_URL + query).content.decode()
        assert 'id="list-rollup"' in body, query
        assert "kr\xa06\xa0000" in body[body.index('id="list-rollup"') :]
