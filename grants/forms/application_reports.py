"""The committee's report on a grant paid afterwards: what was done, the hours written by hand,
the dugnads whose hours count, the actual costs with their receipts, and photos "after".

The cost lines are rows of a formset: the report's lines first (each keeps its receipt unless
a new one is chosen; "Remove this line" takes it away), then a few empty rows (an untouched
empty row is no line; "More rows" gives more without JavaScript). Each row and each file is
checked by the service's own rules (``services.application_reports``), so the page says what
the service would; the service checks all of it again, decodes the photos and stays the
authority.
"""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from agreements.models import MAX_HOURS, MONEY
from core.formatting import local_date

from ..models import MAX_COST_LINES, BudgetLine
from ..services import application_reports as rules

PHOTO_SLOTS = 3
EXTRA_ROWS = 3
MORE_ROWS = 5
FILES_NOT_KEPT = _("Choose the files again: files are not kept when the form is shown again.")


def _number(value):
    """A decimal comma ("7,5") read as a point; spaces ("12 000") left out."""
    if isinstance(value, str):
        value = value.strip().replace(",", ".").replace(" ", "").replace("\u00a0", "")
    return value


class HoursField(forms.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(
            min_value=0,
            max_value=MAX_HOURS,
            max_digits=8,
            decimal_places=1,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages={
                "invalid": _("Write the hours as a number, e.g. 12.5."),
                "max_decimal_places": _("Write the hours with at most one decimal."),
            },
            **kwargs,
        )

    def to_python(self, value):
        return super().to_python(_number(value))


class MoneyField(forms.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(
            max_digits=MONEY["max_digits"],
            decimal_places=MONEY["decimal_places"],
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages={
                "invalid": _("Write the amount as a number, e.g. 1250.50."),
                "max_decimal_places": _("Write the amount with at most two decimals (øre)."),
                "max_digits": _("The amount is too large."),
                "max_whole_digits": _("The amount is too large."),
            },
            **kwargs,
        )

    def to_python(self, value):
        return super().to_python(_number(value))


def _megabytes(size: int) -> int:
    return size // (1024 * 1024)


class CostLineForm(forms.Form):
    description = forms.CharField(
        label=_("What"), max_length=rules.DESCRIPTION_MAX_LENGTH, required=False
    )
    amount = MoneyField(label=_("Amount (kr)"), required=False)
    receipt = forms.FileField(label=_("Receipt"), required=False)

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines or {}
        self.fields["description"].required_note = _("required for each cost")
        self.fields["amount"].required_note = _("required for each cost")
        self.fields["receipt"].required_note = (
            _("only to replace it") if self.existing is not None else _("required for each cost")
        )
        self.fields["receipt"].widget.attrs["accept"] = rules.RECEIPT_TYPES.accept
        self.fields["receipt"].help_text = _("PDF, PNG or JPEG, at most %(mb)d MB.") % {
            "mb": _megabytes(rules.max_receipt_bytes())
        }

    @property
    def existing(self) -> BudgetLine | None:
        """The report's line this row shows (``None`` for an empty row)."""
        pk = self.initial.get("line")
        return self.lines.get(pk) if pk else None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        existing = self.existing
        if existing is None and not self.has_changed():
            return cleaned  # an untouched empty row
        description = cleaned.get("description") or ""
        if problems := rules.text_problems(
            description,
            max_length=rules.DESCRIPTION_MAX_LENGTH,
            required=_("Say what the cost was for."),
        ):
            self.add_error("description", problems)
        amount = cleaned.get("amount")
        if amount is None:
            self.add_error("amount", _("Write the amount."))
        elif problems := rules.amount_problems(amount):
            self.add_error("amount", problems)
        receipt = cleaned.get("receipt")
        if receipt:
            if problems := rules.receipt_problems(receipt):
                self.add_error("receipt", problems)
        elif existing is None or not existing.receipt:
            self.add_error("receipt", _("Attach the receipt (PDF, PNG or JPEG)."))
        return cleaned

    def line_data(self) -> dict:
        cleaned = self.cleaned_data
        existing = self.existing
        return {
            "pk": existing.pk if existing is not None else None,
            "description": cleaned.get("description") or "",
            "amount": cleaned.get("amount"),
            "receipt": cleaned.get("receipt") or None,
        }


class BaseCostLineFormSet(forms.BaseFormSet):
    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, form_kwargs={"lines": lines or {}}, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "too_many_forms": _("A report can have at most %(num)d cost lines."),
        }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this line")
        form.row_label = _("Cost %(n)d") % {"n": (index or 0) + 1}

    def kept_forms(self):
        for index, form in enumerate(self.forms):
            if self._should_delete_form(form):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            yield form

    def lines(self) -> list[dict]:
        return [form.line_data() for form in self.kept_forms()]


def cost_line_formset(*, initial_count: int, extra: int = EXTRA_ROWS):
    """The report's lines and ``extra`` empty rows, never more than ``MAX_COST_LINES`` (more
    posted by hand are refused with the page's own message)."""
    return forms.formset_factory(
        CostLineForm,
        formset=BaseCostLineFormSet,
        extra=max(0, min(extra, MAX_COST_LINES - initial_count)),
        max_num=MAX_COST_LINES,
        absolute_max=MAX_COST_LINES,
        validate_max=True,
        can_delete=True,
        can_delete_extra=False,
    )


def initial_lines(lines) -> list[dict]:
    return [
        {"line": line.pk, "description": line.description, "amount": line.amount} for line in lines
    ]


class DugnadChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, dugnad):
        hours = dugnad.hours_total if dugnad.hours_total is not None else 0
        return _("%(title)s, %(day)s (%(hours)s hours)") % {
            "title": dugnad.title,
            "day": local_date(dugnad.starts_at),
            "hours": number_format(hours),
        }


