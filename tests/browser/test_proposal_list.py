"""The public proposal list in Chromium: the filters change the results only when the form is
sent, back and forward show a form that matches the results, and paging with htmx keeps keyboard
focus on the page (on the result count). axe-core runs on each state of the page."""

import re

import pytest
from django.db.models import Count, Q
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

LIST = "/forslag/"


def _published_count(slug=""):
    from proposals.models import Proposal

    qs = Proposal.objects.published()
    if slug:
        qs = qs.filter(Q(committee__slug=slug) | Q(committee__parent__slug=slug))
    return qs.count()


def _two_committees():
    """Two committees whose lists differ in length, so a mix-up would show."""
    from committees.models import Committee

    counts = {
        c.slug: _published_count(c.slug)
        for c in Committee.objects.annotate(n=Count("proposals")).filter(n__gt=0)
    }
    first = max(counts, key=counts.get)
    second = next(slug for slug, n in counts.items() if n != counts[first])
    return (first, counts[first]), (second, counts[second])


def _expect_results(page, slug, count):
    expect(page.locator("#id_utvalg")).to_have_value(slug)
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{count} "))
    expect(page.locator("#proposal-results .proposal-list__item")).to_have_count(count)


def test_filters_apply_on_submit_and_history_keeps_form_and_results_together(site):
    page = site.page
    (first, first_count), (second, second_count) = _two_committees()
    total = _published_count()
    assert total <= 20  # one page: every result is on it

    site.visit(LIST)
    _expect_results(page, "", total)
    # The filters are folded away until one is chosen; the search is always there.
    details = page.locator("details.proposal-filters__more")
    expect(details).not_to_have_attribute("open", "")
    expect(page.locator("#id_q")).to_be_visible()
    details.locator("summary").click()
    site.check()

    # Choosing in a select (with the keyboard too) asks the server nothing.
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.locator("#id_utvalg").select_option(first)
    page.locator("#id_utvalg").press("ArrowDown")
    page.locator("#id_utvalg").select_option(first)
    page.wait_for_timeout(500)
    assert [url for url in requests if LIST in url] == []
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{total} "))

    button = page.locator(".proposal-filters__submit button")
    button.click()
    expect(page).to_have_url(re.compile(rf"utvalg={first}"))
    _expect_results(page, first, first_count)
    expect(button).to_be_focused()  # sending the form leaves focus where it was
    site.check()

    page.locator("#id_utvalg").select_option(second)
    button.click()
    expect(page).to_have_url(re.compile(rf"utvalg={second}"))
    _expect_results(page, second, second_count)

    # Back and forward: the form shows the filter of the results it shows.
    page.go_back()
    expect(page).to_have_url(re.compile(rf"utvalg={first}"))
    _expect_results(page, first, first_count)
    site.check()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/forslag/$"))
    _expect_results(page, "", total)
    page.go_forward()
    expect(page).to_have_url(re.compile(rf"utvalg={first}"))
    _expect_results(page, first, first_count)
    page.go_forward()
    expect(page).to_have_url(re.compile(rf"utvalg={second}"))
    _expect_results(page, second, second_count)
    site.check()


def test_best_match_only_while_searching(site):
    page = site.page
    site.visit(LIST)
    options = page.locator("#id_sortering option")
    # Without a search the natural order (the empty value) is the newest first.
    expect(options).to_have_count(3)
    expect(page.locator("#id_sortering option[value='newest']")).to_have_count(0)
    page.locator("#id_q").fill("flagg")
    page.locator("#id_q").press("Enter")
    expect(page).to_have_url(re.compile(r"q=flagg"))
    # The sort field is rendered again with the results: now the natural order is the best
    # match, and the newest first is a choice of its own.
    expect(options).to_have_count(4)
    expect(page.locator("#id_sortering")).to_have_value("")
    expect(page.locator("#id_sortering option[value='newest']")).to_have_count(1)
    site.check()


def test_paging_moves_focus_to_the_result_count(site):
    from committees.models import Committee
    from tests.factories import ProposalFactory

    committee = Committee.objects.get(slug="svarstad")
    for n in range(25):
        ProposalFactory(committee=committee, title=f"Sidetest {n:02d}")
    page = site.page
    site.visit(LIST)
    count = page.locator("#result-count")
    expect(count).to_have_attribute("tabindex", "-1")
    next_link = page.locator(".pagination a[rel='next']")
    next_link.focus()
    next_link.press("Enter")
    expect(page).to_have_url(re.compile(r"side=2"))
    expect(count).to_be_focused()
    expect(count).to_contain_text("2")
    site.check()
    page.locator(".pagination a[rel='prev']").press("Enter")
    expect(page).to_have_url(re.compile(r"side=1"))
    expect(count).to_be_focused()
