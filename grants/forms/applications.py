"""The committee's application form: what, where (a place, and optionally its coordinates),
who, when, the planned dugnad hours and the amount applied for; the budget as rows of a formset
(the application's lines, then a few empty rows; an empty row is no line; "More rows" gives
more without JavaScript); photos "before", each with what it shows.

Each field and row is checked by the service's own rules (``services.applications``), so the
page says what the service would; the service checks all of it again, decodes the photos and
stays the authority.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import MAX_HOURS, MONEY
from core.forms import CoordinateField, DateInput, StepMessageForm
from core.validators import LATITUDE, LONGITUDE

from ..models import MAX_BUDGET_LINES, Application
from ..services import applications as rules

PHOTO_SLOTS = 3
EXTRA_ROWS = 3
MORE_ROWS = 5
FILES_NOT_KEPT = _("Choose the photos again: files are not kept when the form is shown again.")


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
                "max_digits": _("That is too many hours."),
                "max_whole_digits": _("That is too many hours."),
            },
            **kwargs,
        )

    def to_python(self, value):
        return super().to_python(_number(value))


class MoneyField(forms.DecimalField):
    def __init__(self, *, error_messages=None, **kwargs):
        super().__init__(
            min_value=0,
            max_digits=MONEY["max_digits"],
            decimal_places=MONEY["decimal_places"],
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages={
                "invalid": _("Write the amount as a number, e.g. 1250.50."),
                "max_decimal_places": _("Write the amount with at most two decimals (øre)."),
                "max_digits": _("The amount is too large."),
                "max_whole_digits": _("The amount is too large."),
                "min_value": _("The amount cannot be negative."),
                **(error_messages or {}),
            },
            **kwargs,
        )

    def to_python(self, value):
        return super().to_python(_number(value))


def _max_length(name: str) -> int:
    return Application._meta.get_field(name).max_length


class ApplicationForm(forms.Form):
    title = forms.CharField(
        label=_("What"),
        max_length=_max_length("title"),
        help_text=_("A short title, for example “Flower boxes at the bus stop”."),
        error_messages={"required": _("Say what you apply for.")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=_max_length("description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you will do, and why."),
        error_messages={"required": _("Describe what you will do.")},
    )
    place = forms.CharField(
        label=_("Where"),
        max_length=_max_length("place"),
        error_messages={"required": _("Say where it will be.")},
    )
    latitude = CoordinateField(
        axis=LATITUDE, label=_("Latitude"), help_text=_("Optional, with the longitude.")
    )
    longitude = CoordinateField(
        axis=LONGITUDE, label=_("Longitude"), help_text=_("Optional, with the latitude.")
    )
    participants = forms.CharField(
        label=_("Who takes part"),
        max_length=_max_length("participants"),
        help_text=_("Who does the work and who it is for (for example children under 19)."),
        error_messages={"required": _("Say who takes part.")},
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("To"), widget=DateInput())
    planned_hours = HoursField(
        label=_("Planned dugnad hours"),
        help_text=_("The hours everyone will put in together."),
        initial=0,
    )
    amount_requested = MoneyField(
        label=_("Amount applied for (kr)"),
        error_messages={"required": _("Write the amount you apply for.")},
    )

    def __init__(self, *args, scheme, existing_photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.existing_photos = list(existing_photos)
        self.max_photos = rules.max_photos()
        if scheme.max_amount is not None:
            self.fields["amount_requested"].help_text = _(
                "The scheme gives at most %(amount)s."
            ) % {"amount": _money(scheme.max_amount)}
        before = [p for p in self.existing_photos if p.kind == "before"]
        if before:
            self.fields["remove_photos"] = forms.TypedMultipleChoiceField(
                label=_("Remove photos"),
                choices=[(photo.pk, photo.description) for photo in before],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        megabytes = rules.max_photo_bytes() // (1024 * 1024)
        for index in range(1, self.photo_slots + 1):
            self.fields[f"photo_{index}"] = forms.FileField(
                label=_("Photo “before” %(n)d") % {"n": index},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": rules.PHOTO_TYPES.accept}),
                help_text=_("JPEG, PNG or WebP, at most %(mb)d MB.") % {"mb": megabytes},
            )
            self.fields[f"photo_description_{index}"] = forms.CharField(
                label=_("What photo %(n)d shows") % {"n": index},
                max_length=rules.PHOTO_DESCRIPTION_MAX_LENGTH,
                required=False,
                help_text=_("For those who cannot see the photo. At most 200 characters."),
            )

    @property
    def photo_slots(self) -> int:
        return max(0, min(PHOTO_SLOTS, self.max_photos - len(self.existing_photos)))

    @property
    def photo_field_pairs(self):
        return [
            (self[f"photo_{index}"], self[f"photo_description_{index}"])
            for index in range(1, self.photo_slots + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and rules.NOT_ALLOWED in value:
                self.add_error(name, _("The text contains a character that is not allowed."))
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (
            "latitude" not in self.errors
            and "longitude" not in self.errors
            and (latitude is None) != (longitude is None)
        ):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end must be on or after the start."))
        amount = cleaned.get("amount_requested")
        maximum = self.scheme.max_amount
        if amount is not None and maximum is not None and amount > maximum:
            self.add_error(
                "amount_requested",
                _("The scheme gives at most %(amount)s.") % {"amount": _money(maximum)},
            )
        removed = set(cleaned.get("remove_photos") or [])
        existing = len(self.existing_photos) - len(removed)
        added = 0
        for index in range(1, self.photo_slots + 1):
            upload = cleaned.get(f"photo_{index}")
            description = cleaned.get(f"photo_description_{index}") or ""
            if upload:
                if problems := rules.photo_problems(upload, existing_count=existing + added):
                    self.add_error(f"photo_{index}", problems)
                if not description.strip() and f"photo_description_{index}" not in self.errors:
                    self.add_error(
                        f"photo_description_{index}",
                        _("Say what the photo shows, for those who cannot see it."),
                    )
                added += 1
            elif description.strip() and f"photo_{index}" not in self.errors:
                self.add_error(f"photo_{index}", _("Choose the photo this description is for."))
        return cleaned

    def application_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in rules.FIELDS}

    def photos(self) -> list[tuple]:
        cleaned = self.cleaned_data
        return [
            (cleaned[f"photo_{index}"], cleaned[f"photo_description_{index}"])
            for index in range(1, self.photo_slots + 1)
            if cleaned.get(f"photo_{index}")
        ]

    def removed_photos(self) -> list[int]:
        return list(self.cleaned_data.get("remove_photos") or [])

    def has_files(self) -> bool:
        return any(self.files.get(f"photo_{i}") for i in range(1, self.photo_slots + 1))


def _money(amount):
    from core.formatting import money

    return money(amount)


class BudgetLineForm(forms.Form):
    description = forms.CharField(
        label=_("What"), max_length=rules.LINE_DESCRIPTION_MAX_LENGTH, required=False
    )
    amount = MoneyField(label=_("Amount (kr)"), required=False)

    def is_empty(self) -> bool:
        cleaned = getattr(self, "cleaned_data", {})
        return not (cleaned.get("description") or "").strip() and cleaned.get("amount") is None

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.is_empty():
            return cleaned
        description = cleaned.get("description") or ""
        if problems := rules.text_problems(
            description,
            max_length=rules.LINE_DESCRIPTION_MAX_LENGTH,
            required=_("Say what the cost is for."),
        ):
            self.add_error("description", problems)
        amount = cleaned.get("amount")
        if amount is None:
            self.add_error("amount", _("Write the amount."))
        elif problems := rules.line_amount_problems(amount):
            self.add_error("amount", problems)
        return cleaned


class BaseBudgetFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "too_many_forms": _("A budget can have at most %(num)d lines."),
        }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.row_label = _("Budget line %(n)d") % {"n": (index or 0) + 1}

    def lines(self) -> list[dict]:
        return [
            {"description": form.cleaned_data["description"], "amount": form.cleaned_data["amount"]}
            for form in self.forms
            if not form.is_empty()
        ]


def budget_formset(*, initial_count: int, extra: int = EXTRA_ROWS):
    """The rows: the budget's lines and ``extra`` empty ones, never more than
    ``MAX_BUDGET_LINES`` (more posted by hand are refused with the page's own message)."""
    return forms.formset_factory(
        BudgetLineForm,
        formset=BaseBudgetFormSet,
        extra=max(0, min(extra, MAX_BUDGET_LINES - initial_count)),
        max_num=MAX_BUDGET_LINES,
        absolute_max=MAX_BUDGET_LINES,
        validate_max=True,
    )


def initial_lines(lines) -> list[dict]:
    return [{"description": line.description, "amount": line.amount} for line in lines]


class ApplicationStepForm(StepMessageForm):
    message_max_length = rules.MESSAGE_MAX_LENGTH
