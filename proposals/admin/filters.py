"""The queue's and the records' list filters."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import COMMITTEE_STATES, DECIDED_STATES, MUNICIPAL_STATES, State


class StatusGroupFilter(admin.SimpleListFilter):
    """Where the case is. The queue opens on the cases at the municipality; a status chosen in
    the status filter, or a search (a case number, a name), is looked for among all cases."""

    title = _("status group")
    parameter_name = "status_group"
    DEFAULT = "municipality"
    GROUPS = {
        "municipality": MUNICIPAL_STATES,
        "committee": COMMITTEE_STATES,
        "decided": DECIDED_STATES | {State.IN_PROGRESS},
        "closed": {State.COMPLETED, State.DECLINED, State.WITHDRAWN},
        "all": None,
    }

    def lookups(self, request, model_admin):
        return [
            ("municipality", _("At the municipality")),
            ("committee", _("With the committee")),
            ("decided", _("Decided / in progress")),
            ("closed", _("Closed")),
            ("all", _("All")),
        ]

    def chosen(self) -> str:
        if self.value() in self.GROUPS:
            return self.value()
        if self.request.GET.get(StateFilter.parameter_name) or self.request.GET.get("q"):
            return "all"
        return self.DEFAULT

    def queryset(self, request, queryset):
        states = self.GROUPS[self.chosen()]
        return queryset if states is None else queryset.filter(state__in=states)

    def choices(self, changelist):
        """Like Django's, without the "All" that removes the parameter (that is the default)."""
        chosen = self.chosen()
        counts = self.get_facet_queryset(changelist) if changelist.add_facets else None
        for i, (lookup, title) in enumerate(self.lookup_choices):
            if counts is not None:
                count = counts.get(f"{i}__c", -1)
                title = f"{title} ({count})" if count != -1 else f"{title} (-)"
            yield {
                "selected": chosen == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class StateFilter(admin.SimpleListFilter):
    """The states a case can have in the queue (drafts are never shown to staff)."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [(state.value, state.label) for state in State if state != State.DRAFT]

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


class AssignedFilter(admin.SimpleListFilter):
    title = _("assignment")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("mine", _("Assigned to me")), ("unassigned", _("Unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(handler=request.user)
        if self.value() == "unassigned":
            return queryset.filter(handler__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":  # a deadline is running, and it has not passed
            return queryset.not_overdue()
        return queryset


class CitizenProposalFilter(admin.SimpleListFilter):
    title = _("citizens' proposal (§ 12-1)")
    parameter_name = "citizen"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(citizen_proposal_at__isnull=self.value() == "no")
        return queryset


class PublishedFilter(admin.SimpleListFilter):
    title = _("published")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(published_at__isnull=self.value() == "no")
        return queryset


class AwaitingAnswerFilter(admin.SimpleListFilter):
    title = _("answer")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("yes", _("Waiting for an answer")), ("no", _("Answered or no answer asked"))]

    def queryset(self, request, queryset):
        waiting = {"answer_by__isnull": False, "answered_at__isnull": True}
        if self.value() == "yes":
            return queryset.filter(**waiting)
        if self.value() == "no":
            return queryset.exclude(**waiting)
        return queryset
