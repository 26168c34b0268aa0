"""The economic picture on the pages: the tables (the content) with the chart beside them on the
agreement's page, the tables alone on the printable page, and a roll-up's partial."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from agreements.economics import AgreementPicture, committee_rollup
from tests.factories import AgreementFactory, ProvisionFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bokeskogen(committee, department):
    """The worked example: leaf blowing in Bøkeskogen for 2026."""
    agreement = AgreementFactory(
        committee=committee,
        department=department,
        title="Løvblåsing i Bøkeskogen",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        municipal_cost_per_year=Decimal("32000"),
        municipal_cost_basis="80 timer × 400 kr",
    )
    TaskFactory(agreement=agreement, kind="leaf_blowing", amount=12_000, hours_per_year=80)
    ProvisionFactory(agreement=agreement, description="Løvblåsere", value_per_year=2_000)
    return agreement


def section(body: str, element_id: str) -> str:
    start = body.index(f'id="{element_id}"')
    return body[start : body.index("</table>", start)]


def test_the_public_page_shows_the_tables_and_a_chart_beside_them(client, bokeskogen):
    body = client.get(bokeskogen.get_absolute_url()).content.decode()
    money = section(body, "economics-money")
    assert "<caption>" in money and 'scope="col"' in money and 'scope="row"' in money
    assert "kr\xa012\xa0000" in money and "kr\xa018\xa0000" in money  # compensation, net effect
    assert "80 timer × 400 kr" in body
    assert 'data-economics-chart="money"' in body and 'data-economics-chart="hours"' in body
    assert re.search(r'<canvas [^>]*role="img" [^>]*aria-label="[^"]+"', body)
    assert '<script id="economics-chart-data" type="application/json">' in body
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in body
    assert 'src="/static/js/agreement-chart.js"' in body
    assert "style=" not in body[body.index('id="economics"') : body.index("economics-chart-data")]


def test_the_english_page_writes_nok(client, bokeskogen):
    client.cookies["nmu_language"] = "en"
    money = section(client.get(bokeskogen.get_absolute_url()).content.decode(), "economics-money")
    assert "NOK\xa012,000" in money and "NOK\xa032,000" in money


def test_the_printable_page_has_the_tables_without_chart_or_script(client, bokeskogen):
    from django.urls import reverse

    url = reverse("agreements:agreement-print", kwargs={"number": bokeskogen.number})
    body = client.get(url).content.decode()
    assert 'id="economics-money"' in body and 'id="economics-hours"' in body
    assert "<canvas" not in body and "chart.umd" not in body and "economics-chart-data" not in body


def test_the_partial_without_figures_says_so(rf_request):
    agreement = AgreementFactory.build(
        starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31)
    )
    html = render_to_string(
        "agreements/_economics.html",
        {"picture": AgreementPicture(), "agreement": agreement},
        request=rf_request,
    )
    assert 'id="economics-empty"' in html and "<table" not in html


@pytest.fixture
def rf_request():
    return RequestFactory().get("/")


def test_the_rollup_partial_shows_a_committees_year(committee, bokeskogen, rf_request):
    rollup = committee_rollup(committee=committee, year=2026)
    with translation.override("nb"):
        html = render_to_string(
            "agreements/_rollup.html",
            {"rollup": rollup, "heading": "Avtalene i 2026", "id_prefix": "svarstad-2026"},
            request=rf_request,
        )
    assert 'id="svarstad-2026-money"' in html and "Avtalene i 2026" in html
    assert "kr\xa018\xa0000" in html and "<caption>" in html
    assert '<script id="svarstad-2026-chart-data" type="application/json">' in html
    assert re.search(
        r'id="svarstad-2026-agreements">\s*<th scope="row">[^<]+</th>\s*'
        r'<td class="number" data-label="2026">1</td>',
        html,
    )
