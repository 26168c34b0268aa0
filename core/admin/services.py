"""A change page that saves through services, with their refusals on its form.

Django's change page validates the form, then saves (``save_model``), then redirects; a
``ValidationError`` raised while saving is a server error. With services doing the writes, the
rules live in the services, so their refusals must reach the form. This mixin moves the save
into validation: the services run as the form's last validation step, and when one says no its
messages become the form's errors, and Django shows the page again as for any invalid form.
"""

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.template.response import TemplateResponse

from core.forms import apply_service_errors

from .lookups import SafeLookupsMixin


def renamed(error: ValidationError, fields: dict[str, str]) -> ValidationError:
    """``error`` with the field names a service used mapped to the form's (``fields``); names
    that are not mapped stay (they show above the form unless the form has such a field)."""
    if not fields or not hasattr(error, "error_dict"):
        return error
    errors: dict[str, list] = {}
    for name, texts in error.error_dict.items():
        errors.setdefault(fields.get(name, name), []).extend(texts)
    return ValidationError(errors)


class ServiceBackedAdminMixin(SafeLookupsMixin):
    """A ``ModelAdmin`` whose add and change pages save only through services.

    Write ``save_through_services(request, obj, form, change)``: call the services for this
    save (``obj`` is the form's instance with the form's values, as in ``save_model``; on an
    add, set ``obj.pk`` to what the service created) and return what to tell the user.

    - It runs when the form is validated, after the form's own checks, and only if they passed,
      in a savepoint. A ``ValidationError`` rolls the savepoint back and goes onto the form:
      next to the field it names (``service_error_fields`` maps a service's field names to the
      form's, e.g. ``{"body": "message"}``), else above the form. The page is shown again with
      the errors, as Django shows any invalid form.
    - Whenever the page is shown again after a POST (a service's refusal, an inline's errors),
      the request's transaction is rolled back: nothing is ever half-saved.
    - ``save_model`` writes nothing; it shows the messages the services' save returned, once the
      whole page was saved. Inlines and many-to-many fields are saved by Django afterwards, in
      the same transaction; an admin whose inlines are read-only has none.
    """

    service_error_fields: dict[str, str] = {}

    def save_through_services(self, request, obj, form, change) -> Iterable[str] | None:
        raise NotImplementedError(f"{type(self).__name__} must save through its services.")

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        change = obj is not None
        model_admin = self

        class ServiceBackedForm(form_class):
            def full_clean(self):
                super().full_clean()
                if self.is_bound and not self._errors:
                    model_admin._save_while_validating(request, self, change)

        ServiceBackedForm.__name__ = form_class.__name__
        ServiceBackedForm.__qualname__ = form_class.__qualname__
        return ServiceBackedForm

    def _save_while_validating(self, request, form, change) -> None:
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                said = self.save_through_services(request, form.instance, form, change)
        except ValidationError as error:
            apply_service_errors(form, renamed(error, self.service_error_fields))
        else:
            form.service_messages = list(said or [])

    def save_model(self, request, obj, form, change):
        """The services saved the object while the form was validated; say what they did."""
        for text in getattr(form, "service_messages", ()):
            self.message_user(request, text, messages.SUCCESS)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic(using=router.db_for_write(self.model)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if _shows_the_form_again(response):
                transaction.set_rollback(True)
        return response


def _shows_the_form_again(response) -> bool:
    """The change page's own template came back (not a redirect, an action's intermediate page
    or a popup's reply): something on the page was refused."""
    return isinstance(response, TemplateResponse) and "adminform" in (response.context_data or {})
