"""Signing up, the waiting list and cancelling — every change under the dugnad's row lock, so
20 people signing up at once for 5 places leave exactly 5 with a place, never more.

The waiting-list rule: first come, first served, by whole parties. A sign-up gets a place when
its whole party fits in what is free **and** nobody is waiting ahead of it; otherwise it waits.
When places free up (a cancellation, a raised capacity), the first on the list is promoted while
its party fits; a party that does not fit keeps its turn (nobody is skipped past it). A family
of three that waited first is not overtaken by a single person who came later: the list is
predictable, and the organisers can tell anyone where they stand.

A guest (no account) signs up with a name and an address; the sign-up holds no place until the
guest opens the link in the e-mail and confirms (``signup_guest_confirm``), and it joins the
queue then. Places are only ever given here, under the lock: the form, the link and the
organisers' capacity change all come through these functions.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import notifications as kinds
from ..models import ACTIVE_SIGNUP_STATES, Dugnad, Need, Signup, SignupState, State
from ..rules import signup_open_problems
from ..selectors import holds_signup_under_both, people_confirmed, waitlisted_in_order
from .participants import CONFIRM, tell_signup


def _lock(dugnad: Dugnad) -> Dugnad:
    """The dugnad's row, locked until the transaction ends: every place is given under it.
    ``of=("self",)``: the committee joined in is read, not locked (PostgreSQL would otherwise
    lock its row too, and every sign-up in the committee would wait for every other)."""
    return (
        Dugnad.objects.select_for_update(of=("self",)).select_related("committee").get(pk=dugnad.pk)
    )


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


def _check_text(**texts: str) -> None:
    """PostgreSQL refuses a NUL character in text; the forms refuse it too, this is for any
    other caller (the model's validators do not check it)."""
    for field, value in texts.items():
        if "\x00" in (value or ""):
            raise ValidationError({field: _("Null characters are not allowed.")})


def _hour_key(now: datetime.datetime) -> str:
    return timezone.localtime(now).strftime("%Y%m%d%H")


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
    guest's (name and address) waits for the link in the e-mail before it holds a place.

    A guest whose address is already signed up for the dugnad is sent the link to that sign-up
    again (at most once an hour) and gets it back, not an error: whoever typed the address may
    not own it, so the answer must not tell them whether it is signed up."""
    dugnad = _lock(dugnad)
    if problems := signup_open_problems(dugnad):
        raise ValidationError(problems)
    _check_need(dugnad, need)
    _check_text(guest_name=guest_name, guest_email=guest_email, comment=comment)
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
        if holds_signup_under_both(dugnad=dugnad, user=user):
            raise ValidationError(
                _("You are already signed up for this dugnad as a guest, with your e-mail address.")
            )
        _place_or_queue(dugnad, signup, now)
    signup.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError:
        if user is not None:
            raise ValidationError(_("You are already signed up for this dugnad.")) from None
        return _guest_again(dugnad=dugnad, email=signup.guest_email, now=now)
    if user is not None:
        tell_signup(
            signup=signup,
            kind=kinds.SIGNED_UP,
            dedupe_key=f"dugnad:{dugnad.pk}:signup:{signup.pk}",
        )
    else:
        tell_signup(
            signup=signup,
            kind=CONFIRM,
            dedupe_key=f"dugnad:{dugnad.pk}:signup:{signup.pk}:confirm",
            context={"language": translation.get_language()},
        )
    return signup


def _guest_again(*, dugnad: Dugnad, email: str, now) -> Signup:
    """The address already has a sign-up (waiting for confirmation, or holding a place): send
    its link again, once an hour at most (the rate limit bounds the rest)."""
    existing = (
        dugnad.signups.filter(user__isnull=True, guest_email__iexact=email)
        .exclude(state=SignupState.CANCELLED)
        .get()
    )
    tell_signup(
        signup=existing,
        kind=CONFIRM,
        dedupe_key=f"dugnad:{dugnad.pk}:signup:{existing.pk}:confirm:{_hour_key(now)}",
        context={"language": translation.get_language()},
    )
    return existing


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
    if holds_signup_under_both(dugnad=dugnad, guest_email=signup.guest_email):
        # The link went to this address, so its owner opened it: telling them is no leak.
        raise ValidationError(
            _("You are already signed up for this dugnad with the account for this address.")
        )
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
    signup.state = SignupState.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["state", "cancelled_at"])
    # A freed place, or the first on the waiting list gone (a party that did not fit held the
    # queue): either way the next who fits may have a place now.
    promote_from_waitlist(dugnad=dugnad)
    return signup


def promote_from_waitlist(*, dugnad: Dugnad) -> list[Signup]:
    """Give freed places to the waiting list, first come first served, while the first party
    fits. Call with the dugnad locked (the services above and ``dugnad_update`` do). Each
    promoted person is told. Only a published dugnad that has not started gives places: on a
    cancelled one nobody should hear "you got a place"."""
    if dugnad.state != State.PUBLISHED or dugnad.starts_at <= timezone.now():
        return []
    promoted = []
    now = timezone.now()
    # Counted once under the lock, then kept up to date here: no count query per promotion.
    taken = people_confirmed(dugnad=dugnad)
    for signup in waitlisted_in_order(dugnad=dugnad).select_for_update():
        if dugnad.capacity is not None and taken + signup.party_size > dugnad.capacity:
            break
        taken += signup.party_size
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
