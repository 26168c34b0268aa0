"""Template tags for committee pages: the sections higher apps add (committees/sections.py)."""

from django import template

from ..sections import committee_page, my_committees_page

register = template.Library()


@register.simple_tag(takes_context=True)
def committee_page_sections(context, slot, committee):
    """``{% committee_page_sections "main" committee %}``: whatever the apps registered there."""
    return committee_page.render(slot, context, committee)


@register.simple_tag(takes_context=True)
def my_committees_sections(context, slot):
    """``{% my_committees_sections "main" %}`` on Min side: the sections for the person."""
    return my_committees_page.render(slot, context, context["request"].user)
