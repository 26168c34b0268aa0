"""Who may do what with a committee: pure functions of the user's current memberships.

Views call these; services trust their caller to have checked. Staff manage committees in the
admin with model permissions, not here.
"""

from .models import BOARD_ROLES, Committee, Membership, Role


def _current_roles(user, committee: Committee) -> set[str]:
    if not user.is_authenticated:
        return set()
    cache = getattr(user, "_committee_roles_cache", None)
    if cache is None:
        cache = {}
        user._committee_roles_cache = cache
    if committee.pk not in cache:
        cache[committee.pk] = set(
            Membership.objects.current()
            .filter(user=user, committee=committee)
            .values_list("role", flat=True)
        )
    return cache[committee.pk]


def is_leader(user, committee: Committee) -> bool:
    return Role.LEADER in _current_roles(user, committee)


def is_board_member(user, committee: Committee) -> bool:
    """The leader or anyone else on the board today (not followers, not the municipal contact)."""
    return bool(_current_roles(user, committee) & BOARD_ROLES)


def can_edit_committee(user, committee: Committee) -> bool:
    """Only the committee's current leader edits its page and board on the site."""
    return is_leader(user, committee)


def can_manage_board(user, committee: Committee) -> bool:
    return is_leader(user, committee)


def can_follow_committee(user, committee: Committee) -> bool:
    return user.is_authenticated and user.is_active
