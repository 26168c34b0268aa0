"""The public scheme pages (/tilskudd/): the schemes per year, a scheme's rules with their source,
a formula scheme's approved allocation list ("Reserved, not payable: <reason>") with the pot
check, an application scheme's granted applications only; open to anyone, a draft list only to
staff, the same queries at 10 and 1,000 allocations."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import Committee
from grants.models import Allocation
from grants.services.allocations import allocations_approve, allocations_compute
from tests.factories import ApplicationFactory, GrantSchemeFactory, PopulationFigureFactory

pytestmark = pytest.mark.django_db

LIST = reverse("grants:scheme-list")


def visit(client, user=None):
    client.cookies["nmu_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def approved(formula_scheme, committee, other_committee, case_handler):
    """The 2023 list approved: Svarstad registered (260 aged 0–19), Stavern not yet (1 150)."""
    formula_scheme.source_url = "https://www.larvik.kommune.no/vedtak-45-23"
    formula_scheme.save()
    committee.registered_on = datetime.date(2022, 11, 1)
    committee.save()
    PopulationFigureFactory(committee=committee, residents_in_range=260)
    PopulationFigureFactory(committee=other_committee, residents_in_range=1_150)
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    allocations_approve(scheme=formula_scheme, actor=case_handler)
    return formula_scheme


@pytest.mark.parametrize("who", [None, "resident", "leader", "case_handler"])
def test_anyone_sees_the_schemes(client, request, who, approved, application_scheme):
    visit(client, request.getfixturevalue(who) if who else None)
    page = client.get(LIST)
    assert page.status_code == 200
    text = page.content.decode()
    assert approved.name in text and application_scheme.name in text
    assert "NOK\xa0282,670" in text  # allocated: 102 620 + 180 050 (reserved counts)
    detail = client.get(approved.get_absolute_url())
    assert detail.status_code == 200
    assert "Reserved, not payable" in detail.content.decode()


def test_the_year_filter(client, approved, application_scheme):
    visit(client)
    schemes = client.get(LIST, {"aar": "2023"}).context["schemes"]
    assert schemes == [approved]
    bad = client.get(LIST, {"aar": "1999"})  # a year without schemes: the filter's error
    assert bad.status_code == 200 and "filter-errors" in bad.content.decode()
    assert len(bad.context["schemes"]) == 2
    assert client.get(LIST, {"aar": "abc"}).status_code == 200
    assert client.get(LIST, {"aar": "2023\x00"}).status_code == 404  # the site's NUL rule


def test_the_formula_schemes_page(client, approved):
    visit(client)
    text = client.get(approved.get_absolute_url()).content.decode()
    assert "NOK\xa080,000 per committee + NOK\xa087 per resident aged 0–19" in text
    assert 'href="https://www.larvik.kommune.no/vedtak-45-23"' in text
    assert "Kommunestyrets vedtak 2023, sak 45/23" in text
    assert "Registered in Frivillighetsregisteret, with an organisation number" in text
    assert 'data-committee="svarstad" data-state="payable" data-amount="102620.00"' in text
    assert "Approved for payment" in text
    assert 'data-committee="stavern" data-state="reserved"' in text
    assert "Not registered in Frivillighetsregisteret (no registration date)" in text
    assert (
        "NOK\xa0282,670 of the pot of NOK\xa01,000,000 is allocated; NOK\xa0717,330 is left."
        in text
    )
    assert 'data-over="false"' in text
    # Once the municipality has paid, the row says so.
    payment = Allocation.objects.get(committee__slug="svarstad").payment
    payment.paid_on = datetime.date(2023, 3, 15)
    payment.save()
    text = client.get(approved.get_absolute_url()).content.decode()
    assert 'allocation-paid" data-color="success">Paid</span> <time datetime="2023-03-15' in text


def test_a_draft_list_is_for_staff_only(client, formula_scheme, committee, case_handler, leader):
    PopulationFigureFactory(committee=committee, residents_in_range=260)
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    visit(client, leader)
    text = client.get(formula_scheme.get_absolute_url()).content.decode()
    assert "allocations-pending" in text and 'data-committee="svarstad"' not in text
    visit(client, case_handler)
    text = client.get(formula_scheme.get_absolute_url()).content.decode()
    assert "allocations-draft" in text and 'data-committee="svarstad"' in text


def test_a_list_above_the_pot_says_so(client, department, committee, case_handler):
    scheme = GrantSchemeFactory(department=department, pot=50_000, over_pot_rule="hold_back")
    PopulationFigureFactory(committee=committee, residents_in_range=260)
    allocations_compute(scheme=scheme, actor=case_handler)
    visit(client, case_handler)
    text = client.get(scheme.get_absolute_url()).content.decode()
    assert 'data-over="true"' in text
    assert "NOK\xa052,620 more than the pot of NOK\xa050,000" in text


def test_a_pro_rata_list_shows_the_ore(
    client, department, committee, other_committee, case_handler
):
    scheme = GrantSchemeFactory(department=department, pot=Decimal("100000.01"))
    for c in (committee, other_committee):
        c.registered_on = datetime.date(2022, 1, 1)
        c.save()
        PopulationFigureFactory(committee=c, residents_in_range=1)
    allocations_compute(scheme=scheme, actor=case_handler)
    allocations_approve(scheme=scheme, actor=case_handler)
    visit(client)
    text = client.get(scheme.get_absolute_url()).content.decode()
    assert 'id="allocated-total" data-amount="100000.01">NOK\xa0100,000.01' in text
    assert "every allocation is scaled down in proportion" in text


def test_an_application_schemes_page_lists_only_granted_applications(
    client, application_scheme, committee
):
    granted = ApplicationFactory(
        scheme=application_scheme, committee=committee, state="granted", amount_granted=12_000
    )
    paid = ApplicationFactory(
        scheme=application_scheme,
        committee=committee,
        state="payable",
        amount_granted=8_000,
        title="Benker",
    )
    draft = ApplicationFactory(scheme=application_scheme, committee=committee, title="Hemmelig")
    refused = ApplicationFactory(
        scheme=application_scheme, committee=committee, state="refused", title="Avslått"
    )
    visit(client)
    text = client.get(application_scheme.get_absolute_url()).content.decode()
    assert reverse("grants:application-detail", kwargs={"number": granted.number}) in text
    assert paid.number in text and "Benker" in text
    assert draft.number not in text and refused.number not in text
    assert 'id="granted-total" data-amount="20000.00"' in text
    listing = client.get(LIST).content.decode()
    assert "NOK\xa020,000" in listing


def test_an_unknown_scheme_is_a_404(client):
    visit(client)
    assert client.get(reverse("grants:scheme-detail", kwargs={"pk": 99999})).status_code == 404
    assert client.post(LIST).status_code == 405


def _scheme_with(department, count, n):
    scheme = GrantSchemeFactory(department=department, allocation_state="approved")
    committees = Committee.objects.bulk_create(
        Committee(name=f"Område {n}-{i}", slug=f"omrade-{n}-{i}") for i in range(count)
    )
    Allocation.objects.bulk_create(
        Allocation(
            scheme=scheme,
            committee=c,
            amount=80_000,
            formula_amount=80_000,
            base_amount=80_000,
            state="reserved",
            reasons=[{"code": "no_registration_date", "params": {}}],
        )
        for c in committees
    )
    return scheme


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", [None, "case_handler"])
def test_the_pages_keep_their_queries_at_10_and_1000_allocations(client, request, who, department):
    visit(client, request.getfixturevalue(who) if who else None)
    small = _scheme_with(department, 10, 1)
    large = _scheme_with(department, 1_000, 2)
    client.get(LIST)
    assert _queries(client, small.get_absolute_url()) == _queries(client, large.get_absolute_url())
    before = _queries(client, LIST)
    _scheme_with(department, 5, 3)
    assert _queries(client, LIST) == before
