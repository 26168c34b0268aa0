"""Telling the people signed up for a dugnad: residents through the notification engine, guests
(no account) by e-mail rows (``GuestMail``), sent by the ``dugnads.send_guest_mail`` task.

A guest hears what a resident hears about a dugnad they take part in (a place from the waiting
list, a new time or place, a cancellation, the reminder, the organisers' messages), each mail
with the link to their sign-up; instead of "you are signed up" they get the mail asking them to
confirm (``CONFIRM``), which is sent even before they hold a place.
"""

import datetime

from django.db import transaction
from django.db.models import Q

from notifications.services import notify

from .. import notifications as kinds
from ..models import GuestMail, Signup, SignupState
from ..selectors import guest_signups, participant_recipients

# The guest's first e-mail: confirm (or cancel) with the link. Not a notification kind.
CONFIRM = "confirm"
# What a guest is sent besides CONFIRM. "You are signed up" is not: the guest asked for the
# confirmation mail a moment ago, and the sign-up page says where they stand.
GUEST_KINDS = frozenset(
    {CONFIRM, kinds.PROMOTED, kinds.CHANGED, kinds.CANCELLED, kinds.REMINDER, kinds.MESSAGE}
)


def guest_mail_queue(*, signups, kind: str, dedupe_key: str, context: dict | None = None) -> int:
    """A ``GuestMail`` row per guest sign-up, in the caller's transaction; once per key. A kind
    guests are not sent (``GUEST_KINDS``) queues nothing."""
    if kind not in GUEST_KINDS:
        return 0
    created = 0
    for signup in signups:
        if not signup.is_guest:
            continue
        _, new = GuestMail.objects.get_or_create(
            signup=signup, dedupe_key=dedupe_key, defaults={"kind": kind, "context": context or {}}
        )
        created += new
    if created:
        from .. import guest_mail

        guest_mail.request_sending_on_commit()
    return created


def tell_signup(*, signup: Signup, kind: str, dedupe_key: str, context: dict | None = None) -> int:
    """One sign-up's person: the resident's bell and e-mail, or the guest's e-mail."""
    if signup.is_guest:
        return guest_mail_queue(signups=[signup], kind=kind, dedupe_key=dedupe_key, context=context)
    return notify(
        recipients=[signup.user],
        kind=kind,
        context={"dugnad": signup.dugnad, "signup": signup, **(context or {})},
        target=signup.dugnad,
        dedupe_key=dedupe_key,
    )


def tell_participants(*, dugnad, kind: str, dedupe_key: str, context: dict | None = None) -> int:
    """Everyone signed up or waiting: residents by ``notify`` (one render per language), guests
    by e-mail. ``context`` must be JSON-friendly for the guests' rows (texts, not objects)."""
    sent = notify(
        recipients=participant_recipients(dugnad),
        kind=kind,
        context={"dugnad": dugnad, **(context or {})},
        target=dugnad,
        dedupe_key=dedupe_key,
    )
    return sent + guest_mail_queue(
        signups=guest_signups(dugnad), kind=kind, dedupe_key=dedupe_key, context=context
    )


def forgotten_address(signup_pk: int) -> str:
    """What a guest's address becomes once it is forgotten: a reserved domain (RFC 2606), so
    nothing can be sent to it, unique per sign-up (the one-address-per-dugnad constraint)."""
    return f"guest-{signup_pk}@forgotten.invalid"


@transaction.atomic
def guests_forget(*, before: datetime.datetime) -> dict[str, int]:
    """After a dugnad (ended before ``before``) a guest's address has done its work: their
    e-mails are deleted, a sign-up never confirmed is deleted, and the others keep the name (the
    organisers' list and the report's hours) but lose the address. Safe to re-run."""
    ended = Q(signup__dugnad__ends_at__lt=before)
    mails, _ = GuestMail.objects.filter(ended).delete()
    unconfirmed, _ = Signup.objects.filter(
        user__isnull=True, state=SignupState.UNCONFIRMED, dugnad__ends_at__lt=before
    ).delete()
    forgotten = 0
    remembered = (
        Signup.objects.filter(user__isnull=True, dugnad__ends_at__lt=before)
        .exclude(guest_email__endswith="@forgotten.invalid")
        .values_list("pk", flat=True)
    )
    for pk in remembered:
        forgotten += Signup.objects.filter(pk=pk).update(guest_email=forgotten_address(pk))
    return {"mails": mails, "unconfirmed": unconfirmed, "forgotten": forgotten}
