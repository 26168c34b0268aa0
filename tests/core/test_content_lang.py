"""What residents and boards write is Norwegian; on an English page it is marked so (WCAG 3.1.2).

``{% content_lang %}`` adds ` lang="nb"` to the element that holds user-written text when the
page is in another language, and nothing on a Norwegian page (the page's own lang says it).
"""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.factories import CommitteeFactory, ProposalFactory

TITLE = "Benker langs Farrisvannet"


def _render(language: str) -> str:
    with translation.override(language):
        return Template("{% load core_tags %}<h1{% content_lang %}>x</h1>").render(Context())


def test_content_lang_marks_norwegian_text_on_an_english_page():
    assert _render("en") == '<h1 lang="nb">x</h1>'


def test_content_lang_adds_nothing_on_a_norwegian_page():
    assert _render("nb") == "<h1>x</h1>"


class _Langs(HTMLParser):
    """The ``lang`` in force on each piece of text: the nearest ancestor's, as a browser reads it."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "area", "col", "embed"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.own: list[tuple[str, str | None]] = []  # (text, lang on the text's own parent)
        self.in_force: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        text = data.strip()
        if not text or not self.stack:
            return
        self.own.append((text, self.stack[-1][1]))
        lang = next((lang for _, lang in reversed(self.stack) if lang), None)
        self.in_force.append((text, lang))


def _langs_of(client, path, text, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}"' in body
    parser = _Langs()
    parser.feed(body)
    in_force = [lang for found, lang in parser.in_force if found == text]
    own = [lang for found, lang in parser.own if found == text]
    assert in_force, f"{text!r} not on {path}"
    return in_force, own


def _pages(committee, proposal):
    return [
        (reverse("home"), TITLE),
        (reverse("home"), committee.name),
        (reverse("proposals:proposal-list"), TITLE),
        (proposal.get_absolute_url(), TITLE),
        (proposal.get_absolute_url(), proposal.summary),
        (reverse("committees:committee-list"), committee.name),
        (committee.get_absolute_url(), committee.name),
        (committee.get_absolute_url(), TITLE),
        (committee.get_absolute_url(), "Vi rydder stier og arrangerer dugnad."),
    ]


@pytest.fixture
def content(db):
    committee = CommitteeFactory(
        name="Østre Halsen",
        slug="ostre-halsen",
        description="Vi rydder stier og arrangerer dugnad.",
    )
    proposal = ProposalFactory(committee=committee, title=TITLE)
    return committee, proposal


def test_norwegian_titles_names_and_texts_are_marked_on_english_pages(client, content):
    for path, text in _pages(*content):
        in_force, _ = _langs_of(client, path, text, "en")
        assert set(in_force) == {"nb"}, f"{text!r} on {path} is read as {in_force}"


def test_norwegian_pages_carry_no_extra_lang_on_user_text(client, content):
    for path, text in _pages(*content):
        in_force, own = _langs_of(client, path, text, "nb")
        assert set(in_force) == {"nb"}, (path, text, in_force)  # from <html lang="nb">
        assert set(own) == {None}, f"{text!r} on {path} repeats lang: {own}"
