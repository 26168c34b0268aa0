"""``money_ore``: a sum as ``money`` writes it, with the øre when it has any (``kr 12 345,67``,
``NOK 12,345.67``). A list scaled down pro rata is exact to the øre, and its rows must add up
to the pot on the page too; whole sums look as everywhere else (``kr 167 000``)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import translation

from core.formatting import money

register = template.Library()


@register.filter
def money_ore(value) -> str:
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return money(value)
    if amount < 0 or amount == amount.to_integral_value():
        return money(amount)  # (a grant is never negative)
    whole = money(Decimal(int(amount)))
    ore = f"{amount % 1:.2f}"[2:]
    separator = "." if (translation.get_language() or "").startswith("en") else ","
    return f"{whole}{separator}{ore}"
