"""django-simple-history's "History" page for the agreements' admins, without its "Revert".

Every change to an agreement's terms and money is recorded with its actor and time (the
middleware names the user of the request: ``HistoryRequestMiddleware``); staff read it on each
object's History page. Reverting to an old version there would write the row directly, past the
services' rules (a signed agreement's terms are fixed, a change voids signatures), so it is
switched off: the page shows the old version, and posting it is refused."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    def history_view(self, request, object_id, extra_context=None):
        """An id that cannot be one ("nan", a NUL byte) is a 404, as on Django's own pages
        (simple-history's view hands it to the database, which raises)."""
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
