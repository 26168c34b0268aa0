"""The department's work list: every resource a committee asked the municipality for, the most
urgent answer deadline first, opening on the user's own department.

Nothing on a request is edited here: the committee writes the request, and the municipality
answers it with the actions "Confirm" and "Decline (with reason)", from the list or from the
request's own page, through ``services.resources.resource_answer`` (one transaction per
request: one that cannot be answered any more is reported, the others are answered)."""

from django.contrib import admin
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from committees.work_lists import WorkListDepartmentFilter
from core.admin import BOTH_PLACES, ConfirmedActionsMixin, ReadOnlyAdmin
from core.deadlines import is_overdue
from core.formatting import local_date, local_datetime, public_name

from ..models import Resource, ResourceState, State
from ..services.resources import can_answer_resource, resource_answer
from .filters import OverdueFilter
from .forms import ConfirmResourceForm, DeclineResourceForm


def resource_is_overdue(resource: Resource, *, today=None) -> bool:
    return (
        resource.state == ResourceState.REQUESTED
        and resource.dugnad.state == State.PUBLISHED
        and is_overdue(resource.dugnad.resources_due, today=today)
    )


@admin.register(Resource)
class ResourceAdmin(ConfirmedActionsMixin, ReadOnlyAdmin):
    list_display = [
        "dugnad_title",
        "committee_name",
        "kind",
        "details",
        "department",
        "due",
        "overdue",
        "state",
        "dugnad_starts",
    ]
    list_display_links = ["dugnad_title", "kind"]
    list_filter = [
        WorkListDepartmentFilter,
        "state",
        OverdueFilter,
        "kind",
        ("dugnad__committee", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["dugnad", "dugnad__committee", "department", "answered_by"]
    search_fields = ["dugnad__title", "dugnad__committee__name", "details"]
    search_help_text = _("Search by the dugnad's title, the committee or the details.")
    # The work list: the nearest answer deadline first, then the dugnad's start.
    ordering = [F("dugnad__resources_due").asc(nulls_last=True), "dugnad__starts_at", "pk"]
    list_per_page = 50
    actions = ["confirm", "decline"]
    fields = [
        "dugnad_link",
        "committee_name",
        "dugnad_starts",
        "kind",
        "department",
        "details",
        "due",
        "overdue",
        "state",
        "answer",
        "answered_by_name",
        "answered_at",
        "requested_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # A draft's lines are the committee's plan: the department is asked when it is published.
        return (
            super()
            .get_queryset(request)
            .exclude(dugnad__state=State.DRAFT)
            .select_related(*self.list_select_related)
        )

    def has_answer_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("dugnads.answer_resource") and can_answer_resource(
            request.user
        )

    def object_label(self, obj) -> str:
        return f"{obj.get_kind_display()} – {obj.dugnad.title} ({obj.get_state_display()})"

    # --- columns ---

    @admin.display(description=_("dugnad"), ordering="dugnad__title")
    def dugnad_title(self, obj):
        return obj.dugnad.title

    @admin.display(description=_("dugnad"))
    def dugnad_link(self, obj):
        url = reverse("admin:dugnads_dugnad_change", args=[obj.dugnad_id])
        return format_html('<a href="{}">{}</a>', url, obj.dugnad.title)

    @admin.display(description=_("committee"), ordering="dugnad__committee__name")
    def committee_name(self, obj):
        return obj.dugnad.committee.name

    @admin.display(description=_("starts"), ordering="dugnad__starts_at")
    def dugnad_starts(self, obj):
        return local_datetime(obj.dugnad.starts_at)

    @admin.display(description=_("answer by"), ordering="dugnad__resources_due")
    def due(self, obj):
        return local_date(obj.dugnad.resources_due) or "–"

    @admin.display(description=_("overdue"))
    def overdue(self, obj):
        if not resource_is_overdue(obj, today=timezone.localdate()):
            return ""
        return format_html(
            "<strong>{}</strong>",
            pgettext("marker on a resource request not answered in time", "Overdue"),
        )

    @admin.display(description=_("answered by"))
    def answered_by_name(self, obj):
        return public_name(obj.answered_by) if obj.answered_by_id else "–"

    # --- actions: the municipality's answer, through the service ---

    def _answer(self, request, objects, *, confirmed: bool, answer: str):
        self.run_each(
            request,
            objects,
            lambda resource: resource_answer(
                resource=resource, actor=request.user, confirmed=confirmed, answer=answer
            ),
            done_message=lambda n: (
                (
                    ngettext(
                        "%(count)d resource request confirmed.",
                        "%(count)d resource requests confirmed.",
                        n,
                    )
                    if confirmed
                    else ngettext(
                        "%(count)d resource request declined.",
                        "%(count)d resource requests declined.",
                        n,
                    )
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Confirm"), permissions=["answer"], location=BOTH_PLACES)
    def confirm(self, request, queryset):
        return self.form_action(
            request,
            list(queryset),
            action="confirm",
            form_class=ConfirmResourceForm,
            title=_("Confirm the resource requests"),
            submit_label=_("Confirm"),
            intro=_(
                "The municipality provides what was asked for. The organisers are told, with "
                "your note."
            ),
            run=lambda objects, data: self._answer(
                request, objects, confirmed=True, answer=data["answer"]
            ),
        )

    @admin.action(
        description=_("Decline (with reason)"), permissions=["answer"], location=BOTH_PLACES
    )
    def decline(self, request, queryset):
        return self.form_action(
            request,
            list(queryset),
            action="decline",
            form_class=DeclineResourceForm,
            title=_("Decline the resource requests"),
            submit_label=_("Decline"),
            intro=_(
                "The municipality cannot provide what was asked for. The organisers are told, "
                "with your reason."
            ),
            run=lambda objects, data: self._answer(
                request, objects, confirmed=False, answer=data["answer"]
            ),
        )
