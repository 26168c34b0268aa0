"""Every write on committees, memberships and departments.

Each function is one transaction, validates with ``full_clean()`` and raises
``django.core.exceptions.ValidationError`` with a user-facing message when a rule says no.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.deadlines import PASSED, SOON, Deadline, DeadlineFollowUp, dedupe_key
from core.steps import take_step
from notifications.services import notify

from . import notifications as kinds
from . import rules
from .models import (
    BOARD_ROLES,
    COMMITTEE_STATUS_STEPS,
    REGISTERED_STATUSES,
    Committee,
    CommitteeStatus,
    CommitteeStatusChange,
    Membership,
    Role,
    StatusParty,
)
from .selectors import board_group_coverage
from .staff import is_municipal_staff

User = get_user_model()


# --- Committee status -----------------------------------------------------------------------------


def committee_status_problems(*, committee: Committee, status: str) -> list[str]:
    """Why ``committee`` cannot move to ``status`` now (empty when it can). The one rule."""
    problems = []
    if status == committee.status:
        return problems
    if (committee.status, status) not in COMMITTEE_STATUS_STEPS:
        problems.append(
            str(COMMITTEE_STATUS_STEPS.impossible)
            % {
                "old": CommitteeStatus(committee.status).label,
                "new": CommitteeStatus(status).label,
            }
        )
    if status in REGISTERED_STATUSES:
        if not committee.organisation_number:
            problems.append(_("Registration needs an organisation number."))
        if (
            not committee.pk
            or not Membership.objects.current()
            .filter(committee=committee, role=Role.LEADER)
            .exists()
        ):
            problems.append(_("Registration needs a leader."))
    return problems


def _status_parties(actor) -> set[str]:
    """The municipality sets a committee's status: its staff who may change committees (in the
    admin). No actor is the system itself (the demo data, a script)."""
    if actor is None or (
        actor.is_active and actor.is_staff and actor.has_perm("committees.change_committee")
    ):
        return {StatusParty.MUNICIPALITY}
    return set()


@transaction.atomic
def committee_set_status(*, committee: Committee, status: str, actor=None) -> Committee:
    """Take the status step (``COMMITTEE_STATUS_STEPS``) if ``committee_status_problems`` finds
    nothing against it; the step is recorded in the committee's status history.

    The committee's row is locked and its status read again first, so two staff members
    changing the same committee at once take their steps one after the other, each from the
    status the other left (never from a stale page)."""
    if committee.pk is not None:
        committee.status = (
            Committee.objects.select_for_update()
            .values_list("status", flat=True)
            .get(pk=committee.pk)
        )
    problems = committee_status_problems(committee=committee, status=status)
    if problems:
        raise ValidationError({"status": problems})
    if status == committee.status:
        # Nothing to take: saved as it is.
        committee.full_clean()
        committee.save()
        return committee

    def change(*, step, party, message):
        if status == CommitteeStatus.REGISTERED and committee.registered_on is None:
            committee.registered_on = timezone.localdate()

    take_step(
        table=COMMITTEE_STATUS_STEPS,
        obj=committee,
        to_state=status,
        actor=actor,
        parties=_status_parties(actor),
        change=change,
        record=lambda **fields: CommitteeStatusChange.objects.create(committee=committee, **fields),
    )
    return committee


@transaction.atomic
def committee_update_details(
    *,
    committee: Committee,
    actor,
    description: str,
    area_description: str,
    contact_email: str,
    support_goal: int | None = None,
) -> Committee:
    """What a leader may change on the committee page (``rules.committee_details_problems``
    says what it may not be: a blank description)."""
    problems = rules.committee_details_problems(description=description)
    if problems:
        raise ValidationError(problems)
    committee.description = description
    committee.area_description = area_description
    committee.contact_email = contact_email
    committee.support_goal = support_goal
    committee.full_clean()
    committee.save(
        update_fields=[
            "description",
            "area_description",
            "contact_email",
            "support_goal",
            "updated_at",
        ]
    )
    return committee


# --- Following ------------------------------------------------------------------------------------


@transaction.atomic
def committee_follow(*, committee: Committee, user) -> Membership:
    """A resident follows a committee: a current ``member`` membership. Idempotent.

    The committee row is locked so two simultaneous clicks cannot both insert a membership.
    """
    Committee.objects.select_for_update().get(pk=committee.pk)
    existing = Membership.objects.current().filter(committee=committee, user=user).first()
    if existing:
        return existing
    membership = Membership(committee=committee, user=user, role=Role.MEMBER)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def committee_unfollow(*, committee: Committee, user) -> None:
    """Undo ``committee_follow``; board roles are not touched (the leader ends those)."""
    today = timezone.localdate()
    for membership in (
        Membership.objects.select_for_update()
        .current()
        .filter(committee=committee, user=user, role=Role.MEMBER)
    ):
        _end(membership, today)


# --- Board ----------------------------------------------------------------------------------------


def _end(membership: Membership, on: datetime.date, *, actor=None) -> None:
    if membership.term_start >= on:
        membership.delete()  # it never took effect
        return
    membership.term_end = on
    membership.ended_by = actor
    membership.save(update_fields=["term_end", "ended_by"])


def check_single_leader(*, committee: Committee, role: str, exclude_pk=None) -> None:
    """A committee has at most one current leader (also re-checked when an invitation is
    accepted: another may have become leader meanwhile)."""
    if role != Role.LEADER:
        return
    leaders = Membership.objects.current().filter(committee=committee, role=Role.LEADER)
    if exclude_pk:
        leaders = leaders.exclude(pk=exclude_pk)
    if leaders.exists():
        raise ValidationError({"role": _("The committee already has a leader.")})


@transaction.atomic
def membership_add(
    *,
    committee: Committee,
    actor,
    email: str,
    role: str,
    represents: str,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
) -> Membership:
    """Add an existing user to the board at once (the system and tests; on the site a leader
    invites instead: ``invitation_services.board_invitation_create``). The person is told."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            {"email": _("No user has this e-mail address. Ask them to create an account first.")}
        )
    return board_membership_create(
        committee=committee,
        user=user,
        actor=actor,
        role=role,
        represents=represents,
        term_start=term_start,
        term_end=term_end,
        tell=actor is None or actor.pk != user.pk,
    )


