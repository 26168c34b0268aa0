"""django-simple-history's "History" page for the grants' admins, without its "Revert".

Schemes, population figures and allocations keep their history (who changed what, when); a
revert there would write the row directly, past the services' rules (an approved list's rules
are fixed, allocations are the services' records), so it is switched off: the page shows the
old version, and posting it is refused."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's "History" page without "Revert" (a revert would write the row
    past the services' rules); an id that cannot be one is a 404."""

    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        return super().history_view(request, object_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
