"""The committee's grant pages: its grants page, the application form, the application's page,
its steps, and its photos.

Who may:
- ``/tilskudd/utvalg/<slug>/`` (``committee_grants``): anyone sees the committee's approved
  allocations and its granted applications; the committee's board and municipal staff also see
  every application, drafts included, with the deadlines on both sides, and the board the open
  schemes to apply to.
- the form (``application_create``, ``application_edit``): the committee's board only, while
  the scheme is open (to create) and the application is a draft or more information is asked
  for (to change). Not logged in: the log-in page; not on the board: 403 (404 for an
  application they may not see).
- the application's page (``application_detail``): public once granted
  (``PUBLIC_APPLICATION_STATES``); before that, and when refused or withdrawn, only the parties
  (the board, municipal staff) — 404 for anyone else.
- a step (``application_transition``): the steps the table gives the user's parties — send,
  send again and withdraw for the board; ask for more and refuse for staff who answer
  applications (granting, with its amount, is the admin's). 403 for anyone else who may see it.
- a photo (``application-photo``): the parties always; everyone a photo "before" once the
  application is public and a photo "after" once the report is approved (approved for
  payment). Anyone else 404.

The report of a grant paid afterwards is ``views.application_reports``; its panel is shown on
the application's page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from committees.models import Committee
from committees.staff import is_municipal_staff
from core.attachments import file_response
from core.formatting import local_date
from core.forms import apply_service_errors
from core.step_pages import step_page
from core.steps import step_page_texts

from .. import permissions, selectors
from ..forms.applications import (
    FILES_NOT_KEPT,
    MORE_ROWS,
    ApplicationForm,
    ApplicationStepForm,
    budget_formset,
    initial_lines,
)
from ..models import (
    Allocation,
    AllocationListState,
    Application,
    ApplicationEvent,
    ApplicationPhoto,
    ApplicationState,
    GrantScheme,
    PhotoKind,
    SchemeKind,
)
from ..services import application_reports as reports
from ..services import applications as services
from ..steps import APPLICATION_STEPS
from ..workspace import row_for
from . import application_reports

A = ApplicationState
MORE_ROWS_BUTTON = "more_rows"


# --- helpers ----------------------------------------------------------------------------------


def _committee_or_404(slug: str) -> Committee:
    try:
        return Committee.objects.get(slug=slug)
    except Committee.DoesNotExist:
        raise Http404 from None


def _application_or_404(request, number: str) -> Application:
    """The application if the user may see it, else 404 (a draft's existence is the parties')."""
    try:
        application = selectors.application_get(number=number)
    except Application.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_application(request.user, application):
        raise Http404
    return application


def is_party(user, application: Application) -> bool:
    return permissions.is_board(user, application.committee) or is_municipal_staff(user)


def admin_url(application: Application) -> str:
    try:
        return reverse("admin:grants_application_change", args=[application.pk])
    except NoReverseMatch:
        return ""


def _with_more_rows(data, prefix: str):
    """The posted form again with ``MORE_ROWS`` more empty rows (nothing saved)."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0
    data[key] = str(total + MORE_ROWS)
    return data


# --- the committee's grants page --------------------------------------------------------------


@require_safe
def committee_grants(request, slug: str):
    committee = _committee_or_404(slug)
    user = request.user
    board = permissions.is_board(user, committee)
    party = board or is_municipal_staff(user)
    today = timezone.localdate()
    applications = Application.objects.filter(committee=committee).select_related(
        "scheme", "scheme__department", "payment"
    )
    if not party:
        applications = applications.filter(state__in=sorted(services.PUBLIC_APPLICATION_STATES))
    rows = [row_for(a, today=today) for a in applications.order_by("-created_at", "-pk")]
    allocations = list(
        Allocation.objects.filter(
            committee=committee, scheme__allocation_state=AllocationListState.APPROVED
        )
        .select_related("scheme", "payment")
        .order_by("-scheme__year", "scheme__name", "pk")
    )
    schemes = list(services.open_schemes(today=today)) if board else []
    return render(
        request,
        "grants/committee_grants.html",
        {
            "committee": committee,
            "board": board,
            "party": party,
            "rows": rows,
            "allocations": allocations,
            "schemes": schemes,
            "today": today,
        },
    )


