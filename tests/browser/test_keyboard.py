"""Keyboard journeys (WCAG 2.1.1, 2.4.3): a person who only uses the keyboard logs in, follows a
committee, supports and follows a proposal, filters the proposal list and reads notifications.
After every htmx swap keyboard focus must be on a sensible element — the new button, the field
that sent the form, the notification just read — never dropped to ``<body>``; the bell's
60-second refresh must leave focus on "Varsler". axe-core runs on each state of the page
(``site.check()``), and the admin's case page is checked at 375 px, where its inlines scroll."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.factories import PASSWORD, NotificationFactory, UserFactory

pytestmark = [pytest.mark.browser]

# What document.activeElement is, in words a failing assertion can show.
ACTIVE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return "body";
  if (!e.isConnected) return "detached";
  const name = (e.getAttribute("aria-label") || e.innerText || e.value || "").trim();
  return `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} «${name.slice(0, 60)}»`;
}"""


def active(page) -> str:
    return page.evaluate(ACTIVE)


def is_focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, *, limit=80):
    """Press Tab (only Tab) until ``locator`` has keyboard focus."""
    locator.wait_for()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if is_focused(locator):
            return
    pytest.fail(f"{limit} presses of Tab never reached {locator}; focus is on {active(page)}")


def expect_focus_kept(page, locator):
    """After a swap: focus is on ``locator`` (and so not on <body> or a removed element)."""
    expect(locator).to_be_focused()
    assert active(page) not in ("body", "detached")


def fast_forward_past_the_bell_poll(page, *, tries=4):
    """Move the fake clock past the bell's 60-second poll until its request is answered.

    htmx schedules the poll only once it has processed the page; under load a fast-forward can
    come before that (just after a navigation), and then the timer lands 60 real seconds away.
    So the clock is moved again, a little at a time, until the request is seen."""
    for attempt in range(tries):
        try:
            with page.expect_response(re.compile(r"/klokke/"), timeout=5_000):
                page.clock.fast_forward("01:01")
        except PlaywrightTimeoutError:
            if attempt == tries - 1:
                raise
            page.wait_for_load_state("load")
        else:
            return


def keyboard_log_in(site, email, password=PASSWORD):
    page = site.page
    site.visit("/konto/login/")
    tab_to(page, page.get_by_label("E-post"))
    page.keyboard.type(email)
    tab_to(page, page.get_by_label("Passord", exact=True))
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("link", name="Min side")).to_be_visible()
    site.check()


@pytest.fixture
def person(transactional_db):
    """A resident with no follows, supports or notifications of their own yet."""
    return UserFactory(email="tastatur@example.no", full_name="Tove Tastatur")


def test_keyboard_log_in_follow_committee_support_and_follow_proposal(site, person):
    from proposals.models import Proposal
    from proposals.states import SUPPORTABLE_STATES

    page = site.page
    keyboard_log_in(site, person.email)

    # Follow a committee: htmx swaps the form; focus lands on the new button.
    site.visit("/nmu/svarstad/")
    follow = page.locator("#follow-button")
    tab_to(page, follow)
    expect(follow).to_have_text("Følg")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Du følger Svarstad.")).to_be_visible()
    expect(follow).to_have_text("Slutt å følge")
    expect_focus_kept(page, follow)
    site.check()
    page.keyboard.press("Space")
    expect(follow).to_have_text("Følg")
    expect_focus_kept(page, follow)
    site.check()

    # Support and follow a proposal: the same in the proposal's side panel.
    proposal = (
        Proposal.objects.published()
        .filter(state__in=SUPPORTABLE_STATES)
        .exclude(author=person)
        .order_by("-submitted_at")
        .first()
    )
    site.visit(proposal.get_absolute_url())
    support = page.locator("#support-button")
    tab_to(page, support)
    expect(support).to_have_text("Støtt forslaget")
    page.keyboard.press("Enter")
    expect(support).to_have_text("Trekk støtten")
    expect(page.locator("#support")).to_contain_text("Takk! Støtten din er registrert.")
    expect_focus_kept(page, support)
    site.check()

    follow = page.locator("#follow-button")
    page.keyboard.press("Tab")
    expect_focus_kept(page, follow)  # the next stop after the support button
    page.keyboard.press("Enter")
    expect(follow).to_have_text("Slutt å følge")
    expect_focus_kept(page, follow)
    site.check()


def test_keyboard_filters_the_proposal_list(site):
    page = site.page
    site.visit("/forslag/")
    count = page.locator("#result-count")
    total = count.inner_text()

    # Search: type and press Enter; the results change in place, focus stays in the field.
    search = page.locator("#id_q")
    tab_to(page, search)
    page.keyboard.type("flagg")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=flagg"))
    expect(count).not_to_have_text(total)
    expect_focus_kept(page, search)
    site.check()

    # Open "Filtrer og sorter", choose a committee with the arrow keys, send with the button.
    summary = page.locator("details.proposal-filters__more summary")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    expect(page.locator("details.proposal-filters__more")).to_have_attribute("open", "")
    committee = page.locator("#id_utvalg")
    tab_to(page, committee)
    page.keyboard.press("ArrowDown")
    chosen = committee.input_value()
    assert chosen, "ArrowDown did not choose a committee"
    button = page.locator(".proposal-filters__submit button")
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"utvalg={chosen}"))
    expect_focus_kept(page, button)
    site.check()

    # Clear the search with the keyboard and send it again from the field.
    tab_to(page, search)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"q=flagg"))
    expect_focus_kept(page, search)
    site.check()


