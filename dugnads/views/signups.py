"""Signing up for a dugnad: a resident with their account, anyone else as a guest with a name
and an address, and the guest's own page behind the link in their e-mail.

The sign-up panel (``_signup.html``, ``signup_panel_context``) sits on the dugnad's page. Its
forms post here; with htmx the panel is swapped in place (``#signup``), without JavaScript the
answer is the dugnad's page again with a message, or the form with its errors on a page of its
own. Every place is given by ``services.signups`` under the dugnad's lock.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import apply_service_errors
from users.throttling import too_many_attempts

from .. import guest_links, permissions, selectors, services
from ..forms.signup import GuestSignupForm, SignupForm
from ..models import Dugnad, Signup, SignupState
from ..rules import signup_open_problems
from ..throttling import guest_signup_consume

PANEL_TEMPLATE = "dugnads/_signup.html"
# The panel and the page's other numbers that change with a sign-up (swapped in out of band).
CHANGED_TEMPLATE = "dugnads/_signup_changed.html"


@dataclass
class Panel:
    """What the sign-up panel shows: the places, the person's own sign-up, the form."""

    dugnad: Dugnad
    is_guest: bool
    closed_reason: str = ""
    capacity: int | None = None
    places_left: int | None = None
    people_waiting: int = 0
    my_signup: Signup | None = None
    waitlist_position: int | None = None
    form: SignupForm | None = None
    message: str = ""
    error: str = ""
    guest_sent: bool = False

    @property
    def is_open(self) -> bool:
        return not self.closed_reason

    @property
    def full(self) -> bool:
        return self.places_left == 0

    @property
    def waitlist_next(self) -> bool:
        """A new sign-up goes on the waiting list: no place is free, or those free are for
        the people already waiting (a party that did not fit keeps its turn)."""
        return self.capacity is not None and (self.full or self.people_waiting > 0)

    @property
    def can_cancel(self) -> bool:
        return self.my_signup is not None and self.dugnad.starts_at > timezone.now()


def _people(dugnad: Dugnad) -> dict[str, int]:
    """People with a place and people waiting: annotated already on the dugnad's page
    (``selectors.with_people``), else summed now (after a change, the new numbers)."""
    if hasattr(dugnad, "people_confirmed") and hasattr(dugnad, "people_waiting"):
        return {"confirmed": dugnad.people_confirmed, "waiting": dugnad.people_waiting}
    return dugnad.signups.aggregate(
        confirmed=Coalesce(Sum("party_size", filter=selectors.confirmed_people_q()), 0),
        waiting=Coalesce(Sum("party_size", filter=Q(state=SignupState.WAITLISTED)), 0),
    )


def _panel(request, dugnad: Dugnad, *, form=None, **extra) -> Panel:
    """The panel in a constant number of queries, however many have signed up: the people
    (see ``_people``), the person's own sign-up (and its place in the queue), the form's needs."""
    user = request.user
    people = _people(dugnad)
    problems = signup_open_problems(dugnad)
    panel = Panel(
        dugnad=dugnad,
        is_guest=not user.is_authenticated,
        closed_reason=" ".join(str(problem) for problem in problems),
        capacity=dugnad.capacity,
        places_left=selectors.places_left(dugnad=dugnad, confirmed=people["confirmed"]),
        people_waiting=people["waiting"],
        **extra,
    )
    if user.is_authenticated:
        panel.my_signup = selectors.signup_active_for_user(dugnad=dugnad, user=user)
        if panel.my_signup is not None:
            panel.waitlist_position = selectors.waitlist_position(signup=panel.my_signup)
    if panel.my_signup is None and panel.is_open and not panel.guest_sent:
        form_class = GuestSignupForm if panel.is_guest else SignupForm
        panel.form = form or form_class(dugnad=dugnad)
    return panel


def signup_panel_context(request, dugnad: Dugnad) -> dict:
    """For the dugnad's page: ``{% include "dugnads/_signup.html" %}`` with this merged in."""
    return {"signup_panel": _panel(request, dugnad)}


def _public_dugnad_or_404(pk: int) -> Dugnad:
    """Sign-up only exists on a dugnad the public can see (never a draft, for anyone)."""
    try:
        dugnad = Dugnad.objects.select_related("committee").get(pk=pk)
    except Dugnad.DoesNotExist:
        raise Http404 from None
    if not dugnad.is_public:
        raise Http404
    return dugnad


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _back(request, dugnad: Dugnad):
    """Back to the dugnad's page: a resident to the panel, which shows their sign-up now; a guest
    to the top, where the message says to look in their e-mail (the panel shows nothing of
    theirs, and a visitor who saw only an empty form again would send it twice)."""
    if request.user.is_authenticated:
        return redirect(f"{dugnad.get_absolute_url()}#signup")
    return redirect(dugnad.get_absolute_url())


def _answer(request, dugnad: Dugnad, *, message: str = "", error: str = "", **extra):
    """After a change: the panel in place (htmx), or the dugnad's page with a message."""
    if _is_htmx(request):
        panel = _panel(request, dugnad, message=message, error=error, **extra)
        return render(
            request,
            CHANGED_TEMPLATE,
            {
                "signup_panel": panel,
                "d": selectors.with_people(Dugnad.objects.filter(pk=dugnad.pk)).get(),
                "needs": selectors.needs_with_missing(dugnad=dugnad),
            },
        )
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return _back(request, dugnad)


