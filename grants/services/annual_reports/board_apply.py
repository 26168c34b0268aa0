"""Applying the elected board (``apply_elected_board``): the committee's leader, once the
municipality has **approved** the report. Approval is the point where the municipality has read
the protocol, so the board it names has the municipality's word behind it: that is what lets
the leader's own place change here too (on the site a leader cannot change or end their own
leadership; the committees' rule sends them to the municipality, and the approval is that).
Everything happens through the committees' own services, in one transaction: roles and terms
changed (``membership_update``), those not re-elected ended (``membership_end``), everyone new
invited (``board_invitation_create``: nobody is put on a public board without saying yes; with
an account they are asked in the portal, without one by e-mail). It is done once
(``board_applied_at``); a second time is refused.

The preview (``board_changes``) and the change are one plan, so what the leader is shown is
what is done.
"""

import datetime
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import invitation_services
from committees import services as committee_services
from committees.models import BOARD_ROLES, BoardInvitation, Membership, Role

from ...models import AnnualReport, AnnualReportEvent, AnnualReportState, Party
from ...permissions import can_apply_elected_board
from ..lifecycle import lock_annual_report

R = AnnualReportState


class Change:
    """What applying the board does for one person (``BoardChange.action``)."""

    KEEP = "keep"  # re-elected to the same role and term: nothing changes
    CHANGE = "change"  # re-elected to another role or term
    END = "end"  # on the board today, not re-elected: the membership ends today
    INVITE = "invite"  # not on the board: invited (with an account in the portal, else e-mail)
    ALREADY_INVITED = "already_invited"  # an invitation just like it is waiting for an answer
    REINVITE = "reinvite"  # a waiting invitation for another role or term: replaced
    WITHDRAW = "withdraw"  # a waiting invitation to someone the meeting did not elect


@dataclass
class BoardChange:
    action: str
    name: str
    email: str
    role: str = ""
    term_end: datetime.date | None = None
    previous_role: str = ""
    previous_term_end: datetime.date | None = None
    has_account: bool = False
    membership: Membership | None = field(default=None, repr=False)
    invitation: BoardInvitation | None = field(default=None, repr=False)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""

    @property
    def previous_role_label(self) -> str:
        return str(Role(self.previous_role).label) if self.previous_role else ""

    @property
    def changes_anything(self) -> bool:
        return self.action not in (Change.KEEP, Change.ALREADY_INVITED)


