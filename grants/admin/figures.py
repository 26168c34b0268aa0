"""Population figures in the admin: the residents per committee area and age range on a
reference date, which the formula schemes' allocations are worked out from.

Entered or corrected here through ``services.figures``, or imported from a CSV file on the
"Import population figures" page (``<changelist>/import/``, the list's "Import from CSV"
button; or ``manage.py import_population``); filtered by reference date and committee, exported
to CSV and Excel (``grants.exports``).

The import page works in two steps. The file is checked first (``population_import`` with
``dry_run``) and the page shows what each row would do, worded as the command words it
(``grants.figures_report``). Only if no row is refused does it offer "Import N rows", which posts
the file's text back in a hidden field: the page keeps no state between the steps, and the
service checks every row again on the real run, so a text changed on the way is refused as any
file is. Only a case handler who may add and change figures (``can_import_figures``) gets the
page; others get 403.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ServiceBackedAdminMixin
from core.formatting import local_date

from ..exports import FIGURE_EXPORTS
from ..figures_report import (
    outcome_label,
    row_changes_text,
    row_problems_text,
    summary_text,
    written_text,
)
from ..models import PopulationFigure
from ..services.figures import (
    CHANGED,
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    NEW,
    can_import_figures,
    population_figure_save,
    population_import,
    size_problem,
)
from .history import HistoryAdmin

IMPORT_TEMPLATE = "admin/grants/populationfigure/import.html"


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


class PopulationFileForm(forms.Form):
    """Step 1: the CSV file. Its size is checked before it is read."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, commas or semicolons, a header row with the columns %(columns)s; at most "
            "%(rows)s rows and %(size)s MB. The committee column is the committee's short name, "
            "the last part of its address: svarstad for /nmu/svarstad/."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "columns": ", ".join(COLUMNS),
            "rows": MAX_ROWS,
            "size": MAX_BYTES // (1024 * 1024),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = size_problem(upload.size)
        if problem:
            raise forms.ValidationError(problem)
        return upload


class PopulationConfirmForm(forms.Form):
    """Step 2: the checked file's text, posted back to be imported (the service checks it again
    and applies the size limit to its bytes)."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)


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
    change_list_template = "admin/grants/populationfigure/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {}
        if can_import_figures(request.user):
            extra["import_figures_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_import",
                current_app=self.admin_site.name,
            )
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def import_view(self, request):
        """The import page: the file checked (a dry run) and its report; the checked text
        imported; then back to the list with what was written."""
        if not can_import_figures(request.user):
            raise PermissionDenied
        form = PopulationFileForm()
        report = text = None
        confirm_errors = []
        status = 200
        if request.method == "POST" and "text" in request.POST:
            confirm = PopulationConfirmForm(request.POST)
            if not confirm.is_valid():
                # Only a forged post gets here (the page's own holds a text that was checked).
                confirm_errors = [e for errors in confirm.errors.values() for e in errors]
                status = 400
            else:
                report = population_import(
                    data=confirm.cleaned_data["text"].encode("utf-8"), dry_run=False
                )
                if report.written:
                    self.message_user(request, written_text(report), messages.SUCCESS)
                    return redirect(
                        reverse(
                            f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
                            current_app=self.admin_site.name,
                        )
                    )
        elif request.method == "POST":
            form = PopulationFileForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data["file"].read()
                report = population_import(data=data, dry_run=True)
                if not report.refused:
                    text = data.decode("utf-8")  # the service read it as UTF-8
        rows = [
            {
                "line": row.line,
                "key": row.key,
                "outcome": row.outcome,
                "label": outcome_label(row.outcome),
                "changes": row_changes_text(row),
                "problems": row_problems_text(row),
            }
            for row in (report.rows if report else [])
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import population figures"),
            "form": form,
            "confirm_errors": confirm_errors,
            "report": report,
            "rows": rows,
            "summary": summary_text(report) if report else "",
            # What the import would write: new and changed figures (unchanged rows write nothing).
            "to_write": report.count(NEW) + report.count(CHANGED) if report else 0,
            "confirm": PopulationConfirmForm(initial={"text": text}) if text is not None else None,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, IMPORT_TEMPLATE, context, status=status)

    def save_through_services(self, request, obj, form, change):
        population_figure_save(figure=obj, actor=request.user)
        return []

    @admin.display(description=_("reference date"), ordering="reference_date")
    def reference(self, obj):
        return local_date(obj.reference_date)

    @admin.display(description=_("ages"), ordering="age_from")
    def ages(self, obj):
        return f"{obj.age_from}–{obj.age_to}"
