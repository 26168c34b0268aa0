"""Every read of committees that views, tasks and other apps need."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from .models import (
    BOARD_ROLES,
    BROAD_BOARD_GROUPS,
    BoardInvitation,
    Committee,
    Department,
    Membership,
    RepresentedGroup,
    Role,
    current_membership_q,
)

# Board order on a committee page: leader first, followers never listed.
ROLE_ORDER = [r.value for r in Role if r != Role.MEMBER]


def _with_follower_count(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        member_count=Count(
            "memberships", filter=current_membership_q(prefix="memberships__"), distinct=True
        )
    )


def committee_list_top_level() -> QuerySet[Committee]:
    """Top-level committees, each with its sub-committees, in two queries whatever the number."""
    children = _with_follower_count(Committee.objects.order_by("name"))
    return _with_follower_count(
        Committee.objects.top_level()
        .order_by("name")
        .prefetch_related(Prefetch("children", queryset=children))
    )


def committee_annotate_board(qs: QuerySet[Committee]) -> QuerySet[Committee]:
    """Add ``board_count`` and ``leader_name`` (current) to each committee, in the same query."""
    leader = (
        Membership.objects.current()
        .filter(committee=OuterRef("pk"), role=Role.LEADER)
        .values("user__full_name")[:1]
    )
    return qs.annotate(
        board_count=Count(
            "memberships",
            filter=current_membership_q(prefix="memberships__")
            & Q(memberships__role__in=[r.value for r in BOARD_ROLES]),
            distinct=True,
        ),
        leader_name=Subquery(leader),
    )


def committee_get(*, slug: str) -> Committee:
    return Committee.objects.select_related("parent").get(slug=slug)


def committee_get_for_page(*, slug: str) -> Committee:
    """A committee with parent, sub-committees and current board in a fixed number of queries."""
    board = (
        Membership.objects.current()
        .filter(role__in=[r.value for r in BOARD_ROLES | {Role.MUNICIPAL_CONTACT}])
        .select_related("user")
        .order_by("term_start", "user__full_name")
    )
    return (
        _with_follower_count(Committee.objects.select_related("parent"))
        .prefetch_related(
            Prefetch("children", queryset=Committee.objects.order_by("name")),
            Prefetch("memberships", queryset=board, to_attr="current_board"),
        )
        .get(slug=slug)
    )


def board_sorted(memberships) -> list[Membership]:
    return sorted(memberships, key=lambda m: (ROLE_ORDER.index(m.role), m.user.full_name))


@dataclass(frozen=True)
class GroupCoverage:
    group: RepresentedGroup
    covered: bool


def board_group_coverage(memberships) -> list[GroupCoverage]:
    """Which of the five groups of a broad board the given (board) memberships represent."""
    covered = {m.represents for m in memberships if m.role in BOARD_ROLES}
    return [GroupCoverage(group=g, covered=g.value in covered) for g in BROAD_BOARD_GROUPS]


def membership_current_for_user(*, user, committee: Committee) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.current().filter(user=user, committee=committee).order_by("role").first()
    )


def membership_get(*, committee: Committee, pk: int) -> Membership:
    return Membership.objects.select_related("user", "committee").get(committee=committee, pk=pk)


def committee_leader(*, committee: Committee) -> Membership | None:
    return (
        Membership.objects.current()
        .filter(committee=committee, role=Role.LEADER)
        .select_related("user")
        .first()
    )


def membership_list_for_user(*, user) -> QuerySet[Membership]:
    """A person's current memberships (board roles and follows), for Min side."""
    return (
        Membership.objects.current()
        .filter(user=user)
        .select_related("committee", "committee__parent")
        .order_by("committee__name", "role")
    )


def department_list() -> QuerySet[Department]:
    return Department.objects.order_by("name")


def committee_board_users(*, committee: Committee) -> list:
    """The people who act for a committee today: its current leader and board."""
    return [
        m.user
        for m in Membership.objects.current()
        .board()
        .filter(committee=committee, user__is_active=True)
        .select_related("user")
    ]


def committee_municipal_contacts(*, committee: Committee) -> list:
    return [
        m.user
        for m in Membership.objects.current()
        .filter(committee=committee, role=Role.MUNICIPAL_CONTACT, user__is_active=True)
        .select_related("user")
    ]


def department_staff_users(*, department: Department) -> list:
    return list(department.staff.filter(is_active=True, is_staff=True))


def committee_follower_users(*, committee: Committee) -> list:
    """Who hears that something is new in ``committee``: a proposal now, a dugnad or an
    agreement when those apps come (each tells them with a kind of its own, registered with
    ``committees.notifications.register_news_kind``, so the followers' one choice of how often
    applies). One query, each person once, active accounts only.

    A follower is a current ``member`` membership of the committee or of the committee above it
    (whose page shows its sub-committees' news). Board members are not followers: they hear of
    what is new through their own notices (a proposal's inbox), so a caller that also tells the
    board leaves them out with ``Notice.not_to``.
    """
    committee_ids = [committee.pk, *([committee.parent_id] if committee.parent_id else [])]
    following = Membership.objects.current().filter(
        committee_id__in=committee_ids, role=Role.MEMBER
    )
    return list(
        get_user_model()
        .objects.filter(is_active=True, pk__in=following.values("user_id"))
        .order_by("pk")
    )


# --- Board invitations ----------------------------------------------------------------------------


def verified_address_q(email: str, *, prefix: str = "") -> Q:
    """The one rule for "this address is the person's": one of their e-mail addresses, confirmed
    (allauth's ``EmailAddress``). An address someone typed in at sign-up but never confirmed does
    not count: it may be somebody else's."""
    return Q(
        **{
            f"{prefix}emailaddress__email__iexact": email.strip(),
            f"{prefix}emailaddress__verified": True,
        }
    )


def invitation_account(*, email: str):
    """The active account whose confirmed address ``email`` is, or None: who a board invitation
    goes to through the notification engine (None: it goes out as an e-mail to sign up)."""
    return (
        get_user_model()
        .objects.filter(verified_address_q(email), is_active=True)
        .order_by("pk")
        .first()
    )


def address_is_users(*, user, email: str) -> bool:
    """Whether ``email`` is one of ``user``'s confirmed addresses (who may answer an invitation)."""
    if not user.is_authenticated:
        return False
    return get_user_model().objects.filter(verified_address_q(email), pk=user.pk).exists()


def board_invitations_pending(*, committee: Committee) -> QuerySet:
    """The invitations a committee's leader is waiting for answers to (the board page)."""
    return BoardInvitation.objects.pending().filter(committee=committee).order_by("created_at")


def board_invitation_get(*, committee: Committee, **lookup) -> BoardInvitation:
    """One of ``committee``'s invitations, by ``token`` (the accept page) or ``pk`` (withdraw)."""
    return BoardInvitation.objects.select_related("committee", "invited_by").get(
        committee=committee, **lookup
    )
