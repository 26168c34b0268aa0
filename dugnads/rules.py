"""A dugnad's rules, written once: the model's ``clean``, the forms and the services use them."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.deadlines import add_days

# The municipality answers resource requests this many days before the start, by default.
RESOURCES_DAYS_BEFORE = 7
# A dugnad lasts at most this long (a day's work, or a weekend).
MAX_DURATION = datetime.timedelta(days=3)


def default_resources_due(starts_at: datetime.datetime) -> datetime.date:
    """The municipality's last day to answer: a week before the start (Europe/Oslo)."""
    return add_days(timezone.localdate(starts_at), -RESOURCES_DAYS_BEFORE)


def dugnad_problems(dugnad) -> dict[str, list[str]]:
    """Why a dugnad cannot be saved as it is (empty when it can)."""
    problems: dict[str, list[str]] = {}
    starts, ends = dugnad.starts_at, dugnad.ends_at
    if starts and ends:
        if ends <= starts:
            problems.setdefault("ends_at", []).append(_("The dugnad must end after it starts."))
        elif ends - starts > MAX_DURATION:
            problems.setdefault("ends_at", []).append(_("A dugnad can last at most three days."))
        if dugnad.signup_deadline and dugnad.signup_deadline > starts:
            problems.setdefault("signup_deadline", []).append(
                _("The sign-up deadline cannot be after the start.")
            )
        if dugnad.resources_due and dugnad.resources_due > timezone.localdate(starts):
            problems.setdefault("resources_due", []).append(
                _("The municipality must be able to answer before the dugnad starts.")
            )
    if (dugnad.latitude is None) != (dugnad.longitude is None):
        problems.setdefault("longitude", []).append(
            _("Give both latitude and longitude, or neither.")
        )
    return problems


def signup_open_problems(dugnad, *, now: datetime.datetime | None = None) -> list[str]:
    """Why nobody can sign up for ``dugnad`` now (empty when they can)."""
    from .states import State

    now = now or timezone.now()
    if dugnad.state != State.PUBLISHED:
        return [_("Sign-up is not open for this dugnad.")]
    if dugnad.starts_at <= now:
        return [_("The dugnad has started; sign-up is closed.")]
    if dugnad.signup_deadline and dugnad.signup_deadline < now:
        return [_("The sign-up deadline has passed.")]
    return []


def signup_is_open(dugnad, *, now: datetime.datetime | None = None) -> bool:
    return not signup_open_problems(dugnad, now=now)


def free_places(*, capacity: int | None, confirmed: int, waiting: int = 0) -> int | None:
    """Places a new sign-up could take now (None: no limit). While anyone waits, none: a freed
    place is kept for the first party on the waiting list (the waiting-list rule,
    ``services.signups``). ``waiting=0`` gives the places not taken, as the organisers count."""
    if capacity is None:
        return None
    if waiting:
        return 0
    return max(0, capacity - confirmed)
