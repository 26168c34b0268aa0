"""Browser journeys: Playwright drives Debian's Chromium against live_server. On every page a
journey visits, ``site.check()`` runs axe-core, fails on any Content-Security-Policy violation or
server error, and measures that the page reflows at 320 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SMALL_PHONE = 320  # CSS px: WCAG 1.4.10 reflow
_axe = Axe()


class Checked:
    """A page wrapper: ``visit``/``check`` run axe, the reflow check and collect CSP errors."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.csp_errors: list[str] = []
        self.server_errors: list[str] = []
        self.checked: list[str] = []
        page.on("console", self._on_console)
        page.on("response", self._on_response)

    def _on_console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_errors.append(message.text)

    def _on_response(self, response):
        # A 500 page is still a page axe can check: catch it where it happens.
        if (
            response.request.resource_type in ("document", "xhr", "fetch")
            and response.status >= 500
        ):
            self.server_errors.append(f"{response.status} {response.url}")

    def visit(self, path):
        self.page.goto(self.base_url + path)
        self.check()

    def check(self):
        self.page.wait_for_load_state("networkidle")
        results = _axe.run(self.page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        assert results.violations_count == 0, f"{self.page.url}\n{results.generate_report()}"
        assert self.csp_errors == [], self.csp_errors
        assert self.server_errors == [], self.server_errors
        width = self.width_at(SMALL_PHONE)
        assert width <= SMALL_PHONE, f"{self.page.url} is {width}px wide at {SMALL_PHONE}px"
        self.checked.append(self.page.url)

    def width_at(self, viewport_width):
        """The page's width laid out in a viewport this wide (then the viewport is put back)."""
        size = self.page.viewport_size
        if size["width"] != viewport_width:
            self.page.set_viewport_size({"width": viewport_width, "height": size["height"]})
        width = self.page.evaluate(
            "() => new Promise(done => requestAnimationFrame(() =>"
            " done(document.documentElement.scrollWidth)))"
        )
        if size["width"] != viewport_width:
            self.page.set_viewport_size(size)
        return width


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def site(page, live_server, demo):
    page.set_default_timeout(15_000)
    return Checked(page, live_server.url)


def log_in(site, email, password="demo-nmu-2026"):
    from django.urls import reverse

    site.visit(reverse("account_login"))
    site.page.get_by_label("E-post").fill(email)
    site.page.get_by_label("Passord").fill(password)
    site.page.get_by_role("button", name="Logg inn").click()
    site.page.wait_for_load_state("networkidle")
