"""Every read of dugnads that views, tasks and other apps need, and who hears of what."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Lower

from committees import selectors as committee_selectors
from committees.models import Department
from committees.staff import case_handlers

from .models import (
    ACTIVE_SIGNUP_STATES,
    Dugnad,
    Need,
    Resource,
    ResourceState,
    Signup,
    SignupState,
)
from .rules import free_places


def confirmed_people_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}state": SignupState.CONFIRMED})


def with_people(qs: QuerySet[Dugnad]) -> QuerySet[Dugnad]:
    """Add ``people_confirmed`` and ``people_waiting`` (people, party sizes summed) in the query."""
    return qs.annotate(
        people_confirmed=Coalesce(
            Sum("signups__party_size", filter=Q(signups__state=SignupState.CONFIRMED)), 0
        ),
        people_waiting=Coalesce(
            Sum("signups__party_size", filter=Q(signups__state=SignupState.WAITLISTED)), 0
        ),
    )


def people_confirmed(*, dugnad: Dugnad) -> int:
    """People with a place (party sizes summed): the number the capacity is checked against."""
    return dugnad.signups.filter(state=SignupState.CONFIRMED).aggregate(
        n=Coalesce(Sum("party_size"), 0)
    )["n"]


def places_left(*, dugnad: Dugnad, confirmed: int | None = None) -> int | None:
    """Places not taken (``rules.free_places`` without the waiting list), or None: no limit."""
    if dugnad.capacity is None:
        return None
    taken = people_confirmed(dugnad=dugnad) if confirmed is None else confirmed
    return free_places(capacity=dugnad.capacity, confirmed=taken)


def needs_with_missing(*, dugnad: Dugnad) -> list[Need]:
    """The dugnad's needs, each with ``people_signed`` (confirmed people who picked it) and
    ``missing`` (how many more it needs), in one query."""
    needs = list(
        dugnad.needs.annotate(
            people_signed=Coalesce(
                Sum("signups__party_size", filter=Q(signups__state=SignupState.CONFIRMED)), 0
            )
        )
    )
    for need in needs:
        need.missing = max(0, need.people - need.people_signed)
    return needs


def signup_active_for_user(*, dugnad: Dugnad, user) -> Signup | None:
    if not user.is_authenticated:
        return None
    return (
        dugnad.signups.filter(user=user)
        .exclude(state=SignupState.CANCELLED)
        .select_related("need")
        .first()
    )


def waitlist_position(*, signup: Signup) -> int | None:
    """1 for the first on the waiting list; None when the sign-up is not waiting."""
    if signup.state != SignupState.WAITLISTED:
        return None
    ahead = Signup.objects.filter(dugnad_id=signup.dugnad_id, state=SignupState.WAITLISTED).filter(
        Q(queued_at__lt=signup.queued_at) | Q(queued_at=signup.queued_at, pk__lt=signup.pk)
    )
    return ahead.count() + 1


def waitlisted_in_order(*, dugnad: Dugnad) -> QuerySet[Signup]:
    return dugnad.signups.filter(state=SignupState.WAITLISTED).order_by("queued_at", "pk")


# --- who hears ------------------------------------------------------------------------------------


def organiser_recipients(dugnad: Dugnad) -> list:
    """The organisers on the board today; when none is, the committee's board."""
    board = {
        user.pk: user
        for user in committee_selectors.committee_board_users(committee=dugnad.committee)
    }
    organisers = [board[pk] for pk in dugnad.organisers.values_list("pk", flat=True) if pk in board]
    return organisers or list(board.values())


def board_recipients(dugnad: Dugnad) -> list:
    return committee_selectors.committee_board_users(committee=dugnad.committee)


def participant_recipients(dugnad: Dugnad) -> list:
    """Residents signed up or waiting (guests are told by e-mail: ``guest_signups``)."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            dugnad_signups__dugnad=dugnad,
            dugnad_signups__state__in=list(ACTIVE_SIGNUP_STATES),
        )
        .distinct()
        .order_by("pk")
    )


def guest_signups(dugnad: Dugnad) -> list[Signup]:
    """Guests signed up or waiting: told by e-mail (they have no account)."""
    return list(
        dugnad.signups.filter(user__isnull=True, state__in=list(ACTIVE_SIGNUP_STATES)).order_by(
            "pk"
        )
    )


def department_recipients(dugnad: Dugnad, *, states=(ResourceState.REQUESTED,)) -> list:
    """The staff of the departments asked for the dugnad's resources. A department without
    active staff on the portal would hear nothing, so then every case handler hears instead (as
    a proposal's case goes to every case handler when it has no handler or department)."""
    staff = list(
        get_user_model()
        .objects.filter(
            is_active=True,
            is_staff=True,
            department_staff__department__dugnad_resources__dugnad=dugnad,
            department_staff__department__dugnad_resources__state__in=list(states),
        )
        .distinct()
        .order_by("pk")
    )
    asked = dugnad.resources.filter(state__in=list(states)).values("department_id")
    unstaffed = (
        Department.objects.filter(pk__in=asked)
        .exclude(staff__is_active=True, staff__is_staff=True)
        .exists()
    )
    if unstaffed:
        known = {person.pk for person in staff}
        staff += [person for person in case_handlers() if person.pk not in known]
    return staff


def committee_followers(dugnad: Dugnad) -> list:
    return committee_selectors.committee_follower_users(committee=dugnad.committee)


# --- pages ---------------------------------------------------------------------------------------


def dugnad_list_upcoming(*, committee=None, now: datetime.datetime | None = None) -> QuerySet:
    qs = Dugnad.objects.upcoming(now=now)
    if committee is not None:
        qs = qs.filter(Q(committee=committee) | Q(committee__parent=committee))
    return with_people(qs.select_related("committee")).order_by("starts_at", "pk")


def dugnad_list_past(*, committee=None, now: datetime.datetime | None = None) -> QuerySet:
    qs = Dugnad.objects.past(now=now)
    if committee is not None:
        qs = qs.filter(Q(committee=committee) | Q(committee__parent=committee))
    return with_people(qs.select_related("committee")).order_by("-starts_at", "-pk")


def dugnad_get(*, pk: int) -> Dugnad:
    return (
        Dugnad.objects.select_related("committee", "committee__parent", "origin_proposal")
        .prefetch_related(
            "organisers",
            Prefetch("resources", queryset=Resource.objects.select_related("department")),
        )
        .get(pk=pk)
    )


def dugnad_participants(*, dugnad: Dugnad) -> QuerySet[Signup]:
    """The organiser's list: everyone signed up or waiting, in queue order."""
    return (
        dugnad.signups.filter(state__in=list(ACTIVE_SIGNUP_STATES))
        .select_related("user", "need")
        .order_by("state", "queued_at", "pk")
    )


def signups_for_user(*, user) -> QuerySet[Signup]:
    """Min side → Mine dugnader: the person's sign-ups, upcoming first."""
    return (
        Signup.objects.filter(user=user)
        .exclude(state=SignupState.CANCELLED)
        .select_related("dugnad", "dugnad__committee", "need")
        .order_by("-dugnad__starts_at", "pk")
    )


def count_by_state(*, dugnad: Dugnad) -> dict[str, int]:
    rows = dugnad.signups.values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}


