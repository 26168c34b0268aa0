"""The dugnads' CSV export (``core.export`` writes it): what each dugnad was, how many came, the
hours and their value. Hours first, kroner second; the value only for a reported dugnad, at the
hourly value of its year (``HourlyRate``, never a figure in code)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.export import Column, csv_export_action

from ..models import COUNTED_STATES, HourlyRate
from .queries import with_admin_figures


def _value(dugnad) -> Decimal | None:
    rate = dugnad.hour_rates.get(dugnad.starts_at.year)
    if dugnad.state not in COUNTED_STATES or dugnad.hours_total is None or rate is None:
        return None
    return (dugnad.hours_total * rate).quantize(Decimal(1))


def _number(value):
    return None if value is None else str(value)


CSV_COLUMNS = [
    Column(_("Title"), lambda d: d.title),
    Column(_("Committee"), lambda d: d.committee.name),
    Column(_("Starts"), lambda d: d.starts_at),
    Column(_("Ends"), lambda d: d.ends_at),
    Column(_("Status"), lambda d: d.get_state_display()),
    Column(_("Places"), lambda d: d.capacity),
    Column(_("People with a place"), lambda d: d.people_confirmed),
    Column(_("Participants (reported)"), lambda d: d.participant_count),
    Column(_("Hours"), lambda d: _number(d.hours_total)),
    Column(_("Value (NOK)"), lambda d: _number(_value(d))),
]


def _rows(queryset):
    """The selected dugnads in start order, with what the columns read loaded up front (the
    committee in the same query, the year's hourly values in one more)."""
    rates = dict(HourlyRate.objects.values_list("year", "nok_per_hour"))
    for dugnad in (
        with_admin_figures(queryset.select_related("committee"))
        .order_by("starts_at", "pk")
        .iterator(chunk_size=500)
    ):
        dugnad.hour_rates = rates
        yield dugnad


export_csv = csv_export_action(columns=CSV_COLUMNS, filename="dugnader", rows=_rows)
