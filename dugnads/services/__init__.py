"""Every write of dugnads, by sub-domain: ``lifecycle`` (create, change, the step table),
``signups`` (sign-up, waiting list, cancel), ``participants`` (telling residents and guests)."""

from .lifecycle import (
    dugnad_cancel,
    dugnad_create,
    dugnad_publish,
    dugnad_transition,
    dugnad_update,
    dugnads_mark_held,
)
from .signups import promote_from_waitlist, signup_cancel, signup_create, signup_guest_confirm

__all__ = [
    "dugnad_cancel",
    "dugnad_create",
    "dugnad_publish",
    "dugnad_transition",
    "dugnad_update",
    "dugnads_mark_held",
    "promote_from_waitlist",
    "signup_cancel",
    "signup_create",
    "signup_guest_confirm",
]
