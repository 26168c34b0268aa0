"""The agreement page's inlines: its terms' lines (tasks, what the municipality provides, the
payment plan, the report duties), saved through the services, and the records the services
write (signatures, the timeline), shown read-only.

``ServiceBackedInline``: an editable inline whose rows are saved by a service
(``save(agreement=, actor=, pk=, **fields)`` and ``delete(agreement=, actor=, pk=)``), never
by ``formset.save()``. The services run when the formset is validated, after the agreement's
own form was saved through its service (``core.admin.ServiceBackedAdminMixin``): a refusal
becomes the row's error (or the formset's), and the page is shown again — and then the whole
request is rolled back, so nothing is half-saved. Once both parties have signed, the terms are
fixed (``EDITABLE_STATES``): the lines are shown, not editable."""

from collections.abc import Callable

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInline
from core.admin.labels import LabelledRowsFormSetMixin
from core.formatting import local_datetime, public_name
from core.forms import apply_service_errors

from ..models import (
    EDITABLE_STATES,
    AgreementEvent,
    Payment,
    PaymentSource,
    Provision,
    ReportDuty,
    Signature,
    Task,
)
from ..services import terms as services


def is_editable(agreement) -> bool:
    return agreement is None or agreement.state in EDITABLE_STATES


class ServiceBackedInline(admin.TabularInline):
    extra = 0
    save_service: Callable
    delete_service: Callable

    def _editable(self, request, obj) -> bool:
        return is_editable(obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        formset_class = super().get_formset(request, obj, **kwargs)
        inline = self

        class ServiceBackedFormSet(LabelledRowsFormSetMixin, formset_class):
            def clean(self):
                super().clean()
                inline.save_rows(request, self)

            def save(self, commit=True):
                # Saved while validating (``save_rows``); Django's change message reads these.
                return []

        ServiceBackedFormSet.__name__ = formset_class.__name__
        return ServiceBackedFormSet

    def row_fields(self, form) -> dict:
        """What the service gets for a row: the form's own fields (not the key, the parent or
        the delete box)."""
        skip = {form._meta.model._meta.pk.name, "agreement", "DELETE"}
        return {name: form.cleaned_data[name] for name in form.fields if name not in skip}

    def save_rows(self, request, formset) -> None:
        """Each changed, new or deleted row through its service. Skipped when the agreement
        was not saved (its own form was refused) or a row has errors of its own."""
        agreement = formset.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        deleted = {
            form
            for form in formset.forms
            if formset.can_delete and formset._should_delete_form(form)
        }
        if agreement.pk is None or any(
            form.errors for form in formset.forms if form not in deleted
        ):
            return
        refused = []
        for form in formset.forms:
            existing = form.instance.pk if not form.instance._state.adding else None
            if form in deleted:
                if existing is None:
                    continue
                try:
                    self.delete_service(agreement=agreement, actor=request.user, pk=existing)
                except ValidationError as error:
                    # A deleted row is not validated as a form: its refusal is the formset's.
                    refused.extend(error.messages)
                else:
                    formset.deleted_objects.append(form.instance)
                continue
            try:
                if form.has_changed():
                    saved = self.save_service(
                        agreement=agreement,
                        actor=request.user,
                        pk=existing,
                        **self.row_fields(form),
                    )
                    if existing is None:
                        formset.new_objects.append(saved)
                    else:
                        formset.changed_objects.append((saved, form.changed_data))
            except ValidationError as error:
                apply_service_errors(form, error)
        if refused:
            raise ValidationError(refused)


class TaskInline(ServiceBackedInline):
    model = Task
    fields = [
        "position",
        "kind",
        "description",
        "locations",
        "season",
        "frequency",
        "hours_per_year",
        "pricing",
        "amount",
        "occasions_per_year",
    ]
    save_service = staticmethod(services.task_save)
    delete_service = staticmethod(services.task_delete)


class ProvisionInline(ServiceBackedInline):
    model = Provision
    fields = ["kind", "description", "value_per_year"]
    save_service = staticmethod(services.provision_save)
    delete_service = staticmethod(services.provision_delete)


class PaymentPlanInline(ServiceBackedInline):
    """The payment plan (part of the terms). Payments for approved reports' documented costs
    are not terms: they are on the payments' work list. Marking paid is done there too."""

    model = Payment
    verbose_name = _("instalment of the payment plan")
    verbose_name_plural = _("payment plan")
    fields = ["due_on", "amount", "description"]
    ordering = ["due_on", "pk"]
    save_service = staticmethod(services.payment_plan_save)
    delete_service = staticmethod(services.payment_plan_delete)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(source=PaymentSource.PLAN)


class ReportDutyInline(ServiceBackedInline):
    """The reports the committee owes (their due dates are terms); each report itself, with
    its lines, is on its own page in the reports' work list."""

    model = ReportDuty
    fields = ["title", "due_on", "state"]
    readonly_fields = ["state"]
    ordering = ["due_on", "pk"]
    save_service = staticmethod(services.duty_save)
    delete_service = staticmethod(services.duty_delete)


class SignatureInline(ReadOnlyInline):
    """Who signed, when, and the SHA-256 of the terms they saw. The signer's phone is shown to
    staff here (it is left out of public pages and every export)."""

    model = Signature
    fields = [
        "party",
        "signer_name",
        "signer_role",
        "signer_phone",
        "signed_at",
        "terms_sha256",
        "voided_at",
    ]
    ordering = ["signed_at", "pk"]


class AgreementEventInline(ReadOnlyInline):
    model = AgreementEvent
    verbose_name = _("timeline entry")
    verbose_name_plural = _("Timeline (newest first)")
    fields = ["when", "kind", "actor_name", "actor_party", "from_state", "to_state", "message"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("when"))
    def when(self, obj):
        return local_datetime(obj.created_at)

    @admin.display(description=_("by"))
    def actor_name(self, obj):
        return public_name(obj.actor) if obj.actor_id else _("The portal")
