"""The committee's annual report page: one document uploaded at a time (which of the checklist's
documents it is, and the file), and the annual meeting (its day and the board it elected, a row
per person). Each form asks the service's own rule (``services.annual_reports``), so the page
says what the service would; the service checks it all again and stays the authority.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from ..models import AnnualReport, DocumentKind
from ..services import annual_reports as service

# Empty rows offered under the people already written (never more than the limit).
EXTRA_ROWS = 3


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Which document"),
        choices=[("", _("Choose the document")), *DocumentKind.choices],
        error_messages={"required": _("Choose which document this is.")},
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": service.DOCUMENT_ACCEPT}),
        error_messages={"required": _("Choose the file to upload.")},
    )

    def __init__(self, *args, existing_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_count = existing_count
        self.fields["file"].help_text = _(
            "PDF, PNG or JPEG, at most %(mb)d MB. At most %(n)d documents in all."
        ) % {"mb": service.max_document_bytes() // (1024 * 1024), "n": service.max_documents()}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problems = service.document_problems(
            uploaded_file=upload, existing_count=self.existing_count
        )
        if problems:
            raise forms.ValidationError(problems)
        return upload


class MeetingForm(forms.Form):
    meeting_on = forms.DateField(
        label=_("The day the annual meeting was held"),
        required=False,
        widget=DateInput(),
        help_text=_("As the minutes say. It is needed before the report is sent."),
    )


class ElectedForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=service.NAME_MAX_LENGTH, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=service.EMAIL_MAX_LENGTH,
        required=False,
        help_text=_("Matches the person's account; without one, they are invited by e-mail."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Choose a role")), *[(r.value, r.label) for r in service.ELECTED_ROLES]],
    )
    term_ends_on = forms.DateField(
        label=_("Elected until"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "As the minutes say. Left empty, the term has no end date: a term the person has "
            "now is replaced by one without an end."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors or not self.has_changed():
            return cleaned
        for name, message in (
            ("name", _("Write the person's name.")),
            ("email", _("Write the person's e-mail address.")),
            ("role", _("Choose the person's role on the board.")),
        ):
            if not cleaned.get(name):
                self.add_error(name, message)
        return cleaned

    def member(self) -> service.Elected:
        cleaned = self.cleaned_data
        return service.Elected(
            name=cleaned["name"],
            email=cleaned["email"],
            role=cleaned["role"],
            term_ends_on=cleaned.get("term_ends_on"),
        )


class BaseElectedFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "too_many_forms": _("The annual meeting's board can have at most %(num)d people."),
        }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.row_label = _("Person %(n)d") % {"n": (index or 0) + 1}

    def kept_forms(self):
        """The rows with something in them (an untouched empty row is nobody)."""
        return [form for form in self.forms if form.has_changed()]

    def members(self) -> list[service.Elected]:
        return [form.member() for form in self.kept_forms()]

    def apply_problems(self, problems: dict) -> bool:
        """Show the service's problems by row (``"1"``, ``"2"``: the kept rows in order) and
        for the whole list (``"members"``); True if any were shown."""
        shown = False
        kept = self.kept_forms()
        for key, messages in problems.items():
            if key.isdigit() and 0 < int(key) <= len(kept):
                kept[int(key) - 1].add_error(None, messages)
                shown = True
            elif key == "members":
                self._non_form_errors = self.error_class(
                    [*self.non_form_errors(), *messages], renderer=self.renderer
                )
                shown = True
        return shown


def elected_formset(*, initial_count: int):
    return forms.formset_factory(
        ElectedForm,
        formset=BaseElectedFormSet,
        extra=max(0, min(EXTRA_ROWS, service.MAX_ELECTED - initial_count)),
        max_num=service.MAX_ELECTED,
        absolute_max=service.MAX_ELECTED,
        validate_max=True,
    )


def initial_elected(report) -> list[dict]:
    return [
        {
            "name": member.name,
            "email": member.email,
            "role": member.role,
            "term_ends_on": member.term_ends_on,
        }
        for member in report.elected.all()
    ]


class ReturnAnnualReportForm(forms.Form):
    """The admin's "Return with a comment": what the committee must correct (required)."""

    comment = forms.CharField(
        label=_("What the committee must correct"),
        help_text=_("The committee sees this on the report's page and sends it again."),
        max_length=AnnualReport._meta.get_field("comment").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what the committee must correct.")},
    )
