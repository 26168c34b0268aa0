from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .validators import Axis, coordinate_problems


class DesignsystemetBoundField(BoundField):
    """Give every widget Designsystemet's input class, so forms look alike without per-form code."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if not widget.is_hidden:
            attrs["class"] = " ".join(filter(None, [attrs.get("class"), "ds-input"]))
        return attrs


class DesignsystemetFormRenderer(TemplatesSetting):
    """Render every form with Designsystemet markup, errors next to each field."""

    form_template_name = "forms/ds_form.html"
    field_template_name = "forms/ds_field.html"
    bound_field_class = DesignsystemetBoundField


class DateInput(forms.DateInput):
    """The browser's own date picker (ISO value, shown in the user's locale)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's own time picker (24 h ``HH:MM`` value; shown as the user's locale has it)."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class CoordinateField(forms.DecimalField):
    """Latitude or longitude in decimal degrees, stored with five decimals (about a metre).

    Longer values (copied from a map) are rounded rather than refused, a decimal comma is
    accepted, and every problem (not a number, ``nan``/``inf``, out of range) gets the axis's one
    message from ``core.validators``, which says the range and gives an example. Every form with
    a position uses it (a proposal's place, a dugnad's meeting point).
    """

    PLACES = Decimal("0.00001")

    def __init__(self, *, axis: Axis, **kwargs):
        # A text field with a decimal keyboard: a number field drops a typed comma in some
        # browsers (59,0396 became 590396).
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(required=False, **kwargs)
        self.axis = axis
        # By code, so the model's own checks (run by the ModelForm) say the same.
        for code in ("invalid", "min_value", "max_value", "max_digits", "max_whole_digits"):
            self.error_messages[code] = axis.message

    def to_python(self, value):
        if isinstance(value, str) and "," in value and "." not in value:
            value = value.replace(",", ".")
        number = super().to_python(value)
        if coordinate_problems(number, axis=self.axis):
            raise ValidationError(self.axis.message, code="invalid")
        return None if number is None else number.quantize(self.PLACES, rounding=ROUND_HALF_UP)


class StepMessageForm(forms.Form):
    """A step page's one field (``core.steps``): the message that goes with the step, required
    when the step says so, labelled and explained by the step's own texts
    (:func:`core.steps.step_page_texts`). ``message_max_length`` is the app's limit."""

    message_max_length = 2_000

    def __init__(
        self, *args, label=None, required=False, help_text="", required_message=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        field = forms.CharField(
            label=label or _("Comment"),
            required=required,
            max_length=self.message_max_length,  # also the textarea's maxlength
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text=help_text,
        )
        if required_message:
            field.error_messages = {**field.error_messages, "required": required_message}
        self.fields["message"] = field


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the field it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class NorwegianNameSelect(forms.Select):
    """A select of names that are Norwegian whatever the page's language (committees,
    departments): each option says so on a page in another language (WCAG 3.1.2, as
    ``{% content_lang %}`` does for the rest of the page)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        from django.conf import settings

        from .templatetags.core_tags import content_lang

        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value and content_lang():
            option["attrs"]["lang"] = settings.LANGUAGE_CODE
        return option
