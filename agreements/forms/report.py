"""The committee's report on an agreement: what was done, the tasks done (date, hours,
documented costs for tasks reimbursed against documentation), and photos with captions.

The lines are rows of a formset: the lines of a returned report first, then a few empty rows
(an untouched empty row is no line; "More rows" gives more without JavaScript). Each row is
checked by the service's own rule (``services.reports.line_problems``), so the page says what
the service would; the service checks all of it again, decodes the photos and stays the
authority.
"""

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from ..models import LINE_MAX_LENGTH, MAX_HOURS, MAX_REPORT_LINES, MONEY, Pricing, ReportDuty
from ..services import report_photos
from ..services.reports import SUMMARY_MAX_LENGTH, line_problems

# Photos added in one go (the limit per report is the setting), and empty rows offered.
PHOTO_SLOTS = 5
EXTRA_ROWS = 5
MORE_ROWS = 10
FILES_NOT_KEPT = _("Choose the photos again: files are not kept when the form is shown again.")


def _number(value):
    """A decimal comma ("7,5") read as a point; spaces ("12 000") left out."""
    if isinstance(value, str):
        value = value.strip().replace(",", ".").replace(" ", "").replace("\u00a0", "")
    return value


class HoursField(forms.DecimalField):
    """Hours with one decimal (the dugnads' report reads hours the same way; an app's forms
    are its own, so the field is too)."""

    def __init__(self, *, maximum: Decimal, **kwargs):
        super().__init__(
            max_value=maximum,
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
    """Kroner with øre; a decimal comma ("1250,50") and spaces ("12 000") are read too."""

    def __init__(self, **kwargs):
        super().__init__(
            min_value=0,
            max_digits=MONEY["max_digits"],
            decimal_places=MONEY["decimal_places"],
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages={
                "invalid": _("Write the amount as a number, e.g. 1250.50."),
                "max_decimal_places": _("Write the amount with at most two decimals (øre)."),
            },
            **kwargs,
        )

    def to_python(self, value):
        return super().to_python(_number(value))


class LineForm(forms.Form):
    task = forms.TypedChoiceField(label=_("Task"), coerce=int)
    done_on = forms.DateField(label=_("Date"), widget=DateInput())
    hours = HoursField(label=_("Hours"), maximum=MAX_HOURS)
    documented_cost = MoneyField(
        label=_("Documented costs (kr)"),
        required=False,
        help_text=_("Only for tasks reimbursed against documentation. Keep the receipts."),
    )
    note = forms.CharField(label=_("Note"), max_length=LINE_MAX_LENGTH, required=False)

    def __init__(self, *args, agreement, tasks, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.tasks = {task.pk: task for task in tasks}
        self.today = today
        # An empty first choice: a row left untouched posts nothing, so it is no line.
        self.fields["task"].choices = [
            ("", _("Choose a task")),
            *[(task.pk, task_label(task)) for task in tasks],
        ]
        if not any(task.pricing == Pricing.REIMBURSED for task in tasks):
            del self.fields["documented_cost"]  # nothing on this agreement is reimbursed
        self.fields["done_on"].widget.attrs.update(
            {
                "min": agreement.starts_on.isoformat(),
                "max": min(today, agreement.last_day).isoformat(),
            }
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problems = line_problems(
            task=self.tasks.get(cleaned.get("task")),
            done_on=cleaned.get("done_on"),
            hours=cleaned.get("hours"),
            documented_cost=cleaned.get("documented_cost"),
            note=cleaned.get("note") or "",
            agreement=self.agreement,
            today=self.today,
        )
        for field, messages in problems.items():
            self.add_error(field, messages)
        return cleaned

    def line(self) -> dict:
        cleaned = self.cleaned_data
        return {
            "task": self.tasks[cleaned["task"]],
            "done_on": cleaned["done_on"],
            "hours": cleaned["hours"],
            "documented_cost": cleaned.get("documented_cost") or Decimal(0),
            "note": cleaned.get("note") or "",
        }


def task_label(task) -> str:
    """The task as the row's choice says it: its kind, and the first words of its description
    or places when the agreement has two of a kind."""
    extra = (task.description or task.locations or "").strip().splitlines()
    label = str(task)
    if extra:
        label = f"{label} – {extra[0][:60]}"
    if task.pricing == Pricing.REIMBURSED:
        label = f"{label} ({_('reimbursed')})"
    return label


class BaseLineFormSet(forms.BaseFormSet):
    def __init__(self, *args, agreement, tasks, today, **kwargs):
        super().__init__(
            *args, form_kwargs={"agreement": agreement, "tasks": tasks, "today": today}, **kwargs
        )
        self.error_messages = {
            **self.error_messages,
            "too_many_forms": _("A report can have at most %(num)d lines."),
        }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this line")
        form.row_label = _("Line %(n)d") % {"n": (index or 0) + 1}

    def kept_forms(self):
        for index, form in enumerate(self.forms):
            if self._should_delete_form(form):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            yield form

    def clean(self):
        if any(self.errors):
            return
        if not any(True for _form in self.kept_forms()):
            raise forms.ValidationError(_("Add at least one task done."))

    def lines(self) -> list[dict]:
        return [form.line() for form in self.kept_forms()]


def line_formset(*, initial_count: int, extra: int = EXTRA_ROWS):
    """The rows: those of a returned report's lines, and ``extra`` empty ones, never more than
    ``MAX_REPORT_LINES`` (more posted by hand are refused with the page's own message)."""
    return forms.formset_factory(
        LineForm,
        formset=BaseLineFormSet,
        extra=max(0, min(extra, MAX_REPORT_LINES - initial_count)),
        max_num=MAX_REPORT_LINES,
        absolute_max=MAX_REPORT_LINES,
        validate_max=True,
        # "Remove this line" on the lines already written, not on the empty rows.
        can_delete=True,
        can_delete_extra=False,
    )


def initial_lines(duty: ReportDuty) -> list[dict]:
    return [
        {
            "task": line.task_id,
            "done_on": line.done_on,
            "hours": line.hours,
            "documented_cost": line.documented_cost or None,
            "note": line.note,
        }
        for line in duty.lines.all()
    ]


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("What was done"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A short account of the work this report covers. At most 5,000 characters."),
        error_messages={"required": _("Write what was done.")},
    )

    def __init__(self, *args, existing_photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_photos = list(existing_photos)
        self.max_photos = report_photos.max_photos()
        if self.existing_photos:
            self.fields["remove_photos"] = forms.TypedMultipleChoiceField(
                label=_("Remove photos"),
                choices=[(photo.pk, photo.caption) for photo in self.existing_photos],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        megabytes = report_photos.max_bytes() // (1024 * 1024)
        for index in range(1, self.photo_slots + 1):
            self.fields[f"photo_{index}"] = forms.FileField(
                label=_("Photo %(n)d") % {"n": index},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": report_photos.PHOTO_ACCEPT}),
                help_text=_("JPEG, PNG or WebP, at most %(mb)d MB.") % {"mb": megabytes},
            )
            self.fields[f"caption_{index}"] = forms.CharField(
                label=_("What photo %(n)d shows") % {"n": index},
                max_length=report_photos.CAPTION_MAX_LENGTH,
                required=False,
                help_text=_("For those who cannot see the photo. At most 200 characters."),
            )
            self.fields[f"caption_{index}"].required_note = _("required with a photo")

    @property
    def photo_slots(self) -> int:
        return max(0, min(PHOTO_SLOTS, self.max_photos - len(self.existing_photos)))

    @property
    def photo_field_pairs(self):
        return [
            (self[f"photo_{index}"], self[f"caption_{index}"])
            for index in range(1, self.photo_slots + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        removed = set(cleaned.get("remove_photos") or [])
        existing = len(self.existing_photos) - len(removed)
        added = 0
        for index in range(1, self.photo_slots + 1):
            upload = cleaned.get(f"photo_{index}")
            caption = cleaned.get(f"caption_{index}") or ""
            if upload:
                problems = report_photos.photo_problems(
                    uploaded_file=upload, existing_count=existing + added
                )
                if problems:
                    self.add_error(f"photo_{index}", problems)
                if not caption.strip() and f"caption_{index}" not in self.errors:
                    self.add_error(
                        f"caption_{index}",
                        _("Say what the photo shows, for those who cannot see it."),
                    )
                added += 1
            elif caption.strip() and f"photo_{index}" not in self.errors:
                self.add_error(f"photo_{index}", _("Choose the photo this caption is for."))
        return cleaned

    def photos(self) -> list[tuple]:
        cleaned = self.cleaned_data
        return [
            (cleaned[f"photo_{index}"], cleaned[f"caption_{index}"])
            for index in range(1, self.photo_slots + 1)
            if cleaned.get(f"photo_{index}")
        ]

    def removed_photos(self) -> list[int]:
        return list(self.cleaned_data.get("remove_photos") or [])

    def has_files(self) -> bool:
        return any(self.files.get(f"photo_{i}") for i in range(1, self.photo_slots + 1))
