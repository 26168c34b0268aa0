"""Admin actions that call services: one object at a time, and, when they need input or do
something that cannot be undone, after an intermediate page.

The intermediate page works like Django's delete confirmation: it posts back to the same action
with ``apply`` and the selected objects, from the list or from the object's own page (an action
with ``location=BOTH_PLACES``). Three shapes:

- ``confirmed_action``: a page that says what will happen, then ``run(objects)``;
- ``form_action``: a form, then ``run(objects, cleaned_data)`` when it comes back valid;
- ``previewed_action``: a form, then a preview of exactly what will happen; only the preview's
  confirm button (``_confirm``) runs it, and "Back" (``_back``) shows the form as it was.

Each object is handled in its own transaction (``run_each``): one the services refuse is
reported with their reason, and the others are still done.
"""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.forms import apply_service_errors

BOTH_PLACES = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
CONFIRMATION_TEMPLATE = "admin/core/action_confirmation.html"


def counted(message) -> Callable[[int], str]:
    """A ``done_message`` from ``ngettext_lazy(singular, plural, "count")``: the literal call
    is what ``makemessages`` extracts (a plural passed on as variables never reaches the
    catalogue, and the message then stays English), and the number picks the form."""
    return lambda n: message % {"count": n}


class ServiceActionsMixin:
    """``run_each``: a service call per selected object, each in its own transaction."""

    def run_each(self, request, objects, do: Callable, *, done_message: Callable[[int], str]):
        """``do(obj)`` for each object; a refusal (``ValidationError``) is shown as
        "<object>: <reason>" and the others go on. ``done_message(n)`` says how many were done."""
        done = 0
        for obj in objects:
            try:
                with transaction.atomic():
                    do(obj)
            except ValidationError as error:
                self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        return done


class ConfirmedActionsMixin(ServiceActionsMixin):
    """Actions with an intermediate page, run from the list or from one object's page.

    ``confirmation_template`` may extend ``admin/core/action_confirmation.html`` to show a
    preview its own way (its ``preview`` block)."""

    confirmation_template = CONFIRMATION_TEMPLATE

    def object_label(self, obj) -> str:
        """How a selected object is named on the intermediate page."""
        return str(obj)

    def confirmation_page(
        self, request, objects, *, action, title, submit_label, form=None, intro="", extra=None
    ):
        change_form_field = f"{admin.ActionLocation.CHANGE_FORM.value}-action"
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "objects": [{"pk": obj.pk, "label": self.object_label(obj)} for obj in objects],
            "form": form,
            "intro": intro,
            "submit_label": submit_label,
            "action_name": action,
            # The same action posts back to where it started: the list or the object's page.
            "action_field": change_form_field if change_form_field in request.POST else "action",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + (form.media if form is not None else forms.Media()),
            **(extra or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.confirmation_template, context)

    def confirmed_action(self, request, objects, *, run: Callable, **page):
        """The page (``action``, ``title``, ``submit_label``, ``intro``), then ``run(objects)``."""
        if "apply" in request.POST:
            run(objects)
            return None
        return self.confirmation_page(request, objects, **page)

    def form_action(self, request, objects, *, form_class, run: Callable, initial=None, **page):
        """The form; when it comes back valid (``apply``), ``run(objects, cleaned_data)``."""
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                run(objects, form.cleaned_data)
                return None
        else:
            form = form_class(initial=initial)
        return self.confirmation_page(request, objects, form=form, **page)

    def previewed_action(
        self,
        request,
        objects,
        *,
        form_class,
        preview: Callable,
        confirm: Callable,
        preview_intro: str,
        confirm_label: str,
        **page,
    ):
        """Form, then exactly what will happen, then doing it.

        ``preview(objects, cleaned_data)`` gives the preview's context (its ``preview`` list at
        least) or raises ``ValidationError`` to say why it cannot be done (shown on the form).
        ``confirm(objects, cleaned_data)`` runs only on the preview's confirm button. The
        preview posts the form's data back in hidden fields, and it is validated again."""
        extra = page.pop("extra", None) or {}
        if "apply" not in request.POST:
            return self.confirmation_page(request, objects, form=form_class(), extra=extra, **page)
        form = form_class(request.POST)
        if form.is_valid() and "_back" not in request.POST:
            try:
                shown = preview(objects, form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if "_confirm" in request.POST:
                    confirm(objects, form.cleaned_data)
                    return None
                page["intro"] = preview_intro
                extra = {
                    **extra,
                    **shown,
                    "confirm_label": confirm_label,
                    "back_label": _("Back"),
                }
        return self.confirmation_page(request, objects, form=form, extra=extra, **page)
