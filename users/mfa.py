"""Staff act for the municipality only with a second factor, wherever ``STAFF_MFA_REQUIRED`` is on.

A staff account holds residents' cases and personal data, in the admin and on the site itself
(a case handler moves a case on, writes to the committee and reads the private dialogue from the
proposal's own page), so a password alone is not enough. allauth already asks for the
authenticator code at log-in once an account has one; what it does not do is make having one
compulsory. :class:`StaffSecondFactorMiddleware` does, for every page a staff account opens: it
is sent

- to :func:`staff_mfa_setup` when it has no authenticator app yet: a page that says why and leads
  to allauth's activation (``mfa_activate_totp``), after which allauth shows the recovery codes;
- to allauth's MFA re-authentication (``mfa_reauthenticate``) when it has one but this session
  was not signed in with it (a session from before the app was set up in another browser).

Only the way out stays open (:func:`is_open`: allauth's own account and MFA pages, the setup
page, the language switch, robots.txt and the admin's log-out), so there is no redirect loop;
residents are never asked. The page the person was on is kept, and the setup's last step leads
back to it. ``production.py`` turns the setting on; ``local.py`` leaves it off so ``make run``'s
demo accounts work in one command.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from core.http import safe_url

# Authenticators one can sign in with; recovery codes are the way back, not a factor of their own.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
# Pages a staff account without a second factor may still open (by URL name): the way to set
# one up and the way out. allauth's own views (log-in, log-out, MFA, e-mail) are open too.
OPEN_VIEWS = {"staff_mfa_setup", "set_language", "robots_txt"}
OPEN_ADMIN_VIEWS = {"logout"}
# Where the setup's last step leads: the page the person asked for (a safe path only).
NEXT_SESSION_KEY = "staff_mfa_next"


def second_factor_required(user) -> bool:
    """Whether ``user`` must use a second factor to reach the admin: staff, where it is on."""
    return bool(settings.STAFF_MFA_REQUIRED and user.is_authenticated and user.is_staff)


def has_second_factor(user) -> bool:
    return is_mfa_enabled(user, SECOND_FACTORS)


def used_second_factor(request) -> bool:
    """Whether this session's sign-in (or a re-authentication since) used the second factor.

    allauth records each method a session used (``"mfa"`` after the code at log-in or at
    re-authentication); :func:`_record_activation` adds the code typed when setting the app up.
    """
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


@receiver(authenticator_added, dispatch_uid="users.mfa.record_activation")
def _record_activation(sender, request, user, authenticator, **kwargs):
    """Activating the app means typing a valid code from it: that session has used it."""
    if authenticator.type in SECOND_FACTORS:
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
        )


def is_open(request, view_func) -> bool:
    """Whether the resolved view is part of the way to a second factor or the way out."""
    match = request.resolver_match
    if match.app_name == "admin":
        return match.url_name in OPEN_ADMIN_VIEWS
    return match.url_name in OPEN_VIEWS or view_func.__module__.startswith("allauth.")


def next_after_setup(request) -> str:
    """The page to go on to once the second factor is set up: where the person was going."""
    return safe_url(request, request.session.get(NEXT_SESSION_KEY)) or reverse("admin:index")


class StaffSecondFactorMiddleware:
    """Keeps staff without a (used) second factor from acting as staff; see the module docstring.

    Runs in ``process_view``, where the URL is resolved, so the open pages are named, not matched
    by path prefix.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not second_factor_required(request.user) or is_open(request, view_func):
            return None
        if not has_second_factor(request.user):
            if request.method == "GET" and not request.headers.get("HX-Request"):
                request.session[NEXT_SESSION_KEY] = request.get_full_path()
            return redirect("staff_mfa_setup")
        if not used_second_factor(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return None


@require_safe
@login_required
def staff_mfa_setup(request):
    """Why case handling needs a second factor, and the way to set one up."""
    return render(
        request,
        "mfa/staff_setup.html",
        {
            "has_second_factor": has_second_factor(request.user),
            "required": second_factor_required(request.user),
            "next_url": next_after_setup(request),
        },
    )
