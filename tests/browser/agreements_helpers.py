"""Helpers for the agreements journey (test_agreements_journey.py): the admin's forms and
actions as a case handler uses them, the chart's check, a photo to upload, and the one narrow
exemption the journey knows of (``known_reflow_gap``), strict so it goes the day the gap is
fixed."""

import contextlib
import datetime

from django.utils import formats, translation
from playwright.sync_api import expect


def admin_date(day: datetime.date, language: str) -> str:
    """``day`` as the admin's date field takes it in ``language`` (its first input format:
    "01.12.2026" in Norwegian)."""
    with translation.override(language):
        return formats.localize_input(day)


def django_words(language: str, text: str, **values) -> str:
    """Django's own words (the admin's buttons), translated upstream."""
    with translation.override(language):
        words = translation.gettext(text)
    return words % values if values else words


def run_admin_action(site, language: str, label: str, *, rows=()):
    """Choose the action ``label`` in the admin's action bar and run it: on the list for the
    ``rows`` ticked first (locators of ``#result_list`` rows), or on an object's own page
    (``BOTH_PLACES``) when no rows are given. The page it leads to is checked."""
    page = site.page
    for row in rows:
        row.locator("input.action-select").check()
    actions = page.locator("div.actions").first
    actions.get_by_role("combobox").select_option(label=label)
    # Django's own button ("Run"; "Utfør" in Norwegian).
    actions.get_by_role("button", name=django_words(language, "Run"), exact=True).click()
    site.check()


def expect_admin_message(page, text: str):
    expect(page.locator(".messagelist")).to_contain_text(text)


def expect_chart_drawn(page, canvas_selector: str):
    """The chart was drawn by Chart.js under the strict CSP: its figure shown (agreement-chart.js
    unhides it once the chart exists), the canvas laid out with a size, and Chart.js holding a
    chart with data for it."""
    canvas = page.locator(canvas_selector)
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0, box
    drawn = canvas.evaluate(
        "canvas => { const chart = window.Chart && window.Chart.getChart(canvas);"
        " return chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : -1; }"
    )
    assert drawn > 0, f"no Chart.js chart with data on {canvas_selector} (got {drawn})"


def photo_file(tmp_path, name="flaggstanga.jpg") -> str:
    """A small JPEG (with a GPS position in its EXIF, which the portal must remove)."""
    from tests.photo_files import jpeg_with_gps

    path = tmp_path / name
    path.write_bytes(jpeg_with_gps(size=(64, 48)))
    return str(path)


@contextlib.contextmanager
def known_reflow_gap(site):
    """``site.check()`` inside this block does not fail on the page being wider than the small
    phone (WCAG 1.4.10) — and fails if, on leaving the block, no page was: a known gap, written
    down, and the exemption is removed the day it is fixed. axe and the rest still run."""
    seen: list[str] = []
    real = site.width_at

    def measured(viewport_width):
        width = real(viewport_width)
        if width > viewport_width:
            seen.append(f"{site.page.url}: {width}px at {viewport_width}px")
            return viewport_width
        return width

    site.width_at = measured
    try:
        yield seen
    finally:
        site.width_at = real
    assert seen, "The known reflow gap is gone: remove the exemption from the journey."
