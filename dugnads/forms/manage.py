"""The organisers' forms: the dugnad with what it needs and what the municipality is asked for,
a step of its life, and a message to everyone signed up.

The forms check what the services will check, with the same rules (``dugnads.rules``, the
models' limits, ``core.validators``), so every problem comes back next to its field; the
services check again and stay the authority. Times are entered as a date and a time of day in
the portal's time zone (Europe/Oslo; ``core.formatting.local_zone``), each a field of its own
with its own label (the browser's date and time pickers), and combined here.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import local_zone, public_name
from core.forms import CoordinateField, DateInput, StepMessageForm, TimeInput, apply_service_errors
from core.validators import LATITUDE, LONGITUDE

from ..models import (
    DESCRIPTION_MAX_LENGTH,
    MAX_CAPACITY,
    MAX_NEEDS,
    MAX_RESOURCES,
    MEETING_POINT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Dugnad,
    Need,
    Resource,
    ResourceKind,
)
from ..rules import default_resources_due, dugnad_problems
from ..services.messages import MESSAGE_MAX_LENGTH, message_problems
from ..services.planning import NeedLine, ResourceLine

# A sign-up deadline given as a day only lasts until the end of that day.
END_OF_DAY = datetime.time(23, 59)
# The dugnad's fields a rule (or the service) names, and the form field that shows its error.
ERROR_FIELD = {
    "starts_at": "starts_date",
    "ends_at": "ends_time",
    "signup_deadline": "signup_deadline_date",
}
NEED_TITLE_MAX_LENGTH = Need._meta.get_field("title").max_length
RESOURCE_DETAILS_MAX_LENGTH = Resource._meta.get_field("details").max_length


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time), local_zone())


class OrganiserChoiceField(forms.ModelMultipleChoiceField):
    """The committee's board by name (never an address)."""

    def label_from_instance(self, obj):
        return public_name(obj)


