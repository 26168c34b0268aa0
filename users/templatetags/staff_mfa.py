"""The way on after setting up a second factor (users/mfa.py), for allauth's pages we extend."""

from django import template

from users.mfa import next_after_setup

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_next_url(context) -> str:
    """Where a staff member was going when they were asked to set up a second factor."""
    return next_after_setup(context["request"])
