"""The economic picture's charts in Chromium: Chart.js draws both under the strict CSP (no
violation, no console error, no <style> element added), the figures are shown only once drawn,
and axe-core finds nothing on the agreement's page."""

import datetime
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import AgreementFactory, ProvisionFactory, TaskFactory

pytestmark = [pytest.mark.browser]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def test_the_charts_are_drawn_beside_the_tables_under_the_csp(page, live_server, transactional_db):
    agreement = AgreementFactory(
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2027, 6, 30),
        municipal_cost_per_year=Decimal("32000"),
    )
    TaskFactory(agreement=agreement, amount=12_000, hours_per_year=80)
    ProvisionFactory(agreement=agreement, value_per_year=2_000)
    problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + agreement.get_absolute_url())
    page.wait_for_load_state("networkidle")

    for kind in ("money", "hours"):
        canvas = page.locator(f"canvas[data-economics-chart={kind}]")
        expect(canvas).to_be_visible()  # its <figure> is hidden until Chart.js has drawn
        expect(canvas).to_have_attribute("data-drawn", "true")
        assert canvas.bounding_box()["height"] > 100
    assert page.evaluate("() => document.querySelectorAll('style').length") == 0
    assert problems == []
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert results.violations_count == 0, results.generate_report()