def board_membership_create(
    *,
    committee: Committee,
    user,
    actor,
    role: str,
    represents: str,
    term_start: datetime.date,
    term_end: datetime.date | None,
    tell: bool,
) -> Membership:
    """Put ``user`` on the board, under the board's rules (no second role, one leader, the
    term's order); a follower who joins the board stops being a follower. The one way onto a
    board, for ``membership_add`` and an accepted invitation. Call it inside a transaction."""
    Committee.objects.select_for_update().get(pk=committee.pk)  # serialise board changes
    current = Membership.objects.current().filter(committee=committee, user=user)
    if current.filter(role__in=[r.value for r in BOARD_ROLES | {Role.MUNICIPAL_CONTACT}]).exists():
        raise ValidationError(
            {"email": ValidationError(ALREADY_ON_BOARD_MESSAGE, code=ALREADY_ON_BOARD)}
        )
    check_single_leader(committee=committee, role=role)
    membership = Membership(
        committee=committee,
        user=user,
        role=role,
        represents=represents,
        term_start=term_start,
        term_end=term_end,
    )
    membership.full_clean()
    for follower in current.filter(role=Role.MEMBER):
        _end(follower, timezone.localdate())
    membership.save()
    if tell:
        notify(
            recipients=[user],
            kind=kinds.BOARD_ADDED,
            context={"membership": membership, "actor": actor or _("The municipality")},
            target=committee,
            dedupe_key=f"membership:{membership.pk}:added",
        )
    return membership


ALREADY_ON_BOARD = "already_on_board"
# Lazy: these are read in the language of each request, not the one the module was imported in.
ALREADY_ON_BOARD_MESSAGE = gettext_lazy("This person already has a role in the committee.")
MUNICIPAL_CONTACT_REFUSED = "municipal_contact_by_municipality"
MUNICIPAL_CONTACT_REFUSED_MESSAGE = gettext_lazy(
    "Only the municipality chooses the committee's municipal contact. Ask the municipality if "
    "the contact should change."
)