class DugnadForm(forms.Form):
    """A new dugnad or a change to one. ``board`` is the committee's board today (the organisers
    to choose from); ``dugnad`` the one changed (None for a new one)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("Write a title for the dugnad.")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you will do together, what to bring, who it is for."),
    )
    starts_date = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={"required": _("Give the day of the dugnad.")},
    )
    starts_time = forms.TimeField(
        label=_("Starts at"),
        widget=TimeInput(),
        error_messages={"required": _("Give the time the dugnad starts.")},
    )
    ends_time = forms.TimeField(
        label=_("Ends at"),
        widget=TimeInput(),
        error_messages={"required": _("Give the time the dugnad ends.")},
    )
    ends_date = forms.DateField(
        label=_("Ends on another day"),
        widget=DateInput(),
        required=False,
        help_text=_("Only if the dugnad lasts past midnight (at most three days)."),
    )
    meeting_point = forms.CharField(
        label=_("Meeting point"),
        max_length=MEETING_POINT_MAX_LENGTH,
        error_messages={"required": _("Say where the participants meet.")},
        help_text=_("E.g. “the car park by Svarstad school”."),
    )
    latitude = CoordinateField(
        axis=LATITUDE, label=_("Latitude"), help_text=_("Decimal degrees, e.g. 59.39670.")
    )
    longitude = CoordinateField(
        axis=LONGITUDE, label=_("Longitude"), help_text=_("Decimal degrees, e.g. 9.96810.")
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("How many people can take part. Leave empty for no limit."),
    )
    signup_deadline_date = forms.DateField(
        label=_("Sign-up deadline"), widget=DateInput(), required=False
    )
    signup_deadline_time = forms.TimeField(
        label=_("Sign-up deadline, time"),
        widget=TimeInput(),
        required=False,
        help_text=_("Without a time, sign-up closes at 23:59 that day."),
    )
    reminder_hours = forms.IntegerField(
        label=_("Remind the participants (hours before)"),
        initial=48,
        min_value=1,
        max_value=14 * 24,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    resources_due = forms.DateField(
        label=_("The municipality answers by"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty for a week before the dugnad."),
    )
    organisers = OrganiserChoiceField(
        label=_("Organisers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one organiser.")},
        help_text=_("They see the participant list, can write to the participants and change it."),
    )

    def __init__(self, *args, board, dugnad: Dugnad | None = None, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        self.dugnad = dugnad
        self.fields["organisers"].queryset = (
            get_user_model()
            .objects.filter(pk__in=[user.pk for user in board])
            .order_by("full_name")
        )

    @classmethod
    def initial_for(cls, dugnad: Dugnad) -> dict:
        """The form's values for an existing dugnad, in local time."""
        zone = local_zone()
        starts = timezone.localtime(dugnad.starts_at, zone)
        ends = timezone.localtime(dugnad.ends_at, zone)
        initial = {
            "title": dugnad.title,
            "description": dugnad.description,
            "starts_date": starts.date(),
            "starts_time": starts.time().replace(second=0, microsecond=0),
            "ends_time": ends.time().replace(second=0, microsecond=0),
            "ends_date": ends.date() if ends.date() != starts.date() else None,
            "meeting_point": dugnad.meeting_point,
            "latitude": dugnad.latitude,
            "longitude": dugnad.longitude,
            "capacity": dugnad.capacity,
            "reminder_hours": dugnad.reminder_hours,
            "resources_due": dugnad.resources_due,
            "organisers": [user.pk for user in dugnad.organisers.all()],
        }
        if dugnad.signup_deadline:
            deadline = timezone.localtime(dugnad.signup_deadline, zone)
            initial["signup_deadline_date"] = deadline.date()
            initial["signup_deadline_time"] = deadline.time().replace(second=0, microsecond=0)
        return initial

    def clean(self):
        cleaned = super().clean()
        day, starts, ends = (cleaned.get(n) for n in ("starts_date", "starts_time", "ends_time"))
        if day and starts and ends:
            cleaned["starts_at"] = _aware(day, starts)
            cleaned["ends_at"] = _aware(cleaned.get("ends_date") or day, ends)
        deadline_day = cleaned.get("signup_deadline_date")
        if deadline_day:
            cleaned["signup_deadline"] = _aware(
                deadline_day, cleaned.get("signup_deadline_time") or END_OF_DAY
            )
        elif cleaned.get("signup_deadline_time"):
            self.add_error("signup_deadline_date", _("Give the day of the sign-up deadline."))
        else:
            cleaned["signup_deadline"] = None
        if "starts_at" in cleaned:
            if not cleaned.get("resources_due"):
                cleaned["resources_due"] = default_resources_due(cleaned["starts_at"])
            # The model's rules, in the model's words, next to the fields they name.
            probe = Dugnad(**{k: cleaned.get(k) for k in self.RULE_FIELDS})
            for name, messages in dugnad_problems(probe).items():
                field = ERROR_FIELD.get(name, name)
                if field not in self.errors:
                    self.add_error(field, messages)
        return cleaned

    RULE_FIELDS = (
        "starts_at",
        "ends_at",
        "signup_deadline",
        "resources_due",
        "latitude",
        "longitude",
    )

    def dugnad_fields(self) -> dict:
        """The dugnad's own fields for ``dugnad_plan_create``/``dugnad_plan_update``. When
        the municipality's day was left at its default, it follows a moved start."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "title",
                "description",
                "starts_at",
                "ends_at",
                "meeting_point",
                "latitude",
                "longitude",
                "capacity",
                "signup_deadline",
                "reminder_hours",
                "resources_due",
            )
        }
        if self.dugnad is not None and data["resources_due"] == default_resources_due(
            self.dugnad.starts_at
        ):
            del fields["resources_due"]  # the service moves a default day with the start
        return fields

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's error next to the field showing it (``ends_at`` under "Ends at")."""
        if hasattr(error, "error_dict"):
            error = ValidationError(
                {ERROR_FIELD.get(name, name): errors for name, errors in error.error_dict.items()}
            )
        apply_service_errors(self, error)

    # The page's groups of fields, each under its own heading.
    def _group(self, *names):
        return [self[name] for name in names]

    @property
    def about_fields(self):
        return self._group("title", "description")

    @property
    def when_fields(self):
        return self._group("starts_date", "starts_time", "ends_time", "ends_date")

    @property
    def place_fields(self):
        return self._group("meeting_point", "latitude", "longitude")

    @property
    def signup_fields(self):
        return self._group(
            "capacity", "signup_deadline_date", "signup_deadline_time", "reminder_hours"
        )


# --- lines: what is needed, what the municipality is asked for ----------------------------------


