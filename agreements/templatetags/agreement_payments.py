"""``{% payment_sums agreement.payments.all as sums %}``: the sums under an agreement's
instalments (``services.payments.payment_sums``), from the rows already prefetched."""

from django import template

register = template.Library()


@register.simple_tag
def payment_sums(payments):
    # Imported when used: the services import notifications, whose rendering loads the
    # template libraries (this one among them) when it is imported.
    from ..services.payments import payment_sums as sums_of

    return sums_of(payments)
