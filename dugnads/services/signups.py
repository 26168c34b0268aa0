"""Signing up, the waiting list and cancelling — every change under the dugnad's row lock, so
20 people signing up at once for 5 places leave exactly 5 with a place, never more.

The waiting-list rule: first come, first served, by whole parties. A sign-up gets a place when
its whole party fits in what is free **and** nobody is waiting ahead of it; otherwise it waits.
When places free up (a cancellation, a raised capacity), the first on the list is promoted while
its party fits; a party that does not fit keeps its turn (nobody is skipped past it).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notifications as kinds
from ..models import ACTIVE_SIGNUP_STATES, Dugnad, Need, Signup, SignupState
from ..rules import signup_open_problems
from ..selectors import people_confirmed, waitlisted_in_order
from .participants import tell_signup


def _lock(dugnad: Dugnad) -> Dugnad:
    return Dugnad.objects.select_for_update().select_related("committee").get(pk=dugnad.pk)


def _fits(dugnad: Dugnad, party_size: int) -> bool:
    if dugnad.capacity is None:
        return True
    return people_confirmed(dugnad=dugnad) + party_size <= dugnad.capacity


def _place_or_queue(dugnad: Dugnad, signup: Signup, now) -> None:
    """Confirmed if the party fits and nobody waits ahead; else on the waiting list."""
    nobody_waiting = not waitlisted_in_order(dugnad=dugnad).exclude(pk=signup.pk).exists()
    signup.queued_at = now
    if nobody_waiting and _fits(dugnad, signup.party_size):
        signup.state = SignupState.CONFIRMED
        signup.confirmed_at = now
    else:
        signup.state = SignupState.WAITLISTED


def _check_need(dugnad: Dugnad, need: Need | None) -> None:
    if need is not None and need.dugnad_id != dugnad.pk:
        raise ValidationError({"need": _("Choose one of this dugnad's tasks.")})


@transaction.atomic
def signup_create(
    *,
    dugnad: Dugnad,
    user=None,
    guest_name: str = "",
    guest_email: str = "",
    party_size: int = 1,
    need: Need | None = None,
    comment: str = "",
) -> Signup:
    """A resident's sign-up (``user``) gets a place or a place on the waiting list at once. A
    guest's (name and address) waits for the link in the e-mail before it holds a place."""
    dugnad = _lock(dugnad)
    if problems := signup_open_problems(dugnad):
        raise ValidationError(problems)
    _check_need(dugnad, need)
    now = timezone.now()
    signup = Signup(
        dugnad=dugnad,
        user=user,
        guest_name=(guest_name or "").strip() if user is None else "",
        guest_email=(guest_email or "").strip().lower() if user is None else "",
        party_size=party_size,
        need=need,
        comment=(comment or "").strip(),
        created_at=now,
        queued_at=now,
        state=SignupState.UNCONFIRMED,
    )
    if user is not None:
        if dugnad.signups.filter(user=user, state__in=list(ACTIVE_SIGNUP_STATES)).exists():
            raise ValidationError(_("You are already signed up for this dugnad."))
        _place_or_queue(dugnad, signup, now)
    signup.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError:
        raise ValidationError(_("You are already signed up for this dugnad.")) from None
    if user is not None:
        tell_signup(
            signup=signup,
            kind=kinds.SIGNED_UP,
            dedupe_key=f"dugnad:{dugnad.pk}:signup:{signup.pk}",
        )
    else:
        tell_signup(
            signup=signup,
            kind="confirm",
            dedupe_key=f"dugnad:{dugnad.pk}:signup:{signup.pk}:confirm",
        )
    return signup


@transaction.atomic
def signup_guest_confirm(*, signup: Signup) -> Signup:
    """The guest opened the link: the sign-up asks for its place now (confirmed or waiting).
    Confirming twice changes nothing."""
    dugnad = _lock(signup.dugnad)
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if signup.state != SignupState.UNCONFIRMED:
        return signup
    if problems := signup_open_problems(dugnad):
        raise ValidationError(problems)
    _place_or_queue(dugnad, signup, timezone.now())
    signup.save(update_fields=["state", "queued_at", "confirmed_at"])
    return signup


@transaction.atomic
def signup_cancel(*, signup: Signup) -> Signup:
    """Cancel a sign-up; a freed place goes to the first on the waiting list. Cancelling twice
    changes nothing."""
    dugnad = _lock(signup.dugnad)
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if signup.state == SignupState.CANCELLED:
        return signup
    if dugnad.starts_at <= timezone.now():
        raise ValidationError(_("The dugnad has started; the sign-up can no longer be cancelled."))
    held_place = signup.state == SignupState.CONFIRMED
    signup.state = SignupState.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["state", "cancelled_at"])
    if held_place:
        promote_from_waitlist(dugnad=dugnad)
    return signup


def promote_from_waitlist(*, dugnad: Dugnad) -> list[Signup]:
    """Give freed places to the waiting list, first come first served, while the first party
    fits. Call with the dugnad locked (the services above do). Each promoted person is told."""
    promoted = []
    now = timezone.now()
    for signup in waitlisted_in_order(dugnad=dugnad).select_for_update():
        if not _fits(dugnad, signup.party_size):
            break
        signup.state = SignupState.CONFIRMED
        signup.confirmed_at = now
        signup.save(update_fields=["state", "confirmed_at"])
        promoted.append(signup)
        tell_signup(
            signup=signup,
            kind=kinds.PROMOTED,
            dedupe_key=f"dugnad:{dugnad.pk}:signup:{signup.pk}:promoted",
        )
    return promoted
