"""Names for the fields of an editable tabular inline.

Django's tabular inline puts each field's label in the table's header only, so every input,
select and "delete" checkbox of a row has no accessible name of its own (axe: ``label``,
``select-name``; WCAG 1.3.1, 4.1.2). :class:`LabelledRowsFormSetMixin` gives each a name from
its column and its row ("Amount, row 2"; "Amount, new row" for rows added in the page).
"""

from django.utils.translation import gettext as _


def label_row_fields(form, index: int | None) -> None:
    row = _("row %(number)s") % {"number": index + 1} if index is not None else _("new row")
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue  # a hidden input has no name to give (and may carry no aria-*)
        label = _("Delete") if name == "DELETE" else (field.label or name)
        field.widget.attrs["aria-label"] = f"{label}, {row}"


class LabelledRowsFormSetMixin:
    """On an inline's formset: every field of every row is named (see the module)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        label_row_fields(form, index)
