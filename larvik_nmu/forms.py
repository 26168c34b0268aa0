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
