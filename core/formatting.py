"""How the portal writes money, names and times, in one place for pages, e-mails and CSV.

DESIGN.md §3: money as ``kr 12 000`` in Norwegian and ``NOK 12,000`` in English, dates ``d.m.Y`` and
24-hour times in ``settings.TIME_ZONE``, and never a person's e-mail address on a public page.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

NBSP = "\xa0"


def money(value) -> str:
    """Whole kroner (half an øre and up rounds up) in the active language's way: ``kr 12 000`` in
    Norwegian, ``NOK 12,000`` in English; the space after the currency and the Norwegian
    thousands separator are non-breaking, so a sum never breaks over two lines. Any language
    that is not English is written the Norwegian way (the site's own language)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(int(amount)):,}"
    if (translation.get_language() or "").startswith("en"):
        return f"NOK{NBSP}{sign}{grouped}"
    return f"kr{NBSP}{sign}{grouped.replace(',', NBSP)}"


def money_exact(value) -> str:
    """A sum as ``money`` writes it, with the øre when it has any (``kr 12 345,67``,
    ``NOK 12,345.67``): for what is actually paid or spent — a payment, an instalment, a receipt,
    an allocation — which a case handler reconciles to the øre and which must read the same on
    every page. Figures and summaries keep ``money``'s whole kroner. Whole sums look the same in
    both (``kr 167 000``)."""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return money(value)
    if amount == amount.to_integral_value():
        return money(amount)
    currency, kroner = money(Decimal(int(abs(amount)))).split(NBSP, 1)
    sign = "-" if amount < 0 else ""
    ore = f"{abs(amount) % 1:.2f}"[2:]
    separator = "." if (translation.get_language() or "").startswith("en") else ","
    return f"{currency}{NBSP}{sign}{kroner}{separator}{ore}"


def public_name(user) -> str:
    """The name a person shows on public pages: their full name, never their e-mail address."""
    if user is None:
        return ""
    return (getattr(user, "full_name", "") or "").strip() or _("A resident")


def local_zone() -> ZoneInfo:
    """The portal's time zone (``settings.TIME_ZONE``, Europe/Oslo for Larvik)."""
    return ZoneInfo(settings.TIME_ZONE)


def local_date(value, fmt: str = "SHORT_DATE_FORMAT") -> str:
    """A date (or the local day of an aware datetime) in the active language's short format."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value, local_zone()).date()
    return formats.date_format(value, fmt)


def local_datetime(value, fmt: str = "SHORT_DATETIME_FORMAT") -> str:
    """An aware datetime in local time, in the active language's short format."""
    if value in (None, ""):
        return ""
    return formats.date_format(timezone.localtime(value, local_zone()), fmt)


def iso_datetime(value) -> str:
    """A machine-readable value for ``<time datetime>``: ISO 8601 without microseconds (the HTML
    standard allows at most milliseconds; ``|date:'c'`` writes six digits)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, local_zone()).replace(microsecond=0).isoformat()
    return value.isoformat()
