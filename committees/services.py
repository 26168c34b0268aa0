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

from .models import (
    BOARD_ROLES,
    COMMITTEE_STATUS_TRANSITIONS,
    REGISTERED_STATUSES,
    Committee,
    CommitteeStatus,
    Membership,
    Role,
)

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
) -> Committee:
    """What a leader may change on the committee page."""
    committee.description = description
    committee.area_description = area_description
    committee.contact_email = contact_email
    committee.full_clean()
    committee.save(update_fields=["description", "area_description", "contact_email", "updated_at"])
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


def _end(membership: Membership, on: datetime.date) -> None:
    if membership.term_start >= on:
        membership.delete()  # it never took effect
        return
    membership.term_end = on
    membership.save(update_fields=["term_end"])


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
    _end(membership, on or timezone.localdate())