def municipal_contact_end_problem(*, membership: Membership, actor) -> ValidationError | None:
    """Why ``actor`` may not end ``membership`` because it is the municipal contact's (None
    when they may). The municipality ends it: staff acting for it (``staff.is_municipal_staff``)
    or the system (``actor=None``); a leader on the site never does, even by posting to the end
    page's address directly (the board table shows no link)."""
    if membership.role != Role.MUNICIPAL_CONTACT or actor is None or is_municipal_staff(actor):
        return None
    return ValidationError(MUNICIPAL_CONTACT_REFUSED_MESSAGE, code=MUNICIPAL_CONTACT_REFUSED)


def municipal_contact_problems(*, role: str, previous_role: str | None = None) -> dict:
    """A leader on the site neither gives nor changes the municipal contact role: the
    municipality sets it in the admin (which does not go through this rule)."""
    if Role.MUNICIPAL_CONTACT in (role, previous_role) and role != previous_role:
        return {
            "role": [
                ValidationError(MUNICIPAL_CONTACT_REFUSED_MESSAGE, code=MUNICIPAL_CONTACT_REFUSED)
            ]
        }
    return {}


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    actor,
    role: str,
    represents: str,
    term_start: datetime.date,
    term_end: datetime.date | None,
) -> Membership:
    """Change a membership's role, group and term (the leader, on the site).

    ``rules.own_membership_problems`` refuses changes to the actor's own role and term, compared
    with the row as stored (read again under a lock: the caller's instance may already carry the
    posted values). Someone given another role on the board is told
    (``committee.board_role_given``), unless they changed it themselves."""
    Committee.objects.select_for_update().get(pk=membership.committee_id)
    stored = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    problems = rules.own_membership_problems(
        stored=stored, actor=actor, role=role, term_start=term_start, term_end=term_end
    )
    if actor is not None:
        problems = {**municipal_contact_problems(role=role, previous_role=stored.role), **problems}
    if problems:
        raise ValidationError(problems)
    check_single_leader(committee=membership.committee, role=role, exclude_pk=membership.pk)
    previous_role = stored.role
    membership.role = role
    membership.represents = represents
    membership.term_start = term_start
    membership.term_end = term_end
    membership.full_clean()
    membership.save()
    if (
        role != previous_role
        and role != Role.MEMBER
        and (actor is None or actor.pk != stored.user_id)
    ):
        notify(
            recipients=[stored.user],
            kind=kinds.BOARD_ROLE_GIVEN,
            context={
                "membership": membership,
                "actor": actor or _("The municipality"),
                "previous_role": Role(previous_role).label,
                "was_follower": previous_role == Role.MEMBER,
            },
            target=membership.committee,
            # One per change: the same role given again later is news again.
            dedupe_key=f"membership:{membership.pk}:role:{role}:{timezone.now().isoformat()}",
        )
    return membership


@transaction.atomic
def membership_end(
    *,
    membership: Membership,
    actor,
    on: datetime.date | None = None,
    not_reelected: bool = False,
) -> None:
    """End a membership today (or on ``on``). A leader cannot end their own membership here,
    and only the municipality ends the municipal contact's (``municipal_contact_end_problem``).
    ``not_reelected``: the annual meeting did not elect the person again and the leader only
    carries that out, which the person is told (not that the leader ended it)."""
    if actor is not None and membership.user_id == actor.pk and membership.role == Role.LEADER:
        raise ValidationError(
            _("You cannot end your own membership as leader. Contact the municipality.")
        )
    problem = municipal_contact_end_problem(membership=membership, actor=actor)
    if problem is not None:
        raise problem
    pk, end_on = membership.pk, on or timezone.localdate()
    # Deletes a membership that never started.
    _end(membership, end_on, actor=actor)
    if membership.role != Role.MEMBER and actor and actor.pk != membership.user_id:
        # Same key as the term follow-up: the member hears about the end once.
        notify(
            recipients=[membership.user],
            kind=kinds.BOARD_REMOVED,
            context={"membership": membership, "actor": actor, "not_reelected": not_reelected},
            target=membership.committee,
            dedupe_key=term_ended_key(membership_pk=pk, term_end=end_on),
        )


# --- Board terms (the daily follow-up) -----------------------------------------------------------

TERM_DEADLINE = "term"  # the deadline's kind in dedupe keys: membership:7:term:2026-12-31:soon


