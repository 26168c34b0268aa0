"""Page sections a higher app adds to a lower app's page (core/sections.py)."""

import pytest
from django.template import Context, Template

from core.sections import PageSections


@pytest.fixture
def page(tmp_path, settings):
    (tmp_path / "first.html").write_text("<p>{{ word }}</p>")
    (tmp_path / "second.html").write_text("<p>{{ obj }} {{ csrf_token }}</p>")
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [str(tmp_path)],
        }
    ]
    return PageSections("test page", slots=["top", "main"])


def _render(page, slot, **context):
    from django.template import engines

    template = engines["django"].from_string("{{ ignored }}").template
    ctx = Context(context)
    ctx.template = template
    return page.render(slot, ctx, "the object")


def test_sections_render_in_order_and_only_in_their_slot(page):
    page.register("main", "second.html", lambda context, obj: {"obj": obj}, order=200)
    page.register("main", "first.html", lambda context, obj: {"word": "<b>"})
    page.register("top", "first.html", lambda context, obj: {"word": "top"})
    html = _render(page, "main", csrf_token="tok")
    assert html == "<p>&lt;b&gt;</p><p>the object tok</p>"  # escaped, ordered, CSRF passed on
    assert _render(page, "top") == "<p>top</p>"


def test_none_shows_nothing_and_an_empty_slot_is_empty(page):
    page.register("main", "first.html", lambda context, obj: None)
    assert _render(page, "main") == ""
    assert _render(page, "top") == ""


def test_registering_again_replaces(page):
    page.register("main", "first.html", lambda context, obj: {"word": "old"})
    page.register("main", "first.html", lambda context, obj: {"word": "new"})
    assert _render(page, "main") == "<p>new</p>"


def test_an_unknown_slot_is_refused(page):
    with pytest.raises(ValueError, match="no slot 'side'"):
        page.register("side", "first.html", lambda context, obj: {})


def test_the_output_is_safe_markup(page):
    page.register("main", "first.html", lambda context, obj: {"word": "x"})
    assert Template("{{ html }}").render(Context({"html": _render(page, "main")})) == "<p>x</p>"
