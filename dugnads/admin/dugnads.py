"""Dugnads in the admin: for the municipality to see what the committees hold and what they ask
of it. A dugnad is the committee's: it is created, changed, published, cancelled and reported
on the committee's pages through the services, so here it is shown, never edited (administrators
included). Its resources are answered from the work list (``work_list``) or from each
request's page, linked from the dugnad's."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from core.formatting import local_datetime, public_name

from ..models import Dugnad, DugnadEvent, Need, Resource
from .exports import export_csv
from .filters import DugnadDepartmentFilter, UnansweredResourcesFilter
from .queries import with_admin_figures


class NeedInline(ReadOnlyInline):
    model = Need
    fields = ["title", "people"]
    ordering = ["order", "pk"]


class ResourceInline(ReadOnlyInline):
    """The resources and their answers; each links to its page, where it is answered."""

    model = Resource
    fields = ["resource_link", "department", "details", "state", "answer", "answered"]
    ordering = ["pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "answered_by")

    @admin.display(description=_("resource"))
    def resource_link(self, obj):
        url = reverse("admin:dugnads_resource_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.get_kind_display())

    @admin.display(description=_("answered"))
    def answered(self, obj):
        if not obj.answered_at:
            return "–"
        return f"{local_datetime(obj.answered_at)}, {public_name(obj.answered_by)}"


class DugnadEventInline(ReadOnlyInline):
    model = DugnadEvent
    verbose_name = _("timeline entry")
    verbose_name_plural = _("Timeline (newest first)")
    fields = [
        "created_at",
        "kind",
        "actor_name",
        "actor_party",
        "from_state",
        "to_state",
        "message",
    ]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("by"))
    def actor_name(self, obj):
        return public_name(obj.actor) if obj.actor_id else _("The portal")


@admin.register(Dugnad)
class DugnadAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "committee",
        "starts_at",
        "state",
        "places",
        "unanswered",
    ]
    list_filter = [
        "state",
        UnansweredResourcesFilter,
        DugnadDepartmentFilter,
        ("committee", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["committee"]
    search_fields = ["title", "committee__name"]
    search_help_text = _("Search by title or committee.")
    date_hierarchy = "starts_at"
    ordering = ["-starts_at", "-pk"]
    list_per_page = 50
    inlines = [ResourceInline, NeedInline, DugnadEventInline]
    actions = [export_csv]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "committee",
                    "state",
                    ("starts_at", "ends_at"),
                    "meeting_point",
                    ("latitude", "longitude"),
                    "public_page",
                ]
            },
        ),
        (
            _("Sign-up"),
            {"fields": ["places", "signup_deadline", "reminder_hours"]},
        ),
        (
            _("The municipality"),
            {"fields": ["resources_due", "unanswered"]},
        ),
        (
            _("The committee"),
            {"fields": ["organiser_names", "created_by_name", "origin", "published_at"]},
        ),
        (_("Description"), {"fields": ["description"]}),
        (
            _("Report"),
            {"fields": ["participant_count", "hours_total", "report", "reported_at"]},
        ),
    ]

    def get_queryset(self, request):
        return with_admin_figures(
            super()
            .get_queryset(request)
            .select_related("committee", "created_by", "origin_proposal")
        )

    def get_readonly_fields(self, request, obj=None):
        return [field for _name, options in self.fieldsets for field in _flat(options["fields"])]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._organisers = list(obj.organisers.all())
        return obj

    @admin.display(description=_("places"), ordering="people_confirmed")
    def places(self, obj):
        taken = obj.people_confirmed
        text = f"{taken} / {obj.capacity}" if obj.capacity else str(taken)
        if obj.people_waiting:
            text += " " + str(_("(%(count)d waiting)") % {"count": obj.people_waiting})
        return text

    @admin.display(description=_("unanswered resources"), ordering="unanswered_count")
    def unanswered(self, obj):
        return obj.unanswered_count

    @admin.display(description=_("organisers"))
    def organiser_names(self, obj):
        people = getattr(obj, "_organisers", None) or []
        return ", ".join(public_name(person) for person in people) or "–"

    @admin.display(description=_("created by"))
    def created_by_name(self, obj):
        return public_name(obj.created_by) if obj.created_by_id else "–"

    @admin.display(description=_("from the proposal"))
    def origin(self, obj):
        if not obj.origin_proposal_id:
            return "–"
        url = reverse("admin:proposals_proposal_change", args=[obj.origin_proposal_id])
        return format_html('<a href="{}">{}</a>', url, obj.origin_proposal)

    @admin.display(description=_("on the portal"))
    def public_page(self, obj):
        if not obj.is_public:
            return _("Not public (a draft).")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("The dugnad's page"))


def _flat(fields) -> list[str]:
    """A fieldset's fields, a row of several (a tuple) as its names."""
    return [name for field in fields for name in (field if isinstance(field, tuple) else (field,))]
