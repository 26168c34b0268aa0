"""The report after a dugnad: participants, hours (in total or per participant), what was done,
and photos, each with a description for those who cannot see it.

The form parses and checks what it can cheaply (numbers, lengths, each photo's name, size and
first bytes); the service checks all of it again, decodes the photos and stays the authority.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import MAX_CAPACITY, REPORT_MAX_LENGTH
from ..services import photos as photo_services
from ..services.reports import MAX_HOURS_PER_SIGNUP, MAX_HOURS_TOTAL

TOTAL, PER_PARTICIPANT = "total", "per_participant"
# At most this many photos are added in one go (the limit per dugnad is the setting).
PHOTO_SLOTS = 5
FILES_NOT_KEPT = _("Choose the photos again: files are not kept when the form has errors.")


class HoursField(forms.DecimalField):
    """Hours with one decimal; a decimal comma ("7,5") is read as a point."""

    def __init__(self, *, maximum: Decimal, **kwargs):
        super().__init__(
            min_value=0,
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
        if isinstance(value, str):
            value = value.strip().replace(",", ".").replace(" ", "")
        return super().to_python(value)


class ReportForm(forms.Form):
    participant_count = forms.IntegerField(
        label=_("How many took part"),
        min_value=1,
        max_value=MAX_CAPACITY,
        error_messages={"required": _("Write how many took part.")},
    )
    hours_mode = forms.ChoiceField(
        label=_("How do you give the hours?"),
        choices=[
            (TOTAL, _("In total for the dugnad")),
            (PER_PARTICIPANT, _("Per participant, from the sign-up list")),
        ],
        widget=forms.RadioSelect,
        initial=TOTAL,
    )
    hours_total = HoursField(
        label=_("Hours in total"),
        maximum=MAX_HOURS_TOTAL,
        required=False,
        help_text=_("Everyone's hours together, e.g. 12 people for 3 hours is 36."),
    )
    report = forms.CharField(
        label=_("What was done"),
        max_length=REPORT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Shown on the dugnad's page. At most 5,000 characters."),
        error_messages={"required": _("Write what was done.")},
    )

    def __init__(self, *args, dugnad, confirmed_signups=(), existing_photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.dugnad = dugnad
        self.confirmed_signups = list(confirmed_signups)
        self.existing_photos = list(existing_photos)
        limits = settings.DUGNADS
        self.max_photos = limits["PHOTO_MAX_COUNT"]
        if self.confirmed_signups:
            # Shown instead of "(optional)": the total is needed when that is the choice made.
            self.fields["hours_total"].required_note = _("when given in total")
        else:
            # Nobody signed up through the portal: only a total can be given.
            del self.fields["hours_mode"]
            self.fields["hours_total"].required = True
            self.fields["hours_total"].error_messages["required"] = _("Write the hours in total.")
        for signup in self.confirmed_signups:
            self.fields[self.hours_field_name(signup)] = HoursField(
                label=signup.name,
                maximum=MAX_HOURS_PER_SIGNUP,
                required=False,
                help_text=(
                    _("%(n)d people: their hours together.") % {"n": signup.party_size}
                    if signup.party_size > 1
                    else ""
                ),
            )
        if self.existing_photos:
            self.fields["remove_photos"] = forms.TypedMultipleChoiceField(
                label=_("Remove photos"),
                choices=[(photo.pk, photo.description) for photo in self.existing_photos],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        for index in range(1, self.photo_slots + 1):
            self.fields[f"photo_{index}"] = forms.FileField(
                label=_("Photo %(n)d") % {"n": index},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": photo_services.PHOTO_ACCEPT}),
                help_text=_("JPEG, PNG or WebP, at most %(mb)d MB.")
                % {"mb": limits["PHOTO_MAX_BYTES"] // (1024 * 1024)},
            )
            self.fields[f"description_{index}"] = forms.CharField(
                label=_("What photo %(n)d shows") % {"n": index},
                max_length=photo_services.DESCRIPTION_MAX_LENGTH,
                required=False,
                help_text=_("For those who cannot see the photo. At most 200 characters."),
            )
            self.fields[f"description_{index}"].required_note = _("required with a photo")

    @staticmethod
    def hours_field_name(signup) -> str:
        return f"hours_{signup.pk}"

    @property
    def photo_slots(self) -> int:
        return max(0, min(PHOTO_SLOTS, self.max_photos - len(self.existing_photos)))

    # --- groups of fields for the template ----------------------------------------------------

    @property
    def signup_hours_fields(self):
        return [self[self.hours_field_name(signup)] for signup in self.confirmed_signups]

    @property
    def photo_field_pairs(self):
        return [
            (self[f"photo_{index}"], self[f"description_{index}"])
            for index in range(1, self.photo_slots + 1)
        ]

    # --- cleaning -----------------------------------------------------------------------------

    def mode(self) -> str:
        if "hours_mode" not in self.fields:
            return TOTAL
        return self.cleaned_data.get("hours_mode") or TOTAL

    def clean(self):
        cleaned = super().clean()
        missing_total = self.mode() == TOTAL and cleaned.get("hours_total") is None
        if missing_total and "hours_total" not in self.errors:
            self.add_error("hours_total", _("Write the hours in total."))
        if self.mode() == PER_PARTICIPANT and all(
            cleaned.get(self.hours_field_name(signup)) is None for signup in self.confirmed_signups
        ):
            self.add_error(None, _("Write the hours of at least one participant."))
        removed = set(cleaned.get("remove_photos") or [])
        existing = len(self.existing_photos) - len(removed)
        added = 0
        for index in range(1, self.photo_slots + 1):
            upload = cleaned.get(f"photo_{index}")
            description = cleaned.get(f"description_{index}", "")
            if upload:
                problems = photo_services.photo_problems(
                    uploaded_file=upload, existing_count=existing + added
                )
                if problems:
                    self.add_error(f"photo_{index}", problems)
                if not (description or "").strip() and f"description_{index}" not in self.errors:
                    self.add_error(
                        f"description_{index}",
                        _("Describe what the photo shows, for those who cannot see it."),
                    )
                added += 1
            elif (description or "").strip() and f"photo_{index}" not in self.errors:
                self.add_error(f"photo_{index}", _("Choose the photo this description is for."))
        return cleaned

    def service_arguments(self) -> dict:
        cleaned = self.cleaned_data
        arguments = {
            "participant_count": cleaned["participant_count"],
            "report": cleaned["report"],
            "photos": [
                (cleaned[f"photo_{index}"], cleaned[f"description_{index}"])
                for index in range(1, self.photo_slots + 1)
                if cleaned.get(f"photo_{index}")
            ],
            "remove_photos": list(cleaned.get("remove_photos") or []),
        }
        if self.mode() == TOTAL:
            arguments["hours_total"] = cleaned["hours_total"]
        else:
            arguments["hours_per_signup"] = {
                signup.pk: cleaned.get(self.hours_field_name(signup))
                for signup in self.confirmed_signups
            }
        return arguments

    def has_files(self) -> bool:
        return any(self.files.get(f"photo_{i}") for i in range(1, self.photo_slots + 1))


def initial_for(dugnad, confirmed_signups) -> dict:
    """What the form starts with: the report as it is (a correction), or for a first report the
    number of people signed up."""
    per_signup = any(signup.hours is not None for signup in confirmed_signups)
    initial = {
        "participant_count": dugnad.participant_count
        or sum(signup.party_size for signup in confirmed_signups)
        or None,
        "hours_mode": PER_PARTICIPANT if per_signup else TOTAL,
        "hours_total": None if per_signup else dugnad.hours_total,
        "report": dugnad.report,
    }
    for signup in confirmed_signups:
        initial[ReportForm.hours_field_name(signup)] = signup.hours
    return initial
