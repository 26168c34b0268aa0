"""The parties' forms on an agreement: a step's message (a termination's reason), and the
department to draft an agreement with when a take-over proposal names none."""

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.models import Department
from core.forms import StepMessageForm

# A step's message goes on the timeline both parties (and, once signed, the public) read.
STEP_MESSAGE_MAX_LENGTH = 2_000


class AgreementStepForm(StepMessageForm):
    """A step page's message (a termination's reason), within the timeline's limit."""

    message_max_length = STEP_MESSAGE_MAX_LENGTH


class DraftFromProposalForm(forms.Form):
    """ "Lag avtaleutkast": the municipal department that is party to the agreement. Optional:
    the proposal's own department is used when none is chosen (the service says when neither
    is there)."""

    department = forms.ModelChoiceField(
        label=_("Municipal department"),
        queryset=Department.objects.order_by("name"),
        required=False,
        help_text=_("Leave empty to use the department the proposal is assigned to."),
    )