def apply_problems(report: AnnualReport, *, actor, today: datetime.date) -> list[str]:
    """Why ``actor`` cannot apply the report's elected board now (empty when they can)."""
    if actor is None or not can_apply_elected_board(actor, report.committee):
        return [_("Only the committee's leader can apply the elected board.")]
    if report.board_applied_at is not None:
        return [_("The elected board has already been applied to the committee's board.")]
    if report.state != R.APPROVED:
        return [
            _(
                "The elected board can be applied once the municipality has approved the "
                "annual report."
            )
        ]
    newer = (
        AnnualReport.objects.filter(
            committee_id=report.committee_id, year__gt=report.year, board_applied_at__isnull=False
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if newer is not None:
        # An older annual meeting's board would undo the newer one's.
        return [
            _(
                "The board elected in the annual report for %(year)s has already been applied. "
                "An earlier annual meeting's board cannot replace it."
            )
            % {"year": newer}
        ]
    elected = list(report.elected.all())
    if not any(member.role == Role.LEADER for member in elected):
        return [_("The annual report names no elected leader.")]
    ended = [m.name for m in elected if m.term_ends_on is not None and m.term_ends_on <= today]
    if ended:
        return [
            _("The term of %(names)s has already ended. Nothing can be applied.")
            % {"names": ", ".join(ended)}
        ]
    return []


def _addresses_of(user_ids) -> dict[int, set[str]]:
    """Each user's confirmed addresses, lower case, in one query (the committees' rule of
    "this address is the person's": ``committees.selectors.verified_address_q``)."""
    addresses: dict[int, set[str]] = {}
    rows = EmailAddress.objects.filter(user_id__in=user_ids, verified=True)
    for user_id, email in rows.values_list("user_id", "email"):
        addresses.setdefault(user_id, set()).add(email.lower())
    return addresses


def _with_accounts(emails: list[str]) -> set[str]:
    """Which of ``emails`` are an active account's confirmed address, in one query (with an
    account, an invitation is a notification in the portal; without, an e-mail)."""
    if not emails:
        return set()
    matching = Q()
    for email in emails:
        matching |= Q(email__iexact=email)
    found = {
        email.lower()
        for email in EmailAddress.objects.filter(
            matching, verified=True, user__is_active=True
        ).values_list("email", flat=True)
    }
    return {email for email in emails if email.lower() in found}


def board_changes(report: AnnualReport, *, today: datetime.date | None = None) -> list[BoardChange]:
    """What applying the elected board would do, person by person: the preview and the plan
    (a fixed number of queries however many people)."""
    today = today or timezone.localdate()
    committee = report.committee
    elected = list(report.elected.all())
    current = list(
        Membership.objects.current(on=today)
        .filter(committee=committee, role__in=[r.value for r in BOARD_ROLES])
        .select_related("user")
        .order_by("pk")
    )
    addresses = _addresses_of([m.user_id for m in current])
    by_email: dict[str, Membership] = {}
    for membership in current:
        for email in addresses.get(membership.user_id, set()) | {membership.user.email.lower()}:
            by_email.setdefault(email, membership)
    pending = {
        invitation.email.lower(): invitation
        for invitation in BoardInvitation.objects.pending().filter(committee=committee)
    }
    accounts = _with_accounts([m.email for m in elected])
    changes: list[BoardChange] = []
    kept: set[int] = set()
    for member in elected:
        membership = by_email.get(member.email.lower())
        change = BoardChange(
            action=Change.INVITE,
            name=member.name,
            email=member.email,
            role=member.role,
            term_end=member.term_ends_on,
            has_account=member.email in accounts,
        )
        if membership is not None and membership.pk not in kept:
            kept.add(membership.pk)
            change.membership = membership
            change.previous_role = membership.role
            change.previous_term_end = membership.term_end
            same = membership.role == member.role and membership.term_end == member.term_ends_on
            change.action = Change.KEEP if same else Change.CHANGE
        elif (invitation := pending.get(member.email.lower())) is not None:
            change.invitation = invitation
            same = invitation.role == member.role and invitation.term_end == member.term_ends_on
            change.action = Change.ALREADY_INVITED if same else Change.REINVITE
        changes.append(change)
    elected_emails = {member.email.lower() for member in elected}
    for email, invitation in pending.items():
        if email not in elected_emails:
            changes.append(
                BoardChange(
                    action=Change.WITHDRAW,
                    name=invitation.email,
                    email=invitation.email,
                    previous_role=invitation.role,
                    previous_term_end=invitation.term_end,
                    invitation=invitation,
                )
            )
    for membership in current:
        if membership.pk not in kept:
            changes.append(
                BoardChange(
                    action=Change.END,
                    name=str(membership.user),
                    email=membership.user.email,
                    previous_role=membership.role,
                    previous_term_end=membership.term_end,
                    membership=membership,
                )
            )
    return changes


def _acting_for(membership: Membership, actor):
    """Who a change to ``membership`` is made by, for the committees' services: the leader;
    for the leader's own membership the municipality's approval of the protocol (``None``, the
    system: the rule that a leader cannot change their own term sends them to the municipality,
    which has approved this board)."""
    return None if membership.user_id == actor.pk else actor


def _phase(change: BoardChange) -> int:
    """The order the changes are made in, so the board has one leader at every step: ends,
    then role changes away from leader and others, then the change to leader, then
    invitations (an invitation as leader needs the old leader gone)."""
    if change.action in (Change.END, Change.WITHDRAW):
        return 0
    if change.action == Change.CHANGE:
        return 2 if change.role == Role.LEADER else 1
    return 3


@transaction.atomic
def apply_elected_board(*, report: AnnualReport, actor, today: datetime.date | None = None):
    """Make the committee's board the one the approved report's annual meeting elected, in
    one transaction (see the module's docstring); returns the changes made."""
    today = today or timezone.localdate()
    report = lock_annual_report(report)
    if problems := apply_problems(report, actor=actor, today=today):
        raise ValidationError(problems)
    changes = board_changes(report, today=today)
    for change in sorted(changes, key=_phase):
        if change.action == Change.END:
            committee_services.membership_end(
                membership=change.membership,
                actor=_acting_for(change.membership, actor),
                on=today,
                not_reelected=True,
            )
        elif change.action == Change.WITHDRAW:
            invitation_services.board_invitation_withdraw(invitation=change.invitation, actor=actor)
        elif change.action == Change.CHANGE:
            membership = change.membership
            committee_services.membership_update(
                membership=membership,
                actor=_acting_for(membership, actor),
                role=change.role,
                represents=membership.represents,
                term_start=membership.term_start,
                term_end=change.term_end,
            )
        elif change.action in (Change.INVITE, Change.REINVITE):
            if change.invitation is not None:
                invitation_services.board_invitation_withdraw(
                    invitation=change.invitation, actor=actor
                )
            invitation_services.board_invitation_create(
                committee=report.committee,
                actor=actor,
                email=change.email,
                role=change.role,
                represents=Membership._meta.get_field("represents").default,
                term_start=today,
                term_end=change.term_end,
            )
    report.board_applied_at = timezone.now()
    report.save(update_fields=["board_applied_at"])
    made = [change for change in changes if change.changes_anything]
    AnnualReportEvent.objects.create(
        annual_report=report,
        actor=actor,
        actor_party=Party.COMMITTEE,
        from_state=report.state,
        to_state=report.state,
        message=_("The elected board was applied to the committee's board: %(summary)s")
        % {"summary": summary(changes)},
    )
    return made


def summary(changes: list[BoardChange]) -> str:
    """ "2 invited, 1 role changed, 1 ended, 3 unchanged" (for the timeline)."""
    counts = {
        Change.INVITE: 0,
        Change.REINVITE: 0,
        Change.CHANGE: 0,
        Change.END: 0,
        Change.KEEP: 0,
        Change.ALREADY_INVITED: 0,
        Change.WITHDRAW: 0,
    }
    for change in changes:
        counts[change.action] += 1
    return _(
        "%(invited)d invited, %(changed)d changed, %(ended)d ended, %(withdrawn)d "
        "invitations withdrawn, %(kept)d unchanged."
    ) % {
        "withdrawn": counts[Change.WITHDRAW],
        "invited": counts[Change.INVITE] + counts[Change.REINVITE],
        "changed": counts[Change.CHANGE],
        "ended": counts[Change.END],
        "kept": counts[Change.KEEP] + counts[Change.ALREADY_INVITED],
    }
