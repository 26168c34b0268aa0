"""Min side → Varsler: the list, marking read, the bell, and the e-mail preferences."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.http import current_page, safe_next, safe_url

from . import selectors, services
from .forms import PreferencesForm
from .models import Frequency, Notification, language_of

PAGE_SIZE = 20


def _own_or_404(request, pk: int) -> Notification:
    try:
        return selectors.notification_get_for_user(user=request.user, pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None


@login_required
@require_safe
def notification_list(request):
    page = Paginator(selectors.notification_list_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_safe
def notification_open(request, pk):
    """Clicking a notification opens what it is about, and counts as reading it."""
    notification = _own_or_404(request, pk)
    services.notification_mark_read(notification=notification, user=request.user)
    return redirect(safe_url(request, notification.target_url) or "notifications:list")


@login_required
@require_POST
def notification_mark_read(request, pk):
    notification = _own_or_404(request, pk)
    services.notification_mark_read(notification=notification, user=request.user)
    if request.htmx:
        # The fragment's forms ("Mark all as read") send the person back to the page they are
        # on, not to this POST-only URL.
        return render(
            request,
            "notifications/_notification.html",
            {
                "notification": notification,
                "focus": True,
                "back": current_page(request, "notifications:list"),
            },
        )
    return redirect(safe_next(request, "notifications:list"))


@login_required
@require_POST
def notification_mark_all_read(request):
    count = services.notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(safe_next(request, "notifications:list"))


@require_safe
def bell(request):
    """The header's bell alone, for htmx to refresh the unread count in place.

    A session that has expired gets 204 (htmx then leaves the page alone) rather than a redirect,
    which htmx would follow and swap the login page into the header.
    """
    if not request.user.is_authenticated:
        if request.htmx:
            return HttpResponse(status=204)
        return redirect_to_login(request.get_full_path())
    # Polled from the list page, the refreshed bell still marks that page as the current one.
    current = urlsplit(request.htmx.current_url or "").path if request.htmx else ""
    on_list = current == reverse("notifications:list")
    return render(request, "notifications/_bell.html", {"on_list": on_list})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    form = PreferencesForm(
        request.POST or None,
        initial_frequencies=selectors.preferences_for_user(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_update(user=request.user, frequencies=form.cleaned_data)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # the signed token is the authority; mail programs POST without a CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """ "Stop e-mails like this one", from an e-mail, without logging in (RFC 8058 one-click).

    GET only asks (link checkers and previews must change nothing); POST switches the e-mail's
    categories to "only on the website". The page speaks the e-mail's language (the person's),
    unless the visitor has chosen a language on this site.
    """
    try:
        user, categories = selectors.unsubscribe_target(token=token)
    except LookupError:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        request.LANGUAGE_CODE = language_of(user)
        translation.activate(request.LANGUAGE_CODE)
    topics = ", ".join(f"«{category.label}»" for category in categories)
    values = [category.value for category in categories]
    if request.method == "POST":
        services.preferences_update(user=user, frequencies=dict.fromkeys(values, Frequency.IN_APP))
        return render(request, "notifications/unsubscribe.html", {"done": True, "topics": topics})
    chosen = selectors.preferences_for_user(user=user)
    already = all(chosen[value] == Frequency.IN_APP for value in values)
    return render(request, "notifications/unsubscribe.html", {"topics": topics, "done": already})
