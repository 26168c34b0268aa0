"""The municipal staff's workplace for committees. Status changes go through the service
(``core.admin``: its refusals show on the form, and an action reports each committee it could
not change)."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import (
    AccountFieldsMixin,
    ReadOnlyAdmin,
    SafeLookupsMixin,
    ServiceActionsMixin,
    ServiceBackedAdminMixin,
)

from . import selectors, services
from .models import (
    BoardInvitation,
    Committee,
    CommitteeStatus,
    CommitteeStatusChange,
    Department,
    DepartmentStaff,
    Membership,
)


class MembershipInline(SafeLookupsMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "represents", "term_start", "term_end"]
    ordering = ["role", "term_start"]


class CommitteeAdminForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = [
            "name",
            "slug",
            "parent",
            "status",
            "contact_email",
            "support_goal",
            "organisation_number",
            "registered_on",
            "description",
            "area_description",
            "latitude",
            "longitude",
            "location_verified",
            "population",
            "population_0_19",
            "population_reference_date",
            "population_source",
        ]
        # The admin renders help text as HTML; the slug's says "/nmu/<slug>/" in plain text.
        help_texts = {"slug": escape(Committee._meta.get_field("slug").help_text)}

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if self.instance.pk and status and status != self.initial.get("status"):
            current = Committee.objects.get(pk=self.instance.pk)
            current.organisation_number = cleaned.get("organisation_number") or ""
            for problem in services.committee_status_problems(committee=current, status=status):
                self.add_error("status", problem)
        elif not self.instance.pk and status and status != CommitteeStatus.FORMING:
            self.add_error("status", _("A new committee starts as “Forming”."))
        return cleaned


@admin.register(Committee)
class CommitteeAdmin(
    AccountFieldsMixin, ServiceBackedAdminMixin, ServiceActionsMixin, admin.ModelAdmin
):
    form = CommitteeAdminForm
    list_display = [
        "name",
        "parent",
        "status",
        "leader",
        "board_size",
        "organisation_number",
    ]
    list_filter = ["status", "location_verified", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    # Case handlers search by committee, parent area, its contact address or a member's name;
    # by a member's e-mail only administrators (AccountFieldsMixin: who follows what is private).
    search_fields = [
        "name",
        "parent__name",
        "organisation_number",
        "contact_email",
        "memberships__user__full_name",
        "memberships__user__email",
    ]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]
    actions = ["mark_active", "mark_dormant"]
    fieldsets = (
        (None, {"fields": ("name", "slug", "parent", "status", "contact_email")}),
        (
            _("Frivillighetsregisteret"),
            {"fields": ("organisation_number", "registered_on")},
        ),
        (_("Description"), {"fields": ("description", "area_description")}),
        (_("Location"), {"fields": ("latitude", "longitude", "location_verified")}),
        (
            _("Population"),
            {
                "fields": (
                    "population",
                    "population_0_19",
                    "population_reference_date",
                    "population_source",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return selectors.committee_annotate_board(super().get_queryset(request))

    @admin.display(description=_("leader"), ordering="leader_name")
    def leader(self, obj):
        return obj.leader_name or "–"

    @admin.display(description=_("board members"), ordering="board_count")
    def board_size(self, obj):
        return obj.board_count

    def save_through_services(self, request, obj, form, change):
        """The committee's own fields are saved as they are; a new status only through
        ``committee_set_status`` (its rule for every status change)."""
        if change and "status" in form.changed_data:
            new_status = obj.status
            obj.status = form.initial["status"]
            obj.save()
            services.committee_set_status(committee=obj, status=new_status, actor=request.user)
        else:
            obj.save()

    def _set_status(self, request, queryset, status):
        self.run_each(
            request,
            queryset,
            lambda committee: services.committee_set_status(
                committee=committee, status=status, actor=request.user
            ),
            done_message=lambda n: (
                ngettext("%d committee updated.", "%d committees updated.", n) % n
            ),
        )

    @admin.action(description=_("Mark selected committees as active"))
    def mark_active(self, request, queryset):
        self._set_status(request, queryset, CommitteeStatus.ACTIVE)

    @admin.action(description=_("Mark selected committees as dormant"))
    def mark_dormant(self, request, queryset):
        self._set_status(request, queryset, CommitteeStatus.DORMANT)


@admin.register(CommitteeStatusChange)
class CommitteeStatusChangeAdmin(ReadOnlyAdmin):
    """Every committee's status steps (``committee_set_status`` writes them), latest first."""

    list_display = ["created_at", "committee", "from_state", "to_state", "actor"]
    list_filter = ["to_state", "committee"]
    list_select_related = ["committee", "actor"]
    search_fields = ["committee__name"]
    ordering = ["-created_at", "-pk"]
    date_hierarchy = "created_at"


@admin.register(BoardInvitation)
class BoardInvitationAdmin(ReadOnlyAdmin):
    """The invitations the leaders' "add board member" form made: whether each went out and what
    became of it (waiting, accepted, declined, withdrawn, expired). Only administrators see it (no
    staff group is given its view permission): it holds addresses of people who may not have
    signed up, deleted after ``invitations.FORGET_DAYS``."""

    @admin.display(description=_("status"), ordering="status")
    def state(self, invitation):
        return invitation.get_state_display()

    list_display = [
        "created_at",
        "committee",
        "email",
        "role",
        "invited_by",
        "state",
        "sent_at",
        "attempts",
    ]
    list_filter = ["status", ("sent_at", admin.EmptyFieldListFilter), "role", "committee"]
    list_select_related = ["committee", "invited_by"]
    search_fields = ["email", "committee__name"]
    ordering = ["-created_at", "-pk"]
    date_hierarchy = "created_at"


@admin.register(Membership)
class MembershipAdmin(AccountFieldsMixin, SafeLookupsMixin, admin.ModelAdmin):
    list_display = ["user", "committee", "role", "represents", "term_start", "term_end"]
    list_filter = ["role", "represents", "committee"]
    list_select_related = ["user", "committee"]
    search_fields = ["user__email", "user__full_name", "committee__name"]
    autocomplete_fields = ["user", "committee"]
    date_hierarchy = "term_start"


class DepartmentStaffInline(SafeLookupsMixin, admin.TabularInline):
    model = DepartmentStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "staff_count"]
    search_fields = ["name", "email"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DepartmentStaffInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_staff_count=Count("departmentstaff"))

    @admin.display(description=_("staff"), ordering="_staff_count")
    def staff_count(self, obj):
        return obj._staff_count


@admin.register(DepartmentStaff)
class DepartmentStaffAdmin(AccountFieldsMixin, SafeLookupsMixin, admin.ModelAdmin):
    list_display = ["user", "department"]
    list_filter = ["department"]
    list_select_related = ["user", "department"]
    search_fields = ["user__email", "user__full_name", "department__name"]
    autocomplete_fields = ["user", "department"]
