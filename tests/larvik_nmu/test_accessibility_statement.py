"""The accessibility statement (/tilgjengelighet/) in the form Norwegian public bodies publish
(Digdir's uustatus.no): status, what is not accessible and by which WCAG criterion, how it was
tested, feedback with an answer time, the supervisory authority and the right to complain, and
the dates; in Norwegian and English. It used to say "we know of no breaches" (issue 10)."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from larvik_nmu import accessibility

pytestmark = pytest.mark.django_db

SECTIONS = {
    "nb": [
        "Tilgjengelighetserklæring",
        "Status for samsvar",
        "Dette er ikke tilgjengelig",
        "Slik har vi testet",
        "Gi tilbakemelding",
        "Tilsyn og klage",
        "Om erklæringen",
    ],
    "en": [
        "Accessibility statement",
        "Conformance status",
        "What is not accessible",
        "How we tested",
        "Give feedback",
        "Supervision and complaints",
        "About this statement",
    ],
}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings: list[str] = []
        self.links: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2"):
            self._heading = []
        if tag == "a":
            self.links.append(dict(attrs).get("href", ""))

    def handle_endtag(self, tag):
        if tag in ("h1", "h2") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)


def _statement(client, language="nb"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    body = response.content.decode()
    page = _Page()
    page.feed(body)
    main = body[body.index('<main id="main"') : body.index("</main>")]
    return page, main


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_statement_has_the_required_sections_in_both_languages(client, language):
    page, _ = _statement(client, language)
    for heading in SECTIONS[language]:
        assert heading in page.headings, (heading, page.headings)


def test_the_statement_says_partly_conformant_and_lists_each_deviation_with_its_criteria(client):
    assert accessibility.DEVIATIONS  # what the audit of 1.12.2026 left: see the module
    _, main = _statement(client)
    assert "Nettstedet er delvis i samsvar med kravene." in main
    assert "kjenner ikke til" not in main.lower()  # the old claim: no known breaches
    for deviation in accessibility.DEVIATIONS:
        assert str(deviation.title) in main
        for number in deviation.criteria:
            assert re.search(rf"WCAG {re.escape(number)} \w", main), number
    assert "WCAG 1.1.1 Ikke-tekstlig innhold" in main


def test_the_statement_has_a_feedback_address_an_answer_time_and_the_authorities(client):
    page, main = _statement(client)
    assert f"mailto:{settings.MUNICIPALITY['contact_email']}" in page.links
    assert "innen 3 uker" in main
    assert any(link.startswith("https://www.uutilsynet.no") for link in page.links)
    assert any(link.startswith("https://www.diskrimineringsnemnda.no") for link in page.links)


def test_the_statement_is_dated(client):
    _, main = _statement(client)
    assert "Erklæringen ble laget 01.12.2026 og sist gjennomgått 01.12.2026." in main
    assert "Sist testet 01.12.2026." in main
    _, english = _statement(client, "en")
    assert "The statement was made on 01.12.2026" in english


def test_the_status_follows_the_list(client, monkeypatch):
    """With nothing listed the page says so, and only then claims conformance."""
    monkeypatch.setattr(accessibility, "DEVIATIONS", ())
    _, main = _statement(client)
    assert "Nettstedet er i samsvar med kravene." in main
    assert "delvis" not in main
