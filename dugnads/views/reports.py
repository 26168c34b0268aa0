"""After the event: the organisers' report page, the photos, and the report's panel on the
dugnad's page (``report_context``, which ``views.public.dugnad_detail`` includes).

The report page is for those who manage the dugnad (``permissions.can_manage_dugnad``), once it
has been held (a correction once reported); anyone else gets 403 (404 if they may not even see
the dugnad). A photo is served to anyone who may see its dugnad, else 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.attachments import file_response
from core.forms import apply_service_errors

from .. import permissions, selectors
from ..figures import dugnad_value
from ..forms.report import FILES_NOT_KEPT, ReportForm, initial_for
from ..models import Dugnad, Photo, SignupState, State
from ..services import photos as photo_services
from ..services.reports import REPORTABLE_STATES
from ..services.reports import dugnad_report as report_service


def _dugnad_to_report(request, pk: int) -> Dugnad:
    try:
        dugnad = selectors.dugnad_get(pk=pk)
    except Dugnad.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_dugnad(request.user, dugnad):
        raise Http404
    if not permissions.can_manage_dugnad(request.user, dugnad):
        raise PermissionDenied
    if dugnad.state not in REPORTABLE_STATES:
        raise Http404
    return dugnad


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dugnad_report(request, pk: int):
    dugnad = _dugnad_to_report(request, pk)
    confirmed = list(
        dugnad.signups.filter(state=SignupState.CONFIRMED).select_related("user").order_by("pk")
    )
    existing_photos = list(dugnad.photos.all())
    options = {
        "dugnad": dugnad,
        "confirmed_signups": confirmed,
        "existing_photos": existing_photos,
    }
    correction = dugnad.state == State.REPORTED
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, **options)
        if form.is_valid():
            try:
                report_service(dugnad=dugnad, actor=request.user, **form.service_arguments())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The report has been corrected.")
                    if correction
                    else _("Thank you! The dugnad has been reported."),
                )
                return redirect(dugnad.get_absolute_url() + "#report-heading")
    else:
        form = ReportForm(initial=initial_for(dugnad, confirmed), **options)
    return render(
        request,
        "dugnads/dugnad_report.html",
        {
            "dugnad": dugnad,
            "form": form,
            "correction": correction,
            "files_not_kept": FILES_NOT_KEPT if form.is_bound and form.errors else "",
            "max_photos": form.max_photos,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_safe
def photo(request, pk: int):
    """A report's photo, shown in the page (``inline``), to anyone who may see its dugnad."""
    try:
        item = Photo.objects.select_related("dugnad", "dugnad__committee").get(pk=pk)
    except Photo.DoesNotExist:
        raise Http404 from None
    return file_response(
        item.image,
        allowed=permissions.can_view_dugnad(request.user, item.dugnad),
        filename=f"dugnad-{item.dugnad_id}-{item.pk}.{item.extension}",
        content_type=item.content_type,
        inline=True,
        types=photo_services.PHOTO_TYPES,
    )


def report_context(request, dugnad: Dugnad) -> dict:
    """The report's panel on the dugnad's page, once reported: participants, hours, their value
    (the hourly value of the year the dugnad was held) and the photos (two queries)."""
    if dugnad.state != State.REPORTED:
        return {}
    rate, value = dugnad_value(dugnad)
    return {
        "report_panel": {
            "participants": dugnad.participant_count,
            "hours": dugnad.hours_total,
            "rate": rate,
            "value": value,
            "text": dugnad.report,
            "photos": list(dugnad.photos.all()),
        }
    }