def _form_again(request, dugnad: Dugnad, form):
    """The form with its errors: in place (htmx), or on a page of its own without JavaScript
    (a redirect would lose what was typed)."""
    panel = _panel(request, dugnad, form=form)
    if panel.form is not form:
        # Signed up meanwhile, or sign-up closed: the panel says so, and what the form said.
        error = " ".join(str(e) for e in form.non_field_errors())
        if error != panel.closed_reason:
            panel.error = error
    context = {"signup_panel": panel, "dugnad": dugnad}
    template = PANEL_TEMPLATE if _is_htmx(request) else "dugnads/signup_form.html"
    return render(request, template, context)


def _signed_up_message(signup: Signup) -> str:
    if signup.state == SignupState.WAITLISTED:
        position = selectors.waitlist_position(signup=signup)
        return _("The dugnad is full, so you are on the waiting list (number %(n)s).") % {
            "n": position
        }
    return _("You are signed up for %(title)s.") % {"title": signup.dugnad.title}


def _too_many(request, dugnad: Dugnad, form):
    """Over the guests' limit: the 429 page (users/throttling.py), nothing saved. htmx does not
    swap a 429 into the page, so there the panel says it, with what was typed kept."""
    reason = _("Too many sign-ups have been sent from your connection in the last hour.")
    if _is_htmx(request):
        wait = _("Wait a while, then try again.")
        panel = _panel(request, dugnad, form=form, error=f"{reason} {wait}")
        return render(request, PANEL_TEMPLATE, {"signup_panel": panel})
    return too_many_attempts(request, reason=reason)


@require_POST
def signup_create(request, pk: int):
    """A resident signs up with their account; anyone else as a guest (an e-mail to confirm)."""
    dugnad = _public_dugnad_or_404(pk)
    user = request.user
    resident = permissions.can_sign_up(user)
    form_class = SignupForm if resident else GuestSignupForm
    form = form_class(request.POST, dugnad=dugnad)
    if not form.is_valid():
        return _form_again(request, dugnad, form)
    usage = None
    if not resident:
        usage = guest_signup_consume(request)
        if usage is None:
            return _too_many(request, dugnad, form)
    try:
        signup = services.signup_create(
            dugnad=dugnad, user=user if resident else None, **form.service_kwargs()
        )
    except ValidationError as error:
        if usage is not None:
            usage.rollback()
        apply_service_errors(form, error)
        return _form_again(request, dugnad, form)
    if resident:
        return _answer(request, dugnad, message=_signed_up_message(signup))
    # The same words whether the address was new or already signed up (services.signups).
    return _answer(
        request,
        dugnad,
        message=_(
            "Thank you. We have sent an e-mail to %(email)s. Open the link in it to confirm "
            "the sign-up: your place is not held until you do."
        )
        % {"email": form.cleaned_data["guest_email"]},
        guest_sent=True,
    )


@login_required
@require_POST
def signup_cancel(request, pk: int):
    """A resident cancels their own sign-up; the place goes to the first on the waiting list."""
    dugnad = _public_dugnad_or_404(pk)
    signup = selectors.signup_active_for_user(dugnad=dugnad, user=request.user)
    if signup is None:
        return _answer(request, dugnad, error=_("You are not signed up for this dugnad."))
    try:
        services.signup_cancel(signup=signup)
    except ValidationError as error:
        return _answer(request, dugnad, error=" ".join(error.messages))
    return _answer(
        request,
        dugnad,
        message=_("Your sign-up for %(title)s is cancelled.") % {"title": dugnad.title},
    )


def _guest_signup_or_404(token: str) -> Signup:
    pk = guest_links.read_token(token)
    if pk is None:
        raise Http404
    try:
        return Signup.objects.select_related("dugnad", "dugnad__committee", "need").get(
            pk=pk, user__isnull=True
        )
    except Signup.DoesNotExist:
        raise Http404 from None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def guest_signup(request, token: str):
    """The guest's sign-up behind the link in their e-mails: where they stand, confirm, cancel.
    Opening the link changes nothing (mail scanners open links too); the buttons do."""
    signup = _guest_signup_or_404(token)
    dugnad = signup.dugnad
    if guest_links.link_expired(signup):
        return render(request, "dugnads/guest_signup_expired.html", {"dugnad": dugnad}, status=410)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                signup = services.signup_guest_confirm(signup=signup)
                message = (
                    _("You are on the waiting list.")
                    if signup.state == SignupState.WAITLISTED
                    else _("Thank you. Your sign-up is confirmed.")
                )
            elif action == "cancel":
                services.signup_cancel(signup=signup)
                message = _("Your sign-up is cancelled.")
            else:
                raise ValidationError(_("Choose confirm or cancel."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, message)
        return redirect(request.path)
    closed = signup_open_problems(dugnad)
    context = {
        "signup": signup,
        "dugnad": dugnad,
        "token": token,
        "waitlist_position": selectors.waitlist_position(signup=signup),
        "can_confirm": signup.state == SignupState.UNCONFIRMED and not closed,
        "can_cancel": signup.state != SignupState.CANCELLED and dugnad.starts_at > timezone.now(),
        "closed_reason": " ".join(str(problem) for problem in closed),
    }
    return render(request, "dugnads/guest_signup.html", context)
