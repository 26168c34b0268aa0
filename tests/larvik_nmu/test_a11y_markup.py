"""Markup the accessibility audit of issue 10 found, read from the HTML the server sends.

- ``aria-label`` only where the element's role takes a name: not on a bare ``<span>`` or
  ``<div>`` (screen readers ignore it there, so the text is lost; WCAG 1.3.1, 4.1.2).
- In the admin's review queue the search field and the cases come before the filter links in
  the page (keyboard and reading order, WCAG 1.3.2 and 2.4.3): Django puts the filter sidebar
  first and only draws it on the right, so a keyboard user tabbed through 76 filter links first.
"""

from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from proposals.models import State
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

# Elements whose role (none, or generic) cannot be named: aria-label on them needs a role.
UNNAMEABLE = {"span", "div", "p", "strong", "em", "b", "i", "small", "code", "abbr", "time"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def _misnamed(html: str) -> list[str]:
    return [
        f"<{tag} aria-label={attrs['aria-label']!r}>"
        for tag, attrs in _elements(html)
        if tag in UNNAMEABLE and "aria-label" in attrs and "role" not in attrs
    ]


def test_a_missing_deadline_is_said_in_text_not_in_an_aria_label():
    html = render_to_string("proposals/_inbox_deadline.html", {"due": None})
    assert _misnamed(html) == []
    assert "Ingen frist" in html  # the screen reader's text, hidden from sight


def test_no_bare_span_or_div_carries_an_aria_label_on_the_main_pages(
    client, committee, leader, resident
):
    """Every main page as anonymous, resident and leader, with a case that has no deadline."""
    proposal = ProposalFactory(committee=committee, author=resident, title="Benker ved vannet")
    ProposalFactory(committee=committee, state=State.COMMITTEE_REVIEW, committee_due=None)
    pages = [
        reverse("home"),
        reverse("proposals:proposal-list"),
        proposal.get_absolute_url(),
        reverse("committees:committee-list"),
        committee.get_absolute_url(),
        reverse("accessibility"),
    ]
    found = {}
    for user, extra in [
        (None, []),
        (resident, [reverse("proposals:my-proposals"), reverse("notifications:list")]),
        (leader, [reverse("proposals:committee-inbox", args=[committee.slug])]),
    ]:
        if user:
            client.force_login(user)
        for path in pages + extra:
            response = client.get(path)
            assert response.status_code == 200, path
            if bad := _misnamed(response.content.decode()):
                found[path] = bad
    assert found == {}


# --- The admin's review queue -------------------------------------------------------------------


def _queue_order(html: str) -> dict:
    """Positions in the page of the search field, the first case and the first filter link."""
    positions = {"search": None, "first_case": None, "first_filter": None, "filters_before": 0}
    in_filter = 0
    for index, (tag, attrs) in enumerate(_elements(html)):
        if tag == "search" and attrs.get("id") == "changelist-filter":
            in_filter = 1
            positions["first_filter"] = positions["first_filter"] or index
        if tag == "input" and attrs.get("id") == "searchbar" and positions["search"] is None:
            positions["search"] = index
        if tag == "a" and positions["first_case"] is None:
            href = attrs.get("href", "")
            if "/change/" in href and "/admin/proposals/proposal/" in href:
                positions["first_case"] = index
            elif in_filter:
                positions["filters_before"] += 1
    return positions


def test_the_queue_has_the_search_and_the_cases_before_the_filters(client, case_handler):
    for n in range(3):
        ProposalFactory(state=State.RECEIVED, title=f"Sak {n}")
    client.force_login(case_handler)
    response = client.get(reverse("admin:proposals_proposal_changelist"))
    assert response.status_code == 200
    order = _queue_order(response.content.decode())
    assert None not in (order["search"], order["first_case"], order["first_filter"]), order
    assert order["search"] < order["first_case"] < order["first_filter"], order
    assert order["filters_before"] == 0, order


def test_every_filter_is_still_there_after_the_cases(client, case_handler):
    ProposalFactory(state=State.RECEIVED)
    client.force_login(case_handler)
    response = client.get(reverse("admin:proposals_proposal_changelist"))
    shown = [
        attrs["data-filter-title"]
        for tag, attrs in _elements(response.content.decode())
        if tag == "details" and "data-filter-title" in attrs
    ]
    specs = [str(spec.title) for spec in response.context["cl"].filter_specs if spec.has_output()]
    assert len(specs) >= 5 and shown == specs


def test_the_admin_search_field_has_a_text_label(client, case_handler):
    """Django's label is only the icon's alt text, which axe reads as no label at all."""
    import re

    client.force_login(case_handler)
    html = client.get(reverse("admin:proposals_proposal_changelist")).content.decode()
    label = re.search(r'<label for="searchbar">(.*?)</label>', html, re.S)
    assert label, "the search field has its label"
    text = re.sub(r"<[^>]+>", "", label.group(1)).strip()
    assert text, label.group(1)
