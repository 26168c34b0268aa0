"""The list filters of the dugnads' admin: which dugnads still wait for the municipality, and
the department's work list (its own requests by default, the overdue ones on their own)."""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from committees.work_lists import department_choices as _department_choices
from committees.work_lists import valid_pk as _valid_pk
from core.deadlines import overdue_q

from ..models import Resource, ResourceState, State


def unanswered_resources(**extra) -> Exists:
    return Exists(
        Resource.objects.filter(dugnad=OuterRef("pk"), state=ResourceState.REQUESTED, **extra)
    )


class UnansweredResourcesFilter(admin.SimpleListFilter):
    title = _("unanswered resources")
    parameter_name = "unanswered"

    def lookups(self, request, model_admin):
        return [("yes", _("Waiting for the municipality")), ("no", _("All answered or none"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(unanswered_resources())
        if self.value() == "no":
            return queryset.exclude(unanswered_resources())
        return queryset


class DugnadDepartmentFilter(admin.SimpleListFilter):
    """Dugnads that asked a department for something."""

    title = _("department asked")
    parameter_name = "department"

    def lookups(self, request, model_admin):
        return _department_choices()

    def queryset(self, request, queryset):
        if not _valid_pk(self.value()):
            return queryset
        return queryset.filter(
            Exists(Resource.objects.filter(dugnad=OuterRef("pk"), department_id=self.value()))
        )


def overdue_resources_q(prefix: str = ""):
    """Requested, on a published dugnad whose answer deadline has passed (``core.deadlines``)."""
    return overdue_q(f"{prefix}dugnad__resources_due") & Q(
        **{f"{prefix}state": ResourceState.REQUESTED, f"{prefix}dugnad__state": State.PUBLISHED}
    )


class OverdueFilter(admin.SimpleListFilter):
    title = _("answer deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_resources_q())
        if self.value() == "no":
            return queryset.exclude(overdue_resources_q())
        return queryset
