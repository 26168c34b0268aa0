"""Records the services write (timelines, messages, who supports what): staff look, never edit.

Editing them in the admin would bypass the services and their rules, so these admins and
inlines allow no add, change or delete; the view stays. An inline shows the latest
``INLINE_LIMIT`` rows, so a long case's page costs the same however long the case gets.
"""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from .lookups import SafeLookupsMixin

INLINE_LIMIT = 100


class LatestFirstFormSet(BaseInlineFormSet):
    """Only the first ``INLINE_LIMIT`` rows in the inline's ordering, in one query, each row
    knowing its parent object (its ``__str__`` may name it) without a query of its own."""

    def get_queryset(self):
        if not getattr(self, "_limited", False):
            self._queryset = super().get_queryset()[:INLINE_LIMIT]
            self._limited = True
        return self._queryset

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        self.fk.set_cached_value(form.instance, self.instance)
        return form


class ReadOnlyInline(admin.TabularInline):
    """A table of rows its ``fields`` name, all read-only. Order it latest first
    (``ordering``) to show the latest ``INLINE_LIMIT``."""

    extra = 0
    max_num = 0
    can_delete = False
    formset = LatestFirstFormSet

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(SafeLookupsMixin, admin.ModelAdmin):
    """A list and a page to look at; nothing is added, changed or deleted here."""

    show_full_result_count = False  # no second COUNT(*) over a long log

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
