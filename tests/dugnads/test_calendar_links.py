"""The calendar links on a dugnad's page (_calendar_links.html) and the feed links for the lists
(_feed_links.html): they lead to the file and to the feeds that the views answer."""

from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.test import RequestFactory

from dugnads import selectors
from dugnads.models import State
from tests.factories import CommitteeFactory, DugnadFactory

from .calendar_helpers import feed_url, ics_url


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.by_id: dict[str, dict] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.by_id[attrs["id"]] = {"tag": tag, **attrs}


def links(html: str) -> dict[str, dict]:
    parser = _Links()
    parser.feed(html)
    return parser.by_id


def _render(template: str, **context) -> str:
    request = RequestFactory().get("/dugnad/")
    return render_to_string(template, {"request": request, **context}, request=request)


def test_the_page_offers_the_file_and_the_committee_feed(client, committee):
    dugnad = DugnadFactory(committee=committee)
    response = client.get(dugnad.get_absolute_url())
    assert response.status_code == 200
    found = links(response.content.decode())
    assert found["calendar-add"]["href"] == ics_url(dugnad)
    assert "download" in found["calendar-add"]
    assert found["calendar-feed"]["href"] == feed_url(committee)
    assert "calendar-feed-parent" not in found
    for link in ("calendar-add", "calendar-feed"):
        assert client.get(found[link]["href"]).status_code == 200


def test_a_sub_committees_dugnad_also_offers_the_parents_feed(committee):
    sub = CommitteeFactory(parent=committee)
    dugnad = selectors.dugnad_get(pk=DugnadFactory(committee=sub).pk)
    found = links(_render("dugnads/_calendar_links.html", dugnad=dugnad))
    assert found["calendar-feed"]["href"] == feed_url(sub)
    assert found["calendar-feed-parent"]["href"] == feed_url(committee)


def test_the_feed_address_is_shown_in_full_to_copy(committee):
    dugnad = selectors.dugnad_get(pk=DugnadFactory(committee=committee).pk)
    html = _render("dugnads/_calendar_links.html", dugnad=dugnad)
    assert f">http://testserver{feed_url(committee)}</a>" in html


def test_a_cancelled_dugnad_still_has_its_file(committee):
    dugnad = selectors.dugnad_get(pk=DugnadFactory(committee=committee, state=State.CANCELLED).pk)
    found = links(_render("dugnads/_calendar_links.html", dugnad=dugnad))
    assert found["calendar-add"]["href"] == ics_url(dugnad)


def test_feed_links_for_the_lists(committee):
    found = links(_render("dugnads/_feed_links.html"))
    assert found["calendar-feed-all"]["href"] == feed_url()
    assert "calendar-feed-committee" not in found
    found = links(_render("dugnads/_feed_links.html", committee=committee))
    assert found["calendar-feed-committee"]["href"] == feed_url(committee)
    assert found["calendar-feed-all"]["href"] == feed_url()
