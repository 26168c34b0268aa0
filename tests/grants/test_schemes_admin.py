"""The schemes' and allocations' admin: who sees it, the pot check and the allocation list on a
scheme's page, the actions "Work out allocations", "Approve the allocation list" and "Release
reserved allocations" through the services (refusals as messages), an approved list's rules
fixed, and the CSV/XLSX exports."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from committees.models import Committee
from grants.models import Allocation, GrantScheme
from grants.services.allocations import allocations_approve, allocations_compute
from grants.services.schemes import scheme_update
from tests.agreements.test_admin_helpers import page_data
from tests.factories import GrantSchemeFactory, PopulationFigureFactory

pytestmark = pytest.mark.django_db

SCHEMES = reverse("admin:grants_grantscheme_changelist")
ALLOCATIONS = reverse("admin:grants_allocation_changelist")
REGISTERED = datetime.date(2022, 11, 1)


def login(client, user):
    client.cookies["nmu_language"] = "en"
    client.force_login(user)
    return client


def change_url(scheme) -> str:
    return reverse("admin:grants_grantscheme_change", args=[scheme.pk])


def act(client, url, action, objects, **data):
    return client.post(
        url, {"action": action, helpers.ACTION_CHECKBOX_NAME: [str(o.pk) for o in objects], **data}
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture
def areas(committee, other_committee):
    """Svarstad (registered, 260 aged 0–19) and Stavern (no registration date, 1 150)."""
    committee.registered_on = REGISTERED
    committee.save()
    PopulationFigureFactory(committee=committee, residents_in_range=260)
    PopulationFigureFactory(committee=other_committee, residents_in_range=1_150)
    return committee, other_committee


def test_the_scheme_list_is_for_case_handlers(client, case_handler, staff_without_group, resident):
    GrantSchemeFactory(name="Oppstartstilskudd")
    assert client.get(SCHEMES).status_code == 302
    login(client, resident)
    assert client.get(SCHEMES).status_code == 302
    login(client, staff_without_group)
    assert client.get(SCHEMES).status_code == 403
    login(client, case_handler)
    page = client.get(SCHEMES)
    assert page.status_code == 200
    assert "Oppstartstilskudd" in page.content.decode()
    assert client.get(SCHEMES, {"year": "2023", "kind__exact": "formula"}).status_code == 200


def test_work_out_then_approve_from_the_admin(client, case_handler, formula_scheme, areas):
    svarstad, stavern = areas
    login(client, case_handler)
    confirm = act(client, SCHEMES, "compute_allocations", [formula_scheme])
    assert confirm.status_code == 200 and not Allocation.objects.exists()
    assert "Work out the allocations" in confirm.content.decode()
    done = act(client, SCHEMES, "compute_allocations", [formula_scheme], apply="yes")
    assert done.status_code == 302
    assert Allocation.objects.filter(scheme=formula_scheme).count() == 2
    page = client.get(change_url(formula_scheme)).content.decode()
    assert "NOK\xa0282,670 of the pot of NOK\xa01,000,000 is allocated" in page
    assert "Not registered in Frivillighetsregisteret (no registration date)" in page
    assert "Stavern" in page and "Svarstad" in page
    approve = act(client, SCHEMES, "approve_allocations", [formula_scheme], apply="yes")
    assert approve.status_code == 302
    formula_scheme.refresh_from_db()
    assert formula_scheme.allocation_state == "approved"
    assert Allocation.objects.get(committee=svarstad).payment.amount == Decimal(102_620)
    assert Allocation.objects.get(committee=stavern).payment is None


def test_above_the_pot_the_page_warns_and_the_approval_is_refused_as_a_message(
    client, case_handler, department, areas
):
    scheme = GrantSchemeFactory(department=department, pot=150_000, over_pot_rule="hold_back")
    allocations_compute(scheme=scheme, actor=case_handler)
    login(client, case_handler)
    page = client.get(change_url(scheme)).content.decode()
    assert "pot-check--over" in page
    assert "Above the pot: the allocations add up to NOK\xa0282,670" in page
    response = act(client, SCHEMES, "approve_allocations", [scheme], apply="yes")
    assert response.status_code == 302
    following = client.get(SCHEMES)
    assert any("above the pot of NOK\xa0150,000" in text for text in messages_of(following))
    scheme.refresh_from_db()
    assert scheme.allocation_state == "draft"


def test_an_outsider_cannot_run_the_actions(client, staff_without_group, formula_scheme, areas):
    login(client, staff_without_group)
    response = act(client, SCHEMES, "compute_allocations", [formula_scheme], apply="yes")
    assert response.status_code == 403
    assert not Allocation.objects.exists()


def test_an_approved_lists_rules_are_fixed(client, case_handler, formula_scheme, areas):
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    allocations_approve(scheme=formula_scheme, actor=case_handler)
    login(client, case_handler)
    page = client.get(change_url(formula_scheme))
    form = page.context["adminform"].form
    assert "pot" not in form.fields and "base_amount" not in form.fields
    assert "name" in form.fields
    data = page_data(page)
    data["name"] = "Oppstartstilskudd (endret navn)"
    assert client.post(change_url(formula_scheme), data).status_code == 302
    formula_scheme.refresh_from_db()
    assert formula_scheme.name == "Oppstartstilskudd (endret navn)"
    with pytest.raises(Exception) as refused:
        scheme_update(scheme=formula_scheme, actor=case_handler, pot=Decimal(2_000_000))
    assert "pot" in refused.value.message_dict


def test_a_scheme_is_added_through_the_service(client, case_handler, department):
    login(client, case_handler)
    add = reverse("admin:grants_grantscheme_add")
    data = page_data(client.get(add))
    data.update(
        year="2024",
        name="Driftstilskudd",
        kind="formula",
        department=str(department.pk),
        pot="700000",
        source="Kommunestyret sak 12/24",
        base_amount="50000",
        rate_per_resident="40",
        age_from="0",
        age_to="19",
        over_pot_rule="pro_rata",
        payment_rule="advance",
        payment_days="30",
        answer_days="30",
        info_days="14",
    )
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    scheme = GrantScheme.objects.get(name="Driftstilskudd")
    assert scheme.base_amount == 50_000
    # Bad input: the form comes back with the rule's message, nothing saved.
    data.update(name="Uten formel", base_amount="0", rate_per_resident="0")
    again = client.post(add, data)
    assert again.status_code == 200
    assert "A formula needs a base amount" in again.content.decode()
    assert not GrantScheme.objects.filter(name="Uten formel").exists()


def test_release_from_the_allocation_list(client, case_handler, formula_scheme, areas):
    svarstad, stavern = areas
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    allocations_approve(scheme=formula_scheme, actor=case_handler)
    reserved = Allocation.objects.get(committee=stavern)
    login(client, case_handler)
    response = act(client, ALLOCATIONS, "release", [reserved], apply="yes")
    assert response.status_code == 302
    assert any("no registration date" in t for t in messages_of(client.get(ALLOCATIONS)))
    stavern.registered_on = REGISTERED
    stavern.save()
    act(client, ALLOCATIONS, "release", [reserved], apply="yes")
    reserved.refresh_from_db()
    assert reserved.state == "payable" and reserved.payment.amount == 80_000 + 87 * 1_150


def test_the_allocation_list_filters(client, case_handler, formula_scheme, areas):
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    login(client, case_handler)
    for query in (
        {"scheme__year": "2023"},
        {"state": "reserved"},
        {"state": "nonsense"},
        {"scheme__id__exact": str(formula_scheme.pk)},
        {"committee__id__exact": str(areas[0].pk)},
        {"q": "Svarstad"},
    ):
        assert client.get(ALLOCATIONS, query).status_code == 200, query
    reserved = client.get(ALLOCATIONS, {"state": "reserved"}).context["cl"].result_list
    assert [a.committee.name for a in reserved] == ["Stavern"]


def _many_allocations(scheme, count):
    committees = Committee.objects.bulk_create(
        Committee(name=f"Område {scheme.pk}-{n}", slug=f"omrade-{scheme.pk}-{n}")
        for n in range(count)
    )
    Allocation.objects.bulk_create(
        Allocation(scheme=scheme, committee=c, amount=80_000, formula_amount=80_000)
        for c in committees
    )


def test_the_allocation_list_and_scheme_page_keep_their_queries(client, case_handler, department):
    small = GrantSchemeFactory(department=department)
    large = GrantSchemeFactory(department=department)
    _many_allocations(small, 10)
    _many_allocations(large, 100)
    login(client, case_handler)
    client.get(ALLOCATIONS)  # warm up (permissions, sessions)
    counts = []
    for scheme in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ALLOCATIONS, {"scheme__id__exact": scheme.pk}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    counts = []
    for scheme in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(change_url(scheme)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_allocation_exports(client, case_handler, formula_scheme, areas):
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    login(client, case_handler)
    selected = list(Allocation.objects.all())
    response = act(client, ALLOCATIONS, "export_allocations_csv", selected)
    content = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert header[:3] == ["Year", "Scheme", "Committee"]
    svarstad = next(row for row in rows if row[2] == "Svarstad")
    assert svarstad[header.index("Allocated (NOK)")] == "102620.00"
    assert svarstad[header.index("Status")] == "Proposed"
    response = act(client, ALLOCATIONS, "export_allocations_xlsx", selected)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    stavern = next(row for row in rows if row[2] == "Stavern")
    assert stavern[header.index("Allocated (NOK)")] == 80_000 + 87 * 1_150
    assert "no registration date" in stavern[header.index("Why not payable")]


@pytest.mark.parametrize("action", ["export_schemes_csv", "export_schemes_xlsx"])
def test_the_scheme_exports(client, case_handler, formula_scheme, areas, action):
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    login(client, case_handler)
    response = act(client, SCHEMES, action, [formula_scheme])
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    if action.endswith("csv"):
        text = body.decode("utf-8")
        assert "Allocated (NOK)" in text and "282670.00" in text
    else:
        rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
        assert rows[1][rows[0].index("Allocated (NOK)")] == 282_670