def test_keyboard_marks_notifications_read(site, person):
    page = site.page
    for n in range(3):
        NotificationFactory(recipient=person, subject=f"Nytt i Svarstad {n}", email_status="sent")
    keyboard_log_in(site, person.email)
    bell = page.locator("#notification-bell a")
    expect(bell).to_contain_text("3 uleste")
    tab_to(page, bell)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/min-side/varsler/$"))
    site.check()

    # "Merk som lest" on one: its button goes, focus moves to the notification's own link.
    item = page.locator(".notification").filter(has_text="Nytt i Svarstad 2")
    tab_to(page, item.get_by_role("button", name=re.compile("^Merk som lest")))
    page.keyboard.press("Enter")
    expect(item).not_to_have_class(re.compile(r"notification--unread"))
    expect_focus_kept(page, item.get_by_role("link", name="Nytt i Svarstad 2"))
    expect(page.locator("#notification-status")).to_contain_text("Merket som lest:")
    expect(bell).to_contain_text("2 uleste")
    site.check()

    # Then "Merk alle som lest": an ordinary form, back on the list with a message.
    tab_to(page, page.get_by_role("button", name="Merk alle som lest"))
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"/min-side/varsler/$"))
    expect(page.get_by_text("Alle varsler er merket som lest.")).to_be_visible()
    expect(page.locator(".notification--unread")).to_have_count(0)
    expect(bell).not_to_contain_text("uleste")
    site.check()


def test_bell_refresh_keeps_focus_on_the_bell(site, person):
    """The bell asks for the unread count every 60 s. The clock is fast-forwarded past the poll
    twice (a new notification in between) while the keyboard rests on "Varsler"."""
    page = site.page
    page.clock.install()
    keyboard_log_in(site, person.email)
    site.visit("/nmu/")
    link = page.locator("#notification-bell a")
    expect(link).to_have_text(re.compile(r"^\s*Varsler\s*$"))
    tab_to(page, link)

    fast_forward_past_the_bell_poll(page)
    page.wait_for_load_state("networkidle")
    expect_focus_kept(page, link)

    NotificationFactory(recipient=person, subject="Nytt forslag i Svarstad", email_status="sent")
    fast_forward_past_the_bell_poll(page)
    expect(link).to_contain_text("Varsler 1 uleste")
    expect_focus_kept(page, link)
    # The count changes inside the link; the link (and its aria-current) is the same element.
    assert page.locator("#notification-bell [aria-live]").count() == 0
    site.check()
    # And the keyboard still works from there: Enter opens the list.
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/min-side/varsler/$"))
    expect(page.locator("#notification-bell a")).to_have_attribute("aria-current", "page")
    fast_forward_past_the_bell_poll(page)
    page.wait_for_load_state("networkidle")
    expect(page.locator("#notification-bell a")).to_have_attribute("aria-current", "page")


def test_admin_case_inlines_are_focusable_scroll_regions_at_375px(site):
    """At 375 px the case page's read-only inlines (timeline, dialogue) are wider than the
    screen and scroll sideways; a keyboard user must be able to reach and scroll them (axe's
    ``scrollable-region-focusable``, WCAG 2.1.1)."""
    from proposals.models import Message

    from .conftest import log_in

    proposal = Message.objects.order_by("pk").first().proposal
    # Nothing in the dialogue can take focus itself (no sender linked to the user admin), so a
    # keyboard can reach what scrolls out of sight only through the region.
    Message.objects.filter(proposal=proposal).update(sender=None)
    page = site.page
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(site, "saksbehandler@example.no")
    site.visit(f"/admin/proposals/proposal/{proposal.pk}/change/")

    dialogue = page.locator("#messages-group .wrapper")
    scrolls = dialogue.evaluate("e => e.scrollWidth > e.clientWidth")
    assert scrolls, "the dialogue inline fits at 375 px: this test no longer tests anything"
    expect(dialogue).to_have_attribute("tabindex", "0")
    expect(dialogue).to_have_attribute("role", "region")
    expect(dialogue).to_have_accessible_name(re.compile(r"^Dialog med utvalget"))

    # Reached with Tab, scrolled with the arrow keys. (axe ran on the page at 375 px in
    # site.visit, after the script had made the regions; the page is not checked again here:
    # its live DOM holds the admin JavaScript's autocomplete="off" on hidden inputs, which
    # the HTML checker rejects and which is not ours.)
    tab_to(page, dialogue, limit=200)
    assert dialogue.evaluate("e => e.scrollLeft") == 0
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('#messages-group .wrapper').scrollLeft > 0"
    )
    # Made wide enough that nothing scrolls, the regions are no tab stops.
    page.set_viewport_size({"width": 1600, "height": 800})
    page.wait_for_function(
        "() => { const e = document.querySelector('#messages-group .wrapper');"
        " return e.scrollWidth <= e.clientWidth; }"
    )
    expect(dialogue).not_to_have_attribute("tabindex", re.compile(".*"))
    expect(dialogue).not_to_have_attribute("role", re.compile(".*"))