class NeedForm(forms.Form):
    title = forms.CharField(label=_("What"), max_length=NEED_TITLE_MAX_LENGTH)
    people = forms.IntegerField(
        label=_("How many people"),
        min_value=1,
        max_value=1000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class ResourceForm(forms.Form):
    # An empty first choice: a row left untouched posts nothing, so it is no line.
    kind = forms.ChoiceField(
        label=_("Resource"), choices=[("", _("Choose a resource")), *ResourceKind.choices]
    )
    department = forms.TypedChoiceField(label=_("Responsible department"), coerce=int)
    details = forms.CharField(
        label=_("Quantity and notes"),
        max_length=RESOURCE_DETAILS_MAX_LENGTH,
        required=False,
        help_text=_("E.g. “one 10 m³ container”."),
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [
            ("", _("Choose a department")),
            *[(d.pk, d.name) for d in departments],
        ]


class LinesFormSet(forms.BaseFormSet):
    """Rows of a dugnad's lines: the existing ones first (their ``pk`` by position, never by a
    posted value), then a few empty rows; an untouched empty row is no line, a row ticked
    "Remove" is removed. ``max_num`` is the model's limit, and more rows than that (posted by
    hand) are refused with the page's own message rather than quietly cut off."""

    line_label = ""
    too_many = ""

    def __init__(self, *args, pks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pks = list(pks)
        self.error_messages = {**self.error_messages, "too_many_forms": self.too_many}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")
        form.row_label = f"{self.line_label} {(index or 0) + 1}"

    def kept_forms(self):
        for index, form in enumerate(self.forms):
            if self.can_delete and self._should_delete_form(form):
                continue
            if index >= len(self.pks) and not form.has_changed():
                continue
            yield (self.pks[index] if index < len(self.pks) else None), form


class NeedFormSet(
    forms.formset_factory(
        NeedForm,
        extra=3,
        max_num=MAX_NEEDS,
        absolute_max=MAX_NEEDS,
        validate_max=True,
        can_delete=True,
        formset=LinesFormSet,
    )
):
    line_label = _("Need")
    too_many = _("A dugnad can have at most %(num)d needs.")

    def lines(self) -> list[NeedLine]:
        return [
            NeedLine(pk=pk, title=form.cleaned_data["title"], people=form.cleaned_data["people"])
            for pk, form in self.kept_forms()
        ]

    @classmethod
    def initial_for(cls, dugnad: Dugnad | None) -> tuple[list, list]:
        if dugnad is None:
            return [], []
        needs = list(dugnad.needs.all())
        return [{"title": n.title, "people": n.people} for n in needs], [n.pk for n in needs]


def resource_formset(*, answered: int):
    """The resource rows, room for ``MAX_RESOURCES`` lines less those answered already."""
    room = max(0, MAX_RESOURCES - answered)

    class ResourceFormSet(
        forms.formset_factory(
            ResourceForm,
            extra=min(2, room),
            max_num=room,
            absolute_max=max(room, 1),
            validate_max=True,
            can_delete=True,
            formset=LinesFormSet,
        )
    ):
        line_label = _("Resource")
        too_many = _("A dugnad can ask for at most %(num)d resources.")

        def __init__(self, *args, departments=(), **kwargs):
            self.departments = {d.pk: d for d in departments}
            super().__init__(*args, form_kwargs={"departments": departments}, **kwargs)

        def lines(self) -> list[ResourceLine]:
            return [
                ResourceLine(
                    pk=pk,
                    kind=form.cleaned_data["kind"],
                    department=self.departments[form.cleaned_data["department"]],
                    details=form.cleaned_data["details"],
                )
                for pk, form in self.kept_forms()
            ]

    return ResourceFormSet


def resource_initial(resources) -> tuple[list, list]:
    """The unanswered lines as rows (answered ones are shown, not edited)."""
    return (
        [{"kind": r.kind, "department": r.department_id, "details": r.details} for r in resources],
        [r.pk for r in resources],
    )


# --- a step, a message ---------------------------------------------------------------------------


class DugnadStepForm(StepMessageForm):
    """A step page's message (a cancellation's reason), within the message's limit."""

    message_max_length = MESSAGE_MAX_LENGTH


class ParticipantMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the message.")},
        help_text=_(
            "Everyone signed up and on the waiting list gets it: residents in their inbox and "
            "by e-mail as they have chosen, guests by e-mail. At most 2,000 characters."
        ),
    )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if problems := message_problems(body):
            raise ValidationError(problems)
        return body
