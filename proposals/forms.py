"""Forms for writing a proposal, moving a case and writing in the dialogue.

The forms parse and check input the way the services will (so the resident sees every problem
next to its field); the services check again and stay the authority.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from committees import selectors as committee_selectors
from committees.models import Committee
from core.forms import CoordinateField, DateInput, StepMessageForm
from core.validators import LATITUDE, LONGITUDE, not_in_the_past

from . import services
from .models import MESSAGE_MAX_LENGTH, TAKEOVER_REQUIRED, Kind, Proposal, submit_problems

KIND_DESCRIPTIONS = {
    Kind.IDEA: _("Something you think would make the neighbourhood better."),
    Kind.TAKEOVER: _(
        "The committee offers to do a task the municipality does today, for an agreed compensation."
    ),
    Kind.DUGNAD: _("A day of voluntary work together with the municipality."),
    Kind.CITIZEN: _(
        "A formal proposal the municipal council must consider when enough residents support it."
    ),
}
ATTACHMENT_ACCEPT = services.ATTACHMENT_TYPES.accept  # from the one table of allowed types
FILES_NOT_KEPT = _("Choose the file(s) again: files are not kept when the form has errors.")
# Shown instead of "(optional)" on fields a take-over proposal needs before it can be submitted.
REQUIRED_FOR_TAKEOVER = _("required for take-over proposals")
REQUIRED_FOR_TAKEOVER_PLACE = _("optional, but required for take-over proposals")


class KindRadioSelect(forms.RadioSelect):
    """Radio buttons with a one-line explanation under each option."""

    template_name = "proposals/_draft_kind_radio.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["description"] = KIND_DESCRIPTIONS.get(value, "")
        if option["description"] and option["attrs"].get("id"):
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_description"
        return option


class MultipleFileInput(forms.ClearableFileInput):
    # Django docs, "Uploading multiple files".
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_file_clean(d, initial) for d in data if d]
        return [single_file_clean(data, initial)] if data else []


def committee_choices() -> list:
    """Top-level committees as option groups, each with its sub-committees (two queries)."""
    groups = []
    for parent in committee_selectors.committee_list_top_level():
        children = list(parent.children.all())
        if children:
            options = [(parent.pk, parent.name)] + [
                (child.pk, f"{child.name} ({parent.name})") for child in children
            ]
            groups.append((parent.name, options))
        else:
            groups.append((parent.pk, parent.name))
    return [("", _("Choose a committee")), *groups]


TAKEOVER_FORM_FIELDS = [
    "task",
    "season",
    "volunteer_hours_per_year",
    "compensation_per_year",
    "municipality_provides",
]


class ProposalForm(forms.ModelForm):
    """One form for a new draft and for changing it; attachments are added in the same request.

    ``require_complete`` (when the author previews) applies the rules for submitting, so
    a take-over proposal without its details is caught before the preview, not at submit.
    """

    committee = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Committee.objects.all(),
        help_text=_("The neighbourhood committee for the area the proposal is about."),
        error_messages={
            "required": _("Choose the committee the proposal goes to."),
            "invalid_choice": _("Choose a committee from the list."),
        },
    )
    latitude = CoordinateField(
        axis=LATITUDE,
        label=_("Latitude"),
        help_text=_("Decimal degrees, e.g. 59.39670."),
    )
    longitude = CoordinateField(
        axis=LONGITUDE,
        label=_("Longitude"),
        help_text=_("Decimal degrees, e.g. 9.96810."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        # An empty file is refused by the app's own check (core.attachments), which names it.
        allow_empty_file=True,
        widget=MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
    )

    class Meta:
        model = Proposal
        fields = [
            "committee",
            "kind",
            "category",
            "title",
            "summary",
            "body",
            "location_text",
            "latitude",
            "longitude",
            *TAKEOVER_FORM_FIELDS,
        ]
        widgets = {
            "kind": KindRadioSelect(),
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            "body": forms.Textarea(attrs={"rows": 12, "maxlength": 10_000}),
            "municipality_provides": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        }
        labels = {
            "kind": _("What kind of proposal is it?"),
            "category": _("Topic"),
            "title": _("Title"),
            "summary": _("Short summary"),
            "body": _("Description"),
            "location_text": _("Place"),
            "task": _("Which task"),
            "season": _("Season or frequency"),
            "volunteer_hours_per_year": _("Estimated volunteer hours per year"),
            "compensation_per_year": _("Compensation asked (NOK per year)"),
            "municipality_provides": _("What the municipality must provide"),
        }
        error_messages = {
            "title": {"required": _("Write a title for the proposal.")},
            "summary": {"required": _("Write a short summary of the proposal.")},
            "body": {"required": _("Write a description of the proposal.")},
        }
        help_texts = {
            "title": _("At most 140 characters."),
            "summary": _("One or two sentences shown in lists. At most 300 characters."),
            "body": _(
                "What you propose, why, and who it is for. At most 10,000 characters. "
                "Everything you write is published when you submit the proposal."
            ),
            "location_text": _("A street, an area or a building, e.g. “Svarstad school”."),
            "task": _("E.g. “raising the flags on public holidays”."),
            "season": _("E.g. “about 15 days a year” or “every week from May to September”."),
            "compensation_per_year": _("Write 0 if the committee asks for no compensation."),
            "municipality_provides": _("Equipment, keys, training or anything else."),
        }

    def __init__(self, *args, existing_count: int = 0, require_complete: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_count = existing_count
        self.require_complete = require_complete
        self.fields["committee"].choices = committee_choices()
        self.fields["kind"].choices = list(Kind.choices)
        self.fields["title"].widget.attrs["maxlength"] = 140
        # forms/ds_field.html shows ``required_note`` instead of "(optional)": on exactly the
        # fields the submit rule (models.TAKEOVER_REQUIRED) asks of a take-over proposal.
        for name in TAKEOVER_REQUIRED:
            self.fields[name].required_note = REQUIRED_FOR_TAKEOVER
        self.fields["location_text"].required_note = REQUIRED_FOR_TAKEOVER_PLACE
        limits = settings.PROPOSALS
        self.fields["attachments"].help_text = _(
            "PDF, PNG or JPEG, at most %(mb)d MB each and %(n)d files in all. "
            "Attachments are published with the proposal."
        ) % {
            "mb": limits["ATTACHMENT_MAX_BYTES"] // (1024 * 1024),
            "n": limits["ATTACHMENT_MAX_COUNT"],
        }

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        problems = []
        for index, uploaded_file in enumerate(files):
            problems += services.attachment_problems(
                uploaded_file=uploaded_file, existing_count=self.existing_count + index
            )
        if problems:
            # The count problem repeats for each file over the limit: say it once.
            raise ValidationError(list(dict.fromkeys(problems)))
        return files

    def clean(self):
        cleaned = super().clean()
        if self.require_complete:
            # The service's rule for submitting, so the preview catches what submit would refuse.
            for name, message in submit_problems(cleaned).items():
                if name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def draft_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.DRAFT_FIELDS}

    @property
    def takeover_fields(self):
        return [self[name] for name in TAKEOVER_FORM_FIELDS]

    @property
    def main_fields(self):
        return [self[name] for name in ("title", "summary", "body")]

    @property
    def place_fields(self):
        return [self[name] for name in ("location_text", "latitude", "longitude")]


class TransitionForm(StepMessageForm):
    """The case's step page (``core.forms.StepMessageForm``) with the case's message limit."""

    message_max_length = MESSAGE_MAX_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the message.")},
    )
    answer_by = forms.DateField(
        label=_("Ask for an answer by"),
        required=False,
        widget=DateInput(),
        validators=[not_in_the_past],
        help_text=_("The other side is reminded before this day."),
    )