# --- the form ---------------------------------------------------------------------------------


def _form_page(request, *, committee, scheme, application=None):
    """The application form, new (``application`` None) or a change; saved through the
    service, its refusals on the form (a 400), nothing saved when anything is wrong."""
    photos = list(application.photos.all()) if application is not None else []
    lines = list(application.budget_lines.filter(actual=False)) if application else []
    initial = initial_lines(lines)
    FormSet = budget_formset(initial_count=len(initial))
    context = {
        "committee": committee,
        "scheme": scheme,
        "application": application,
        "photos": [p for p in photos if p.kind == PhotoKind.BEFORE],
        "files_not_kept": "",
    }
    status = 200
    if request.method == "POST":
        data = request.POST
        more = MORE_ROWS_BUTTON in data
        if more:
            data = _with_more_rows(data, FormSet.get_default_prefix())
        form = ApplicationForm(data, request.FILES, scheme=scheme, existing_photos=photos)
        formset = FormSet(data, initial=initial)
        if not more and form.is_valid() & formset.is_valid():
            try:
                if application is None:
                    saved = services.application_new(
                        scheme=scheme,
                        committee=committee,
                        actor=request.user,
                        fields=form.application_fields(),
                        budget_lines=formset.lines(),
                        photos=form.photos(),
                    )
                else:
                    saved = services.application_update(
                        application=application,
                        actor=request.user,
                        fields=form.application_fields(),
                        budget_lines=formset.lines(),
                        photos=form.photos(),
                        remove_photos=form.removed_photos(),
                    )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The application has been saved. Send it to the municipality when it is ready."
                    ),
                )
                return redirect(saved)
        context["files_not_kept"] = FILES_NOT_KEPT if request.FILES else ""
        if not more:
            status = 400
    else:
        if application is None:
            form = ApplicationForm(scheme=scheme)
        else:
            form = ApplicationForm(
                initial={name: getattr(application, name) for name in services.FIELDS},
                scheme=scheme,
                existing_photos=photos,
            )
        formset = FormSet(initial=initial)
    context.update(
        {
            "form": form,
            "formset": formset,
            "budget_total": services.budget_total(lines),
            "max_photos": form.max_photos,
        }
    )
    return render(request, "grants/application_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_create(request, slug: str, scheme: int):
    committee = _committee_or_404(slug)
    if not permissions.can_apply(request.user, committee):
        raise PermissionDenied
    try:
        found = GrantScheme.objects.select_related("department").get(
            pk=scheme, kind=SchemeKind.APPLICATION
        )
    except GrantScheme.DoesNotExist:
        raise Http404 from None
    if problems := services.scheme_open_problems(found):
        messages.error(request, " ".join(problems))
        return redirect("grants:committee-grants", slug=committee.slug)
    return _form_page(request, committee=committee, scheme=found)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_edit(request, number: str):
    application = _application_or_404(request, number)
    if not permissions.is_board(request.user, application.committee):
        raise PermissionDenied
    if not services.is_editable(application):
        messages.info(
            request,
            _("The application is “%(state)s”, so it cannot be changed now.")
            % {"state": application.get_state_display()},
        )
        return redirect(application)
    return _form_page(
        request, committee=application.committee, scheme=application.scheme, application=application
    )


# --- the application's page -------------------------------------------------------------------


def _events(application: Application) -> list:
    return list(
        ApplicationEvent.objects.filter(application=application)
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def _step_links(user, application: Application) -> list[dict]:
    parties = permissions.application_parties(user, application)
    links = []
    for target in APPLICATION_STEPS.targets(application.state, parties):
        step = APPLICATION_STEPS[(application.state, target)]
        links.append(
            {
                "url": reverse(
                    "grants:application-transition",
                    kwargs={"number": application.number, "to_state": target},
                ),
                "label": step.short_label,
                "danger": step.danger,
                "target": target,
            }
        )
    return links


@require_safe
def application_detail(request, number: str):
    application = _application_or_404(request, number)
    user = request.user
    party = is_party(user, application)
    board = permissions.is_board(user, application.committee)
    today = timezone.localdate()
    photos = list(application.photos.all())
    context = {
        "application": application,
        "scheme": application.scheme,
        "committee": application.committee,
        "party": party,
        "board": board,
        "row": row_for(application, today=today),
        "budget_lines": list(application.budget_lines.filter(actual=False)),
        "photos_before": [p for p in photos if p.kind == PhotoKind.BEFORE],
        "events": _events(application) if party or application.is_public else [],
        "can_edit": board and services.is_editable(application),
        "step_links": _step_links(user, application),
        "admin_url": admin_url(application) if party and is_municipal_staff(user) else "",
    }
    context["budget_total"] = services.budget_total(context["budget_lines"])
    if reports.has_report(application) and (party or application.state == A.PAYABLE):
        context["show_report"] = True
        context.update(application_reports.report_panel_context(user, application))
        context["can_edit_report"] = reports.can_edit_report(user, application)
    return render(request, "grants/application_detail.html", context)


# --- a step -----------------------------------------------------------------------------------


def _take(application: Application, *, actor, to_state: str, message: str) -> Application:
    """Each step through its own service."""
    if to_state == A.SUBMITTED and application.state == A.MORE_INFO:
        return services.application_resubmit(application=application, actor=actor)
    if to_state == A.SUBMITTED:
        return services.application_submit(application=application, actor=actor)
    if to_state == A.WITHDRAWN:
        return services.application_withdraw(application=application, actor=actor, message=message)
    if to_state == A.MORE_INFO:
        return services.application_ask_more(application=application, actor=actor, message=message)
    if to_state == A.REFUSED:
        return services.application_refuse(application=application, actor=actor, reason=message)
    raise ValidationError(str(APPLICATION_STEPS.refused))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_transition(request, number: str, to_state: str):
    if to_state not in A.values:
        raise Http404
    application = _application_or_404(request, number)
    parties = permissions.application_parties(request.user, application)
    if not parties:
        raise PermissionDenied
    if to_state not in APPLICATION_STEPS.targets(application.state, parties):
        if application.state == to_state:
            text = _("The application is already “%(state)s”.")
        else:
            text = _("The application is “%(state)s”, so this step is not possible now.")
        messages.info(request, text % {"state": application.get_state_display()})
        return redirect(application)
    step = APPLICATION_STEPS[(application.state, to_state)]
    today = timezone.localdate()
    texts = step_page_texts(
        APPLICATION_STEPS,
        step,
        answer_due=local_date(today + _days(application.scheme.answer_days)),
        committee_due=local_date(today + _days(application.scheme.info_days)),
    )
    return step_page(
        request,
        obj=application,
        step=step,
        texts=texts,
        form_class=ApplicationStepForm,
        take=lambda message: _take(
            application, actor=request.user, to_state=to_state, message=message
        ),
        template="grants/application_transition.html",
        context_name="application",
    )


def _days(days: int):
    import datetime

    return datetime.timedelta(days=days)


# --- photos -----------------------------------------------------------------------------------


def can_see_photo(user, photo: ApplicationPhoto) -> bool:
    application = photo.application
    if is_party(user, application):
        return True
    if photo.kind == PhotoKind.BEFORE:
        return application.is_public
    return application.state == A.PAYABLE


@require_safe
def photo(request, pk: int):
    """A photo "before" or "after", shown in the page, by the rule in the module's docstring."""
    try:
        item = ApplicationPhoto.objects.select_related("application__committee").get(pk=pk)
    except ApplicationPhoto.DoesNotExist:
        raise Http404 from None
    return file_response(
        item.image,
        allowed=can_see_photo(request.user, item),
        filename=f"bilde-{item.application.number}-{item.pk}{item.extension}",
        content_type=item.content_type or None,
        inline=True,
        types=services.PHOTO_TYPES,
    )


# The report and its receipts are views.application_reports (urls.py points there).


def application_report(request, **kwargs):
    raise Http404


def receipt(request, **kwargs):
    raise Http404
