from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.forms.renderers import TemplatesSetting


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


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the field it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
