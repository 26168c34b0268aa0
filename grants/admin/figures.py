"""Population figures in the admin: the residents per committee area and age range on a
reference date, which the formula schemes' allocations are worked out from.

Entered or corrected here through ``services.figures`` (or imported from a CSV:
``manage.py import_population``); filtered by reference date and committee, exported to CSV and
Excel (``grants.exports``)."""

import datetime

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ServiceBackedAdminMixin
from core.formatting import local_date

from ..exports import FIGURE_EXPORTS
from ..models import PopulationFigure
from ..services.figures import population_figure_save
from .history import HistoryAdmin


class ReferenceDateFilter(admin.SimpleListFilter):
    """The reference dates the figures have (a handful), newest first."""

    title = _("reference date")
    parameter_name = "reference_date"

    def lookups(self, request, model_admin):
        days = (
            PopulationFigure.objects.order_by("-reference_date")
            .values_list("reference_date", flat=True)
            .distinct()[:50]
        )
        return [(day.isoformat(), local_date(day)) for day in days]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            return queryset.none()
        return queryset.filter(reference_date=day)


@admin.register(PopulationFigure)
class PopulationFigureAdmin(ServiceBackedAdminMixin, HistoryAdmin):
    list_display = [
        "committee",
        "reference",
        "ages",
        "residents",
        "residents_in_range",
        "source",
    ]
    list_filter = [ReferenceDateFilter, ("committee", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["committee"]
    search_fields = ["committee__name", "source"]
    search_help_text = _("Search by committee or source.")
    ordering = ["committee__name", "-reference_date", "age_from"]
    list_per_page = 100
    show_full_result_count = False
    fields = [
        "committee",
        "reference_date",
        "age_from",
        "age_to",
        "residents",
        "residents_in_range",
        "source",
    ]
    actions = [*FIGURE_EXPORTS]

    def save_through_services(self, request, obj, form, change):
        population_figure_save(figure=obj, actor=request.user)
        return []

    @admin.display(description=_("reference date"), ordering="reference_date")
    def reference(self, obj):
        return local_date(obj.reference_date)

    @admin.display(description=_("ages"), ordering="age_from")
    def ages(self, obj):
        return f"{obj.age_from}–{obj.age_to}"
