"""Staff reach the admin only with a second factor, wherever ``STAFF_MFA_REQUIRED`` is on.

The admin holds residents' cases and personal data, so a password alone is not enough there.
allauth already asks for the authenticator code at log-in once an account has one; what it does
not do is make having one compulsory. :class:`StaffSecondFactorMiddleware` does, for the admin
only: a staff account that asks for an admin page is sent

- to :func:`staff_mfa_setup` when it has no authenticator app yet: a page that says why and leads
  to allauth's activation (``mfa_activate_totp``), after which allauth shows the recovery codes;
- to allauth's MFA re-authentication (``mfa_reauthenticate``) when it has one but this session
  was not signed in with it (a session from before the app was set up in another browser).

Nothing outside the admin is touched (the setup page, allauth's account and MFA pages, log-out),
so there is no redirect loop, and residents are never asked. ``production.py`` turns the setting
on; ``local.py`` leaves it off so ``make run``'s demo accounts work in one command.
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

# Authenticators one can sign in with; recovery codes are the way back, not a factor of their own.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
# An admin page a staff account without a second factor may still open.
OPEN_ADMIN_VIEWS = {"logout"}


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


class StaffSecondFactorMiddleware:
    """Keeps staff without a (used) second factor out of the admin; see the module docstring.

    Runs in ``process_view``, where the URL is resolved: every page of an ``AdminSite`` (app name
    ``admin``) is covered, wherever it is mounted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match.app_name != "admin" or match.url_name in OPEN_ADMIN_VIEWS:
            return None
        if not second_factor_required(request.user):
            return None
        if not has_second_factor(request.user):
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
        },
    )
