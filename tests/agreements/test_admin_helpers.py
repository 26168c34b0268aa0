"""Helpers for the agreements' admin tests (no tests here): logging in, and posting a change
page back as the browser would — every field and inline as drawn, with the changes a test
makes."""

from django.urls import reverse

CHANGELIST = reverse("admin:agreements_agreement_changelist")
ADD = reverse("admin:agreements_agreement_add")
PAYMENTS = reverse("admin:agreements_payment_changelist")
REPORTS = reverse("admin:agreements_reportduty_changelist")


def change_url(agreement) -> str:
    return reverse("admin:agreements_agreement_change", args=[agreement.pk])


def history_url(agreement) -> str:
    return reverse("admin:agreements_agreement_history", args=[agreement.pk])


def login(client, user):
    client.cookies["nmu_language"] = "en"
    client.force_login(user)
    return client


def _value(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def form_values(form) -> dict:
    """What the browser posts for ``form`` as drawn: its fields' current values (an unticked
    box is left out, as a browser does)."""
    data = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        if isinstance(value, bool) or (value is None and bound.widget_type == "checkbox"):
            if value:
                data[bound.html_name] = "on"
            continue
        data[bound.html_name] = _value(value)
    return data


def page_data(response) -> dict:
    """The add or change page's form and inlines as drawn (the extra empty rows left out)."""
    context = response.context
    data = form_values(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        initial = formset.initial_form_count()
        management = form_values(formset.management_form)
        management[f"{formset.prefix}-TOTAL_FORMS"] = str(initial)
        data.update(management)
        for form in formset.forms[:initial]:
            data.update(form_values(form))
    data["_save"] = "Save"
    return data


def add_row(data: dict, prefix: str, **fields) -> dict:
    """One new inline row on ``prefix`` (``tasks``, ``provisions``, ``payments``,
    ``report_duties``)."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = _value(value)
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    return data
