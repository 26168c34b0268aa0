"""The department filter every work list in the admin opens with (dugnads' resource requests,
agreements' payments and reports): the requests to the user's own department by default, "All
departments" and each department a click away.

Here, beside ``Department``, so the apps above share it without importing each other's admin:
a work list names the path from its rows to the department in ``department_field``.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Department


def own_department_id(user) -> int | None:
    """The department a staff user works in (one per user), or ``None``."""
    staff = getattr(user, "department_staff", None) if user.is_authenticated else None
    return staff.department_id if staff is not None else None


def department_choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in Department.objects.values_list("pk", "name")]


def valid_pk(value) -> bool:
    return value is not None and value.isdigit() and len(value) < 12


class WorkListDepartmentFilter(admin.SimpleListFilter):
    title = _("department")
    parameter_name = "department"
    # The rows' path to their department ("department", "agreement__department").
    department_field = "department"
    MINE, ALL = "mine", "all"

    def lookups(self, request, model_admin):
        mine = [(self.MINE, _("My department"))] if own_department_id(request.user) else []
        return [*mine, (self.ALL, _("All departments")), *department_choices()]

    def chosen(self) -> str:
        value = self.value()
        if value in (self.MINE, self.ALL) or valid_pk(value):
            return value
        return self.MINE if own_department_id(self.request.user) else self.ALL

    def queryset(self, request, queryset):
        chosen = self.chosen()
        if chosen == self.ALL:
            return queryset
        if chosen == self.MINE:
            department = own_department_id(request.user)
            if department is None:
                return queryset
            return queryset.filter(**{f"{self.department_field}_id": department})
        return queryset.filter(**{f"{self.department_field}_id": chosen})

    def choices(self, changelist):
        """Like Django's, without the "All" that removes the parameter (that is the default)."""
        chosen = self.chosen()
        for lookup, title in self.lookup_choices:
            yield {
                "selected": chosen == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }
