"""Every write on committees, memberships and departments.

Each function is one transaction, validates with ``full_clean()`` and raises
``django.core.exceptions.ValidationError`` with a user-facing message when a rule says no.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify

from . import notifications as kinds
from .models import (
    BOARD_ROLES,
    COMMITTEE_STATUS_TRANSITIONS,
    REGISTERED_STATUSES,
    Committee,
    CommitteeStatus,
    Membership,
    Role,
)
from .selectors import board_group_coverage

User = get_user_model()


# --- Committee status -----------------------------------------------------------------------------


def committee_status_problems(*, committee: Committee, status: str) -> list[str]:
    """Why ``committee`` cannot move to ``status`` now (empty when it can). The one rule."""
    problems = []
    if status == committee.status:
        return problems
    if status not in COMMITTEE_STATUS_TRANSITIONS.get(committee.status, set()):
        problems.append(
            _("A committee cannot go from “%(old)s” to “%(new)s”.")
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


@transaction.atomic
def committee_set_status(*, committee: Committee, status: str, actor=None) -> Committee:
    problems = committee_status_problems(committee=committee, status=status)
    if problems:
        raise ValidationError({"status": problems})
    committee.status = status
    if status == CommitteeStatus.REGISTERED and committee.registered_on is None:
        committee.registered_on = timezone.localdate()
    committee.full_clean()
    committee.save()
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
    """What a leader may change on the committee page."""
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


def _check_single_leader(*, committee: Committee, role: str, exclude_pk=None) -> None:
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
    """Add an existing user to the board. A follower who joins the board stops being a follower."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            {"email": _("No user has this e-mail address. Ask them to create an account first.")}
        )
    Committee.objects.select_for_update().get(pk=committee.pk)  # serialise board changes
    current = Membership.objects.current().filter(committee=committee, user=user)
    if current.filter(role__in=[r.value for r in BOARD_ROLES | {Role.MUNICIPAL_CONTACT}]).exists():
        raise ValidationError({"email": _("This person already has a role in the committee.")})
    _check_single_leader(committee=committee, role=role)
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
    if actor is None or actor.pk != user.pk:
        notify(
            recipients=[user],
            kind=kinds.BOARD_ADDED,
            context={"membership": membership, "actor": actor or _("The municipality")},
            target=committee,
            dedupe_key=f"membership:{membership.pk}:added",
        )
    return membership


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
    Committee.objects.select_for_update().get(pk=membership.committee_id)
    if actor is not None and membership.user_id == actor.pk and role != membership.role:
        raise ValidationError({"role": _("You cannot change your own role here.")})
    _check_single_leader(committee=membership.committee, role=role, exclude_pk=membership.pk)
    membership.role = role
    membership.represents = represents
    membership.term_start = term_start
    membership.term_end = term_end
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, actor, on: datetime.date | None = None) -> None:
    """End a membership today (or on ``on``). A leader cannot end their own membership here."""
    if actor is not None and membership.user_id == actor.pk and membership.role == Role.LEADER:
        raise ValidationError(
            _("You cannot end your own membership as leader. Contact the municipality.")
        )
    pk = membership.pk
    # Deletes a membership that never started.
    _end(membership, on or timezone.localdate(), actor=actor)
    if membership.role != Role.MEMBER and actor and actor.pk != membership.user_id:
        # Same key as the term follow-up: the member hears about the end once.
        notify(
            recipients=[membership.user],
            kind=kinds.BOARD_REMOVED,
            context={"membership": membership, "actor": actor},
            target=membership.committee,
            dedupe_key=f"membership:{pk}:term-ended",
        )


# --- Board terms (the daily follow-up) -----------------------------------------------------------


def _committee_contacts(committee_ids, *, on: datetime.date) -> dict[int, list]:
    """Current leader and municipal contact(s) of each committee, in one query."""
    contacts: dict[int, list] = {pk: [] for pk in committee_ids}
    for membership in (
        Membership.objects.current(on=on)
        .filter(committee_id__in=committee_ids, role__in=[Role.LEADER, Role.MUNICIPAL_CONTACT])
        .select_related("user")
    ):
        contacts[membership.committee_id].append(membership.user)
    return contacts


def board_terms_follow_up(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind before a board term ends, and report the board's coverage once it has ended.

    Looks at windows, not single days: every term ending within the next 30 days gets its
    reminder (so a missed day is caught up) and every term that ended in the last two weeks its
    report; the dedupe keys make each go out once. A term's last day is the day before
    ``term_end`` (the end date is exclusive), so on ``term_end`` the membership has ended: from
    then on it no longer counts for roles, permissions or coverage.
    """
    today = today or timezone.localdate()
    roles = [r.value for r in BOARD_ROLES | {Role.MUNICIPAL_CONTACT}]
    ending = list(
        Membership.objects.filter(
            role__in=roles,
            term_start__lte=today,
            term_end__gt=today,
            term_end__lte=today + datetime.timedelta(days=kinds.TERM_REMINDER_DAYS),
        ).select_related("user", "committee")
    )
    ended = list(
        Membership.objects.filter(
            role__in=roles,
            term_end__lte=today,
            term_end__gt=today - datetime.timedelta(days=kinds.TERM_ENDED_LOOKBACK_DAYS),
        )
        .exclude(term_start__gte=models.F("term_end"))
        .filter(ended_by__isnull=True)  # someone ended it on purpose and was there to see it
        .select_related("user", "committee")
    )
    committee_ids = {m.committee_id for m in ending + ended}
    contacts = _committee_contacts(committee_ids, on=today)
    # The municipal contact role is staff-only (Membership.clean); leaders are residents.
    municipal = {pk: [u for u in users if u.is_staff] for pk, users in contacts.items()}
    boards: dict[int, list[Membership]] = {pk: [] for pk in committee_ids}
    for member in (
        Membership.objects.current(on=today).board().filter(committee_id__in=committee_ids)
    ):
        boards[member.committee_id].append(member)
    sent = {"reminders": 0, "ended": 0}
    for membership in ending:
        with transaction.atomic():
            sent["reminders"] += notify(
                recipients=[membership.user, *contacts[membership.committee_id]],
                kind=kinds.TERM_ENDING,
                context={
                    "membership": membership,
                    "municipal_contact_names": ", ".join(
                        str(user) for user in municipal[membership.committee_id]
                    ),
                },
                target=membership.committee,
                dedupe_key=f"membership:{membership.pk}:term-ending:{kinds.TERM_REMINDER_DAYS}",
            )
    for membership in ended:
        uncovered = [
            item.group
            for item in board_group_coverage(boards[membership.committee_id])
            if not item.covered
        ]
        with transaction.atomic():
            sent["ended"] += notify(
                recipients=[membership.user, *contacts[membership.committee_id]],
                kind=kinds.TERM_ENDED,
                context={"membership": membership, "uncovered": uncovered},
                target=membership.committee,
                dedupe_key=f"membership:{membership.pk}:term-ended",
            )
    return sent
