"""The committee leader's signing page, and the signing page both parties' views share.

``/avtaler/<number>/signer/`` is for the committee's leader only: anyone not logged in goes to
the log-in page; a party who is not the leader (a board member, staff) gets 403; anyone else
gets 404, since an unsigned agreement's existence is the parties' own. The municipality signs
on the same page in the admin (``admin.signing.SigningAdminMixin``), through :func:`sign_page`.

The page shows the full terms, their SHA-256 in full and the signatures given; the form sends
back the hash it showed (``views`` never trust it: the service compares it with the current
terms). Wrong passwords count against allauth's "reauthenticate" rate limit
(``ACCOUNT_RATE_LIMITS``), per user: over it, the answer is the portal's 429 page.
"""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import apply_service_errors
from users.throttling import too_many_attempts

from .. import permissions, selectors
from ..forms.signing import SignForm, initial_for
from ..models import Agreement, Party
from ..services.signing import WRONG_PASSWORD, awaits_signature_of
from ..services.signing import agreement_sign as sign_service
from ..terms import terms_hash

# The allauth rate limit a wrong password counts against (the same as re-entering a password
# before changing an e-mail address: "10/m/user" unless ACCOUNT_RATE_LIMITS says otherwise).
RATE_LIMIT_ACTION = "reauthenticate"
# Everything the terms' hash covers, the payment plan and the report duties included (the detail
# page's agreements/_terms.html shows the tasks and the period, not those).
TERMS_TEMPLATE = "agreements/_signing_terms.html"


def _wrong_password(error: ValidationError) -> bool:
    return any(
        item.code == WRONG_PASSWORD for item in getattr(error, "error_dict", {}).get("password", [])
    )


def _over_the_limit(request) -> bool:
    return not ratelimit.consume(request, action=RATE_LIMIT_ACTION, user=request.user, dry_run=True)


def sign_page(request, agreement: Agreement, *, party: str, template: str, done_url: str, extra):
    """The signing page for ``party`` (its authority checked by the caller; the service checks
    it again). ``extra`` is the caller's own context (the admin's frame)."""
    current_hash = terms_hash(agreement)
    awaiting = awaits_signature_of(agreement) == party
    form = None
    if awaiting:
        if request.method == "POST":
            if _over_the_limit(request):
                return too_many_attempts(
                    request,
                    reason=_("Too many wrong passwords. Wait a minute, then try again."),
                )
            form = SignForm(request.POST, party=party)
            if form.is_valid():
                try:
                    sign_service(
                        agreement=agreement, actor=request.user, **form.service_arguments()
                    )
                except ValidationError as error:
                    if _wrong_password(error):
                        ratelimit.consume(request, action=RATE_LIMIT_ACTION, user=request.user)
                    apply_service_errors(form, error)
                    # The terms may have changed: the page shows them as they are now.
                    agreement = selectors.agreement_get(number=agreement.number)
                    current_hash = terms_hash(agreement)
                else:
                    messages.success(
                        request,
                        _("You have signed agreement %(number)s.") % {"number": agreement.number},
                    )
                    return redirect(done_url)
        else:
            form = SignForm(
                party=party,
                initial=initial_for(
                    agreement, user=request.user, party=party, current_hash=current_hash
                ),
            )
    context = {
        **extra,
        "agreement": agreement,
        "party": party,
        "party_label": Party(party).label,
        "form": form,
        "current_hash": current_hash,
        "show_personal": permissions.sees_personal_data(request.user, agreement),
        "terms_template": TERMS_TEMPLATE,
        "done_url": done_url,
    }
    failed = form is not None and form.is_bound and bool(form.errors)
    return TemplateResponse(request, template, context, status=400 if failed else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agreement_sign(request, number: str):
    """The committee's leader signs for the committee."""
    try:
        agreement = selectors.agreement_get(number=number)
    except Agreement.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_agreement(request.user, agreement):
        raise Http404
    if not permissions.can_sign_for_committee(request.user, agreement):
        raise PermissionDenied
    return sign_page(
        request,
        agreement,
        party=Party.COMMITTEE,
        template="agreements/agreement_sign.html",
        done_url=agreement.get_absolute_url(),
        extra={},
    )
