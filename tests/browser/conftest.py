"""Browser journeys: Playwright drives Debian's Chromium against live_server. On every page a
journey visits, ``site.check()`` runs axe-core, fails on any Content-Security-Policy violation or
server error, measures that the page reflows at 320 px, and keeps the page's HTML; at the end of
the session the Nu HTML Checker validates all of it in one run (``html_pages``)."""

import hashlib
import json
import os
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SMALL_PHONE = 320  # CSS px: WCAG 1.4.10 reflow
_axe = Axe()

IN_CI = os.environ.get("CI", "").lower() == "true"
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# What the Nu HTML Checker may report that is not ours to fix. Each pattern is a Java regular
# expression matched against the whole message; keep them narrow and say why.
VNU_FILTERS: list[str] = []


class SavedPages:
    """The HTML of every page the session's journeys saw, in one folder, for one vnu run."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.urls: dict[str, str] = {}  # file name -> "URL (what was saved)"
        self._seen: set[str] = set()

    def add(self, url: str, html: str, what: str) -> None:
        digest = hashlib.sha256(html.encode()).hexdigest()
        if digest in self._seen:
            return
        self._seen.add(digest)
        name = f"{len(self.urls) + 1:04d}.html"
        (self.folder / name).write_text(html, encoding="utf-8")
        self.urls[name] = f"{url} ({what})"

    def errors(self) -> list[str]:
        """vnu's errors, each with the page it was found on; [] when every page is valid."""
        if not self.urls:
            return []
        java = shutil.which("java")
        if not java or not VNU_JAR.exists():
            missing = "java (apt-get install default-jre-headless)" if not java else str(VNU_JAR)
            message = (
                f"cannot validate the pages' HTML: {missing} is missing (npm ci installs vnu-jar)"
            )
            if IN_CI:
                pytest.fail(f"CI=true but {message}")
            warnings.warn(message, stacklevel=1)
            return []
        command = [java, "-Xss1024k", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
        for pattern in VNU_FILTERS:
            command += ["--filterpattern", pattern]
        files = sorted(self.urls)
        run = subprocess.run(
            command + files, cwd=self.folder, capture_output=True, text=True, timeout=600
        )
        try:
            messages = json.loads(run.stderr or run.stdout)["messages"]
        except (ValueError, KeyError):
            return [f"vnu failed (exit {run.returncode}): {run.stderr or run.stdout}"]
        found = []
        for message in messages:
            if message.get("type") == "info":
                continue
            name = Path(message.get("url", "").removeprefix("file:")).name
            where = self.urls.get(name, name)
            line = message.get("lastLine", "?")
            extract = (message.get("extract") or "").strip().replace("\n", " ")[:160]
            found.append(f"{where} ({name}:{line}): {message['message']}\n      {extract}")
        return found


@pytest.fixture(scope="session")
def html_pages(tmp_path_factory):
    """Validates, once at the end of the session, every page the browser tests saw."""
    folder = os.environ.get("HTML_CHECK_DIR")
    if folder:
        path = Path(folder)
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
    else:
        path = tmp_path_factory.mktemp("html")
    pages = SavedPages(path)
    yield pages
    errors = pages.errors()
    if errors:
        pytest.fail(
            f"The Nu HTML Checker found {len(errors)} errors in the HTML the journeys saw "
            f"(saved in {path}):\n" + "\n".join(errors),
            pytrace=False,
        )


class Checked:
    """A page wrapper: ``visit``/``check`` run axe, the reflow check and collect CSP errors."""

    def __init__(self, page, base_url, pages: SavedPages | None = None):
        self.page = page
        self.base_url = base_url
        self.pages = pages
        self.csp_errors: list[str] = []
        self.server_errors: list[str] = []
        self.checked: list[str] = []
        self._document = None  # the main frame's latest document response
        self._document_saved = False
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
        if (
            response.request.resource_type == "document"
            and response.frame == self.page.main_frame
            and not 300 <= response.status < 400
        ):
            self._document = response
            self._document_saved = False

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
        self._save_html()
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

    def _save_html(self):
        """The page as the server sent it; after an htmx swap, the page as it is now.

        The raw response shows markup errors the browser's parser would hide; the live DOM is
        the only place an htmx partial is seen in its page."""
        if self.pages is None:
            return
        if self._document is not None and not self._document_saved:
            self._document_saved = True
            try:
                self.pages.add(self._document.url, self._document.text(), "as sent")
                return
            except PlaywrightError:
                pass  # the browser no longer holds the body: keep the page as it is now
        self.pages.add(self.page.url, self.page.content(), "live DOM")


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def site(page, live_server, demo, html_pages):
    page.set_default_timeout(15_000)
    if os.environ.get("WEB_FONT") == "blocked":
        # Every journey with the fallback font: WEB_FONT=blocked pytest tests/browser
        page.route("**/vendor/inter/*", lambda route: route.abort())
    return Checked(page, live_server.url, html_pages)


def log_in(site, email, password="demo-nmu-2026"):
    from django.urls import reverse

    site.visit(reverse("account_login"))
    site.page.get_by_label("E-post").fill(email)
    site.page.get_by_label("Passord").fill(password)
    site.page.get_by_role("button", name="Logg inn").click()
    site.page.wait_for_load_state("networkidle")


def switch_person(site, email, password="demo-nmu-2026"):
    """Another person in a clean session (no cookies from the one before), logged in, the page
    they land on checked. Once logged in, their pages are in their preferred language."""
    site.page.context.clear_cookies()
    log_in(site, email, password)
    site.check()