class ReportForm(forms.Form):
    report_text = forms.CharField(
        label=_("What was done"),
        max_length=rules.REPORT_TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the committee did with the grant. Required before the report is sent."),
    )
    actual_hours = HoursField(
        label=_("Other dugnad hours worked"),
        required=False,
        help_text=_("The hours everyone put in together that no dugnad below has counted already."),
    )

    def __init__(self, *args, dugnads, existing_photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dugnads"] = DugnadChoiceField(
            label=_("Dugnads whose hours count"),
            queryset=dugnads,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "The committee's reported dugnads. Their hours count in this report, and in no "
                "other grant report."
            ),
            error_messages={
                "invalid_choice": _("Choose among the committee's reported dugnads."),
                "invalid_pk_value": _("Choose among the committee's reported dugnads."),
            },
        )
        self.fields["report_text"].required_note = _("required before the report is sent")
        self.existing_photos = list(existing_photos)
        self.max_photos = rules.max_photos()
        if self.existing_photos:
            self.fields["remove_photos"] = forms.TypedMultipleChoiceField(
                label=_("Remove photos"),
                choices=[(photo.pk, photo.description) for photo in self.existing_photos],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        megabytes = _megabytes(rules.max_photo_bytes())
        for index in range(1, self.photo_slots + 1):
            self.fields[f"photo_{index}"] = forms.FileField(
                label=_("Photo “after” %(n)d") % {"n": index},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": rules.PHOTO_TYPES.accept}),
                help_text=_("JPEG, PNG or WebP, at most %(mb)d MB.") % {"mb": megabytes},
            )
            self.fields[f"description_{index}"] = forms.CharField(
                label=_("What photo %(n)d shows") % {"n": index},
                max_length=rules.PHOTO_DESCRIPTION_MAX_LENGTH,
                required=False,
                help_text=_("For those who cannot see the photo. At most 200 characters."),
            )
            self.fields[f"description_{index}"].required_note = _("required with a photo")

    @property
    def photo_slots(self) -> int:
        return max(0, min(PHOTO_SLOTS, self.max_photos - len(self.existing_photos)))

    @property
    def photo_field_pairs(self):
        return [
            (self[f"photo_{index}"], self[f"description_{index}"])
            for index in range(1, self.photo_slots + 1)
        ]

    def clean_report_text(self):
        value = self.cleaned_data.get("report_text") or ""
        if problems := rules.text_problems(value, max_length=rules.REPORT_TEXT_MAX_LENGTH):
            raise forms.ValidationError(problems)
        return value

    def clean(self):
        cleaned = super().clean()
        removed = set(cleaned.get("remove_photos") or [])
        existing = len(self.existing_photos) - len(removed)
        added = 0
        for index in range(1, self.photo_slots + 1):
            upload = cleaned.get(f"photo_{index}")
            description = cleaned.get(f"description_{index}") or ""
            if upload:
                if problems := rules.photo_problems(upload, existing_count=existing + added):
                    self.add_error(f"photo_{index}", problems)
                if f"description_{index}" not in self.errors and (
                    problems := rules.photo_description_problems(description)
                ):
                    self.add_error(f"description_{index}", problems)
                added += 1
            elif description.strip() and f"photo_{index}" not in self.errors:
                self.add_error(f"photo_{index}", _("Choose the photo this description is for."))
        return cleaned

    def photos(self) -> list[tuple]:
        cleaned = self.cleaned_data
        return [
            (cleaned[f"photo_{index}"], cleaned[f"description_{index}"])
            for index in range(1, self.photo_slots + 1)
            if cleaned.get(f"photo_{index}")
        ]

    def removed_photos(self) -> list[int]:
        return list(self.cleaned_data.get("remove_photos") or [])

    def has_files(self) -> bool:
        return bool(self.files)


class ReturnReportForm(forms.Form):
    """The admin's "Return the report": what the committee must correct (required)."""

    comment = forms.CharField(
        label=_("What the committee must correct"),
        help_text=_("The committee sees this and sends the report again."),
        max_length=rules.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what the committee must correct.")},
    )

    def clean_comment(self):
        value = self.cleaned_data["comment"]
        if problems := rules.text_problems(
            value,
            max_length=rules.COMMENT_MAX_LENGTH,
            required=_("Write what the committee must correct."),
        ):
            raise forms.ValidationError(problems)
        return value
