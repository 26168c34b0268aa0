"""Telling the people signed up for a dugnad: residents through the notification engine, guests
(no account) by e-mail rows (``GuestMail``), sent by the ``dugnads.send_guest_mail`` task."""

from notifications.services import notify

from ..models import GuestMail, Signup
from ..selectors import guest_signups, participant_recipients


def guest_mail_queue(*, signups, kind: str, dedupe_key: str, context: dict | None = None) -> int:
    """A ``GuestMail`` row per guest sign-up, in the caller's transaction; once per key."""
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
