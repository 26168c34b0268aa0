"""Template filters every app needs: money as "kr 12 000", a person's public name, local dates;
and ``content_lang``, the language of what users wrote.

Apps load these with ``{% load core_tags %}``; the Python functions behind them live in
``core.formatting`` so services, CSV exports and e-mails format the same way as pages.
"""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html

from core import deadlines, formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("money_exact", formatting.money_exact)
register.filter("public_name", formatting.public_name)
register.filter("local_date", formatting.local_date)
register.filter("local_datetime", formatting.local_datetime)
register.filter("iso_datetime", formatting.iso_datetime)
# `{% if due|overdue %}`: core.deadlines' one rule (the due date is the last day).
register.filter("overdue", deadlines.is_overdue)


@register.simple_tag
def content_lang() -> str:
    """` lang="nb"` for an element holding what residents and boards wrote, on a page in
    another language (WCAG 3.1.2), so a screen reader reads a Norwegian title in Norwegian and
    hyphenation follows Norwegian rules; nothing on a page in that language already.

    Proposals and committees have no language field: they are written in the site's default
    language (``LANGUAGE_CODE``). Use it inside the opening tag: ``<h1{% content_lang %}>``.
    """
    content = settings.LANGUAGE_CODE
    if _primary(translation.get_language() or content) == _primary(content):
        return ""
    return format_html(' lang="{}"', content)


def _primary(code: str) -> str:
    return code.split("-")[0].lower()
