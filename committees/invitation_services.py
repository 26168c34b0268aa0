"""Board invitations: how someone gets onto a committee's board from the site.

A leader's "add board member" makes an invitation and nothing else (``board_invitation_create``):
the same code, the same queries and the same answer for every address, so the form tells nobody
who has an account, and nobody is shown on a public board page without having said yes. The
invitee accepts or declines on the accept page (``board_invitation_accept`` /
``board_invitation_decline``); the leader may withdraw a waiting one
(``board_invitation_withdraw``). The board's rules are checked again when the invitation is
accepted: the board may have changed while it waited.

Each function is one transaction and raises ``ValidationError`` with a code and user-facing
words when a rule says no.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import public_name
from notifications.services import notify

from . import invitations, selectors, services
from . import notifications as kinds
from .models import BoardInvitation, Committee, InvitationStatus, Membership, Role

ALREADY_INVITED = "already_invited"
NOT_YOURS = "not_yours"
EXPIRED = "expired"
NOT_PENDING = "not_pending"

ALREADY_INVITED_MESSAGE = _(
    "This address already has an invitation that is waiting for an answer. Withdraw it on the "
    "committee page first if you want to send a new one."
)
NOT_YOURS_MESSAGE = _(
    "This invitation was sent to another e-mail address than the one you are logged in with. "
    "Log in with the address the invitation was sent to, or ask the committee's leader to "
    "invite the address you use."
)
EXPIRED_MESSAGE = _(
    "This invitation has expired. Ask the committee's leader to send you a new one if you "
    "still want to join."
)
STATE_MESSAGES = {
    InvitationStatus.ACCEPTED: _("This invitation has already been accepted."),
    InvitationStatus.DECLINED: _("This invitation has been declined."),
    InvitationStatus.WITHDRAWN: _(
        "The committee's leader has withdrawn this invitation. Ask them if you still want to join."
    ),
}


def invitation_state_problem(invitation: BoardInvitation) -> ValidationError | None:
    """Why ``invitation`` can no longer be answered or withdrawn (None when it can): the one
    rule, for the services and the accept page."""
    if invitation.status != InvitationStatus.PENDING:
        return ValidationError(STATE_MESSAGES[invitation.status], code=NOT_PENDING)
    if invitation.is_expired():
        return ValidationError(EXPIRED_MESSAGE, code=EXPIRED)
    return None


@transaction.atomic
def board_invitation_create(
    *,
    committee: Committee,
    actor,
    email: str,
    role: str,
    represents: str,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
) -> BoardInvitation:
    """Invite ``email`` onto the board. Nothing here looks at whether the address has an
    account: that is the sending task's business, after the leader's request has been
    answered. The rules that can refuse here (the municipal contact, one leader, the term's
    order, an invitation already waiting) refuse every address alike."""
    email = email.strip()
    problems = services.municipal_contact_problems(role=role)
    if problems:
        raise ValidationError(problems)
    Committee.objects.select_for_update().get(pk=committee.pk)  # serialise board changes
    services.check_single_leader(committee=committee, role=role)
    # The membership's own rules (the term's order, the choices), without a person yet.
    Membership(
        committee=committee,
        role=role,
        represents=represents,
        term_start=term_start,
        term_end=term_end,
    ).full_clean(exclude=["user"], validate_constraints=False)
    if BoardInvitation.objects.pending().filter(committee=committee, email__iexact=email).exists():
        raise ValidationError(
            {"email": ValidationError(ALREADY_INVITED_MESSAGE, code=ALREADY_INVITED)}
        )
    invitation = BoardInvitation(
        committee=committee,
        email=email,
        role=role,
        represents=represents,
        term_start=term_start,
        term_end=term_end,
        invited_by=actor,
    )
    invitation.full_clean(exclude=["token"], validate_constraints=False)
    invitation.save()
    transaction.on_commit(invitations.request_sending, robust=True)
    return invitation


def _locked(invitation: BoardInvitation) -> BoardInvitation:
    """The row read again under a lock: a double click or a second tab waits here, then finds
    the invitation already answered."""
    return (
        BoardInvitation.objects.select_for_update(of=("self",))
        .select_related("committee", "invited_by")
        .get(pk=invitation.pk)
    )


def _check_answerable(invitation: BoardInvitation, *, user) -> None:
    if not selectors.address_is_users(user=user, email=invitation.email):
        raise ValidationError(NOT_YOURS_MESSAGE, code=NOT_YOURS)
    problem = invitation_state_problem(invitation)
    if problem is not None:
        raise problem


def _close(invitation: BoardInvitation, status: str, membership=None) -> None:
    invitation.status = status
    invitation.answered_at = timezone.now()
    invitation.membership = membership
    invitation.save(update_fields=["status", "answered_at", "membership"])


def _tell_the_leader(invitation: BoardInvitation, *, user, accepted: bool) -> None:
    """The one who invited, and the committee's leader today if that is someone else."""
    leader = selectors.committee_leader(committee=invitation.committee)
    notify(
        recipients=[invitation.invited_by, leader.user if leader else None],
        kind=kinds.BOARD_INVITATION_ANSWERED,
        context={
            "invitation": invitation,
            "committee": invitation.committee,
            "person": public_name(user),
            "role": Role(invitation.role).label,
            "accepted": accepted,
        },
        target=invitation.committee,
        dedupe_key=f"board_invitation:{invitation.pk}:answered",
    )


@transaction.atomic
def board_invitation_accept(*, invitation: BoardInvitation, user) -> Membership:
    """The invitee says yes: they join the board as invited, if the board's rules still allow
    it (``services.board_membership_create``: no second role, one leader, the term's order).
    Once only: the row is locked and must still be waiting."""
    invitation = _locked(invitation)
    _check_answerable(invitation, user=user)
    problems = services.municipal_contact_problems(role=invitation.role)
    if problems:
        raise ValidationError(problems)
    membership = services.board_membership_create(
        committee=invitation.committee,
        user=user,
        actor=invitation.invited_by,
        role=invitation.role,
        represents=invitation.represents,
        term_start=invitation.term_start,
        term_end=invitation.term_end,
        tell=False,  # they have just said yes; the leader is told instead
    )
    _close(invitation, InvitationStatus.ACCEPTED, membership)
    _tell_the_leader(invitation, user=user, accepted=True)
    return membership


@transaction.atomic
def board_invitation_decline(*, invitation: BoardInvitation, user) -> None:
    """The invitee says no: nothing changes on the board, and the leader is told."""
    invitation = _locked(invitation)
    _check_answerable(invitation, user=user)
    _close(invitation, InvitationStatus.DECLINED)
    _tell_the_leader(invitation, user=user, accepted=False)


@transaction.atomic
def board_invitation_withdraw(*, invitation: BoardInvitation, actor) -> None:
    """The leader takes back an invitation that is still waiting (the view checks that
    ``actor`` manages the board). Its accept page then says so."""
    invitation = _locked(invitation)
    problem = invitation_state_problem(invitation)
    if problem is not None:
        raise problem
    _close(invitation, InvitationStatus.WITHDRAWN)
