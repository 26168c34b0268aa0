"""The review queue's CSV export: which columns, in which order (``core.export`` writes them).

The key dates are ``models.KEY_DATES``, the list the case page and the change page show."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.export import Column, csv_export_action

from ..models import KEY_DATES


def _attr(name):
    return lambda obj: getattr(obj, name)


CSV_COLUMNS = [
    Column(_("Reference"), _attr("reference")),
    Column(_("Title"), _attr("title")),
    Column(_("Committee"), lambda p: p.committee.name),
    Column(_("Kind"), lambda p: p.get_kind_display()),
    Column(_("Topic"), lambda p: p.get_category_display()),
    Column(_("Status"), lambda p: p.get_state_display()),
    Column(_("Municipal department"), lambda p: p.department.name if p.department_id else ""),
    Column(_("Case handler"), lambda p: str(p.handler) if p.handler_id else ""),
    Column(_("Supports"), _attr("supports_count")),
    *(Column(label, _attr(name)) for label, name in KEY_DATES),
    Column(_("Next deadline"), _attr("next_due")),
    Column(_("Overdue"), _attr("is_overdue")),
]


def _rows(queryset):
    """The most urgent first, as in the queue; what the columns read, in the same query."""
    return (
        queryset.select_related("committee", "department", "handler")
        .order_by(F("next_due").asc(nulls_last=True), "submitted_at", "pk")
        .iterator(chunk_size=500)
    )


export_csv = csv_export_action(
    columns=CSV_COLUMNS, filename="proposals", rows=_rows, permissions=("change",)
)
