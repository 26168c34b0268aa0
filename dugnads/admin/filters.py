"""The list filters of the dugnads' admin: which dugnads still wait for the municipality, and
the department's work list (its own requests by default, the overdue ones on their own)."""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from committees.models import Department
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


def _department_choices():
    return [(str(pk), name) for pk, name in Department.objects.values_list("pk", "name")]


def _valid_pk(value) -> bool:
    return value is not None and value.isdigit() and len(value) < 12


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


def own_department_id(user) -> int | None:
    staff = getattr(user, "department_staff", None) if user.is_authenticated else None
    return staff.department_id if staff is not None else None


class WorkListDepartmentFilter(admin.SimpleListFilter):
    """The work list opens on the requests to the user's own department (for a staff user in
    one); "All departments" and each department are a click away."""

    title = _("department")
    parameter_name = "department"
    MINE, ALL = "mine", "all"

    def lookups(self, request, model_admin):
        mine = [(self.MINE, _("My department"))] if own_department_id(request.user) else []
        return [*mine, (self.ALL, _("All departments")), *_department_choices()]

    def chosen(self) -> str:
        value = self.value()
        if value in (self.MINE, self.ALL) or _valid_pk(value):
            return value
        return self.MINE if own_department_id(self.request.user) else self.ALL

    def queryset(self, request, queryset):
        chosen = self.chosen()
        if chosen == self.ALL:
            return queryset
        if chosen == self.MINE:
            department = own_department_id(request.user)
            return queryset if department is None else queryset.filter(department_id=department)
        return queryset.filter(department_id=chosen)

    def choices(self, changelist):
        """Like Django's, without the "All" that removes the parameter (that is the default)."""
        chosen = self.chosen()
        for lookup, title in self.lookup_choices:
            yield {
                "selected": chosen == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


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
