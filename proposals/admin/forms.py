"""The admin's forms: the case page's, each action's intermediate page's, and the answers'.

They check what a form can see (a field left empty, a template for another decision); every
rule about the case itself is the services', whose refusals come back onto these forms
(``core.admin``).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils.translation import gettext_lazy as _

from committees.models import Department
from committees.staff import case_handlers  # who may be given a case: the one rule (queue too)
from core.forms import DateInput
from core.validators import not_in_the_past

from .. import services
from ..models import (
    DIALOGUE_STATES,
    MESSAGE_MAX_LENGTH,
    OUTCOMES,
    AnswerTemplate,
    OfficialAnswer,
    Proposal,
    State,
)
from ..services.answers import answer_template_problems

User = get_user_model()


def _textarea(rows=8):
    return forms.Textarea(attrs={"rows": rows, "cols": 80})


class ProposalAdminForm(forms.ModelForm):
    """The change page edits only the assignment, and takes an internal note and, while the
    dialogue is open, a message to the committee."""

    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        max_length=10_000,
        widget=_textarea(4),
        help_text=_(
            "Added to the timeline for municipal staff only. "
            "The author, the committee and the public never see it."
        ),
    )
    committee_message = forms.CharField(
        label=_("Message to the committee"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=_textarea(4),
        help_text=_(
            "Written in the case's dialogue with the committee: the committee's board is told, "
            "and the author can read it."
        ),
    )
    answer_by = forms.DateField(
        label=_("Ask for an answer by"),
        required=False,
        widget=DateInput(),
        validators=[not_in_the_past],
        help_text=_(
            "Optional. The committee is reminded before this day, and the date is shown as "
            "its deadline until it answers."
        ),
    )

    class Meta:
        model = Proposal
        fields = ["department", "handler"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "handler" in self.fields:  # the case's own handler stays a choice, whoever it is
            self.fields["handler"].queryset = case_handlers(including_pk=self.instance.handler_id)
        if self.instance.state not in DIALOGUE_STATES:
            for name in ("committee_message", "answer_by"):
                self.fields.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        for name in ("department", "handler"):
            if name in self.changed_data and self.initial.get(name) and not cleaned.get(name):
                self.add_error(
                    name,
                    _("A case cannot be left without one. Choose another to hand it over."),
                )
        if cleaned.get("answer_by") and not (cleaned.get("committee_message") or "").strip():
            self.add_error(
                "committee_message", _("Write the message that asks the committee for an answer.")
            )
        return cleaned


class ActionInputForm(forms.Form):
    """What an action asks for on its intermediate page."""

    required_css_class = "required"  # the admin's bold label for a required field


class PreliminaryAnswerForm(ActionInputForm):
    message = forms.CharField(
        label=_("Preliminary answer"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=_textarea(),
        help_text=_(
            "Say that the municipality has received the proposal and when the committee can "
            "expect an answer. It is shown on the proposal's public timeline."
        ),
        error_messages={"required": _("Write the preliminary answer.")},
    )


class InfoRequestForm(ActionInputForm):
    question = forms.CharField(
        label=_("Question to the committee"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=_textarea(),
        error_messages={"required": _("Write the question to the committee.")},
    )
    due = forms.DateField(
        label=_("Answer by"),
        widget=DateInput(),
        validators=[not_in_the_past],
        help_text=_("The last day the committee has to answer."),
    )


class ActiveTemplateField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=AnswerTemplate.objects.filter(is_active=True), **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_outcome_display()})"


class DecideForm(ActionInputForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", BLANK_CHOICE_LABEL), *((s.value, s.label) for s in OUTCOMES)],
        help_text=_("Leave empty to use the template's decision."),
    )
    template = ActiveTemplateField(
        label=_("Answer template"),
        required=False,
        help_text=_(
            "Press “Fill in the template” to put its text in the answer below, and edit it there."
        ),
    )
    body = forms.CharField(
        label=_("Official answer"),
        required=False,
        max_length=10_000,
        widget=_textarea(14),
        help_text=_(
            "Published with the decision. {title}, {reference} and {committee} are filled in "
            "for each proposal. Replace any text in [brackets] before publishing. You see the "
            "text for each proposal before it is published."
        ),
    )

    def __init__(self, *args, prefill=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.prefill = prefill  # "Fill in the template": the answer is not written yet

    def clean(self):
        cleaned = super().clean()
        template = cleaned.get("template")
        outcome = cleaned.get("outcome")
        if template is not None and outcome and template.outcome != outcome:
            self.add_error(
                "template",
                _(
                    "The template “%(template)s” is for the decision “%(template_outcome)s”, "
                    "not “%(outcome)s”. Choose a template for the same decision, or change "
                    "the decision."
                )
                % {
                    "template": template.name,
                    "template_outcome": template.get_outcome_display(),
                    "outcome": State(outcome).label,
                },
            )
        elif not outcome:
            if template is not None:
                cleaned["outcome"] = template.outcome
            elif not self.prefill and "template" not in self.errors:
                self.add_error("outcome", _("Choose the decision."))
        if not self.prefill and not (cleaned.get("body") or "").strip():
            self.add_error(
                "body",
                _(
                    "Write the official answer. To start from a template, choose it and press "
                    "“Fill in the template”."
                ),
            )
        return cleaned


class TemplateForm(ActionInputForm):
    template = ActiveTemplateField(
        label=_("Answer template"),
        error_messages={"required": _("Choose the template to answer with.")},
        help_text=_(
            "Each proposal gets the template's decision and text, with its own title, "
            "reference and committee filled in. You see the text for each proposal before it "
            "is published."
        ),
    )

    def clean_template(self):
        template = self.cleaned_data["template"]
        if template is not None and services.FILL_IN_MARKER.search(template.body):
            raise ValidationError(
                _(
                    "“%(template)s” has text in [brackets] that must be written for each "
                    "proposal. Use “%(action)s” to fill it in and edit it for each proposal."
                )
                % {"template": template.name, "action": _("Decide with an official answer")}
            )
        return template


class HandlerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} <{obj.email}>" if obj.full_name else obj.email


class AssignForm(ActionInputForm):
    department = forms.ModelChoiceField(
        label=_("Municipal department"),
        queryset=Department.objects.all(),
        required=False,
        help_text=_("Leave empty to use the case handler's department."),
    )
    handler = HandlerField(label=_("Case handler"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = case_handlers()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("department") and not cleaned.get("handler") and not self.errors:
            raise ValidationError(_("Choose a department, a case handler or both."))
        return cleaned


class OfficialAnswerForm(forms.ModelForm):
    """A draft answer. Who may write one and on which case is the service's rule
    (``answer_save_draft``); its refusals show on this form."""

    class Meta:
        model = OfficialAnswer
        fields = ["proposal", "outcome", "body"]
        widgets = {"body": _textarea(14)}
        help_texts = {
            "body": _(
                "Saved as a draft. It can be published (with the decision) once any text in "
                "[brackets] has been replaced."
            )
        }


class AnswerTemplateForm(forms.ModelForm):
    class Meta:
        model = AnswerTemplate
        fields = ["name", "outcome", "body", "is_active"]
        widgets = {"body": _textarea(14)}
        help_texts = {
            "body": _(
                "{title}, {reference} and {committee} are replaced by the proposal's title, "
                "reference and committee; no other words in curly brackets can be used. Put text "
                "that must be written for each case in [square brackets], like [write which "
                "parts and why]: the answer cannot be published until it has been replaced, and "
                "the template cannot be used with “Answer with a template”."
            )
        }

    def clean_body(self):
        body = self.cleaned_data["body"]
        # The service's list of placeholders, the one answer_template_fill fills in.
        if problems := answer_template_problems(body=body):
            raise ValidationError(problems)
        return body
