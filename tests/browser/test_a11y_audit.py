"""What the accessibility audit of issue 10 found beyond axe, each measured in Chromium.

- The status badges (a proposal's state, a committee's status) must show all their text at
  320 px with WCAG 1.4.12's text spacing (1.4.10, 1.4.12): nothing clipped inside the badge.
- The admin's form fields (select, textarea, input) have borders of at least 3:1 against the page,
  in the light and the dark theme (1.4.11).
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import SMALL_PHONE

pytestmark = [pytest.mark.browser]

# WCAG 1.4.12: what a reader's own style sheet may set, with nothing lost. Applied through the
# CSSOM (a constructed style sheet), which the page's CSP (style-src 'self') does not block, so
# the CSP check of every page stays on.
TEXT_SPACING = """() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`* {
    line-height: 1.5 !important;
    letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important;
  }
  p { margin-bottom: 2em !important; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""

# Every badge whose text does not fit inside it (cut off, spilling out, or past the screen's edge).
CLIPPED_BADGES = """(selector) => [...document.querySelectorAll(selector)].filter(tag => {
  const box = tag.getBoundingClientRect();
  const text = document.createRange();
  text.selectNodeContents(tag);
  const outside = [...text.getClientRects()].some(line => line.width > 0 && (
    line.top < box.top - 0.5 || line.bottom > box.bottom + 0.5
    || line.left < box.left - 0.5 || line.right > box.right + 0.5));
  return tag.scrollWidth > tag.clientWidth || tag.scrollHeight > tag.clientHeight || outside
    || box.right > document.documentElement.clientWidth + 0.5;
}).map(tag => `${tag.textContent.trim()}: ${tag.scrollWidth}x${tag.scrollHeight}`
  + ` in ${tag.clientWidth}x${tag.clientHeight}`)"""

BADGES = ".status-tag"


def _pages_with_badges():
    from proposals.models import Proposal

    proposal = Proposal.objects.published().order_by("-submitted_at").first()
    return [
        reverse("proposals:proposal-list"),
        proposal.get_absolute_url(),
        reverse("committees:committee-list"),
        reverse("committees:committee-detail", args=["svarstad"]),
    ]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_status_badges_are_not_clipped_at_320px_with_text_spacing(site, language):
    page = site.page
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site.base_url}]
    )
    for path in _pages_with_badges():
        page.set_viewport_size({"width": 1280, "height": 800})
        site.visit(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator(BADGES).first).to_be_visible()
        page.evaluate(TEXT_SPACING)
        for width in (1280, SMALL_PHONE):
            page.set_viewport_size({"width": width, "height": 800})
            clipped = page.evaluate(CLIPPED_BADGES, BADGES)
            assert clipped == [], f"{path}: badges cut off at {width}px: {clipped}"
        assert site.width_at(SMALL_PHONE) <= SMALL_PHONE, path


# --- Admin form fields: non-text contrast (1.4.11) ---------------------------------------------

CONTRAST = """(selector) => {
  const rgb = (css) => css.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (element) => {
    for (let e = element.parentElement; e; e = e.parentElement) {
      const colour = rgb(getComputedStyle(e).backgroundColor);
      if (colour.length < 4 || colour[3] > 0) return colour;
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll(selector)].filter(e => e.offsetParent).map(field => {
    const style = getComputedStyle(field);
    const [a, b] = [luminance(rgb(style.borderTopColor)), luminance(background(field))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    return [field.tagName.toLowerCase() + (field.name ? `[name=${field.name}]` : ""),
            style.borderTopColor, Math.round(ratio * 100) / 100];
  });
}"""

FIELDS = "select, textarea, input[type=text], input[type=date], input[type=number]"


def _logged_in_as(site, user):
    client = Client()
    client.force_login(user)
    site.page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.base_url}]
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_admin_field_borders_have_3_to_1_contrast(site, scheme):
    from proposals.models import Proposal
    from users.models import User

    _logged_in_as(site, User.objects.get(email="saksbehandler@example.no"))
    site.page.emulate_media(color_scheme=scheme)
    case = Proposal.objects.published().filter(state="submitted").first()
    for path in [
        reverse("admin:proposals_proposal_change", args=[case.pk]),
        reverse("admin:proposals_proposal_changelist"),
    ]:
        site.page.goto(site.base_url + path)
        fields = site.page.evaluate(CONTRAST, FIELDS)
        kinds = {name.split("[")[0] for name, _, _ in fields}
        assert "select" in kinds, (path, fields)
        if "change" in path:
            assert "textarea" in kinds, (path, fields)
        low = [field for field in fields if field[2] < 3.0]
        assert low == [], f"{path} ({scheme}): field borders under 3:1: {low}"
    assert site.csp_errors == [] and site.server_errors == []