def _term_deadlines(membership: Membership, *, today: datetime.date) -> list[Deadline]:
    """A board term as a deadline. Its last day is the day before ``term_end`` (the end date is
    exclusive), so on ``term_end`` the membership has ended: from then on it no longer counts for
    roles, permissions or coverage, and the "passed" report goes out.

    A term that never took effect has none; a term that has not started is not reminded of yet;
    one someone ended by hand is not reported (they were there to see it, and the member was told).
    """
    if membership.term_end is None or membership.term_start >= membership.term_end:
        return []
    if today < membership.term_end and membership.term_start > today:
        return []
    if today >= membership.term_end and membership.ended_by_id is not None:
        return []
    return [Deadline(TERM_DEADLINE, membership.term_end - datetime.timedelta(days=1))]


def _term_key(membership_pk: int) -> str:
    return f"membership:{membership_pk}"


def term_ended_key(*, membership_pk: int, term_end: datetime.date) -> str:
    """The dedupe key of "your term has ended", shared by the follow-up and ``membership_end``,
    so a member hears of the end once."""
    last_day = Deadline(TERM_DEADLINE, term_end - datetime.timedelta(days=1))
    return dedupe_key(_term_key(membership_pk), last_day, PASSED)


def _committee_contacts(committee_id: int, *, on: datetime.date) -> list:
    """The committee's current leader and municipal contact(s)."""
    return [
        m.user
        for m in Membership.objects.current(on=on)
        .filter(committee_id=committee_id, role__in=[Role.LEADER, Role.MUNICIPAL_CONTACT])
        .select_related("user")
    ]


def _term_context(membership: Membership, deadline: Deadline, phase: str, *, today) -> dict:
    if phase == SOON:
        # The municipal contact role is staff-only (Membership.clean); leaders are residents.
        municipal = [
            user for user in _committee_contacts(membership.committee_id, on=today) if user.is_staff
        ]
        return {
            "membership": membership,
            "municipal_contact_names": ", ".join(str(user) for user in municipal),
        }
    board = Membership.objects.current(on=today).board().filter(committee=membership.committee_id)
    uncovered = [item.group for item in board_group_coverage(list(board)) if not item.covered]
    return {"membership": membership, "uncovered": uncovered}


def board_terms_follow_up(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind before a board term ends, and report the board's coverage once it has ended.

    ``core.deadlines`` does the follow-up: every term ending within the next
    ``TERM_REMINDER_DAYS`` days gets its reminder (so a missed day is caught up), every term
    that ended in the last ``TERM_ENDED_LOOKBACK_DAYS`` days its report, each once (dedupe keys
    naming the membership and the term's last day), each membership re-read under a row lock.
    The member, the committee's leader and its municipal contact(s) hear both.
    """
    today = today or timezone.localdate()
    roles = [r.value for r in BOARD_ROLES | {Role.MUNICIPAL_CONTACT}]
    one_day = datetime.timedelta(days=1)

    def people(membership: Membership, deadline: Deadline) -> list:
        return [membership.user, *_committee_contacts(membership.committee_id, on=today)]

    sent = DeadlineFollowUp(
        # The term's last day is the day before term_end.
        candidates=lambda low, high: Membership.objects.filter(
            role__in=roles, term_end__range=(low + one_day, high + one_day)
        ),
        current=Membership.objects.filter(role__in=roles).select_related("user", "committee"),
        deadlines_of=lambda membership: _term_deadlines(membership, today=today),
        key_prefix=lambda membership: _term_key(membership.pk),
        reminder_kind=kinds.TERM_ENDING,
        passed_kind=kinds.TERM_ENDED,
        reminder_recipients=people,
        passed_recipients=people,
        context=lambda membership, deadline, phase: _term_context(
            membership, deadline, phase, today=today
        ),
        target=lambda membership: membership.committee,
        notify=notify,
        # Counted to the end date (the day after the last day): "30 days before 1 January".
        days_before=kinds.TERM_REMINDER_DAYS - 1,
        lookback_days=kinds.TERM_ENDED_LOOKBACK_DAYS,
    ).run(today=today)
    return {"reminders": sent[SOON], "ended": sent[PASSED]}