# --- the public pages (views/public.py) -----------------------------------------------------------


def dugnad_get_for_page(*, pk: int) -> Dugnad:
    """One dugnad for its page, in a fixed number of queries however many have signed up: the
    people counts annotated, organisers and resources (with their departments) prefetched, and
    the organisers' ids cached for ``permissions.is_organiser``."""
    dugnad = (
        with_people(Dugnad.objects.filter(pk=pk))
        .select_related("committee", "committee__parent", "origin_proposal")
        .prefetch_related(
            "organisers",
            Prefetch("resources", queryset=Resource.objects.select_related("department")),
        )
        .get()
    )
    dugnad._organiser_ids = {user.pk for user in dugnad.organisers.all()}
    return dugnad


def committee_upcoming_dugnads(*, committee, limit: int, now: datetime.datetime | None = None):
    """The next ``limit`` dugnads of a committee and its sub-committees, for its page (one query)."""
    return list(dugnad_list_upcoming(committee=committee, now=now)[:limit])


def _waitlist_position_annotation():
    """1 for the first on the waiting list (as ``waitlist_position``), in the same query."""
    from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When

    ahead = (
        Signup.objects.filter(dugnad_id=OuterRef("dugnad_id"), state=SignupState.WAITLISTED)
        .filter(
            Q(queued_at__lt=OuterRef("queued_at"))
            | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("dugnad_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Case(
        When(
            state=SignupState.WAITLISTED,
            then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
        ),
        default=None,
        output_field=IntegerField(),
    )


def signups_for_user_page(
    *, user, upcoming: bool, limit: int | None = None, now: datetime.datetime | None = None
) -> list[Signup]:
    """Min side → Mine dugnader: the person's sign-ups for dugnads still to come (soonest first)
    or held (latest first), each with its ``waitlist_position``, in one query."""
    from django.utils import timezone

    now = now or timezone.now()
    qs = signups_for_user(user=user).annotate(waitlist_position=_waitlist_position_annotation())
    if upcoming:
        qs = qs.filter(dugnad__ends_at__gte=now).order_by("dugnad__starts_at", "pk")
    else:
        qs = qs.filter(dugnad__ends_at__lt=now).order_by("-dugnad__starts_at", "-pk")
    return list(qs[:limit] if limit else qs)


def dugnads_organised_by(*, user, limit: int | None = None) -> list[Dugnad]:
    """The dugnads someone organises, drafts included, the latest start first (one query)."""
    qs = (
        Dugnad.objects.filter(organisers=user)
        .select_related("committee")
        .order_by("-starts_at", "-pk")
    )
    return list(qs[:limit] if limit else qs)


def dugnad_cancellation(*, dugnad: Dugnad):
    """The step that cancelled a dugnad (its reason is told to everyone signed up, and shown on
    its page), or None."""
    from .models import DugnadEvent, State

    return (
        DugnadEvent.objects.filter(
            dugnad=dugnad, kind=DugnadEvent.Kind.TRANSITION, to_state=State.CANCELLED
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def holds_signup_under_both(*, dugnad: Dugnad, user=None, guest_email: str = "") -> bool:
    """Whether one person would sign up twice: as a resident (``user``) while a guest sign-up
    with one of their confirmed addresses is active, or as a guest (``guest_email``, at the
    link's confirmation) while the account whose confirmed address it is has a sign-up. Two
    queries at most; "one person signs up once" holds across the two ways of signing up."""
    active = list(ACTIVE_SIGNUP_STATES)
    if user is not None:
        mine = (
            get_user_model()
            .objects.filter(pk=user.pk, emailaddress__verified=True)
            .annotate(address=Lower("emailaddress__email"))
            .values("address")
        )
        return dugnad.signups.filter(
            user__isnull=True, state__in=active, guest_email__in=mine
        ).exists()
    return (
        get_user_model()
        .objects.filter(
            committee_selectors.verified_address_q(guest_email),
            is_active=True,
            dugnad_signups__dugnad=dugnad,
            dugnad_signups__state__in=active,
        )
        .exists()
    )
