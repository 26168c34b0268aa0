"""Who may do what with a dugnad: pure functions of the committee's current board.

- Any board member of the committee creates a dugnad (and becomes its organiser).
- The organisers and the committee's leader manage it (edit, publish, cancel, report, see the
  participant list, write to the participants) — while they are on the board.
- Anyone sees a dugnad once it is published; a draft only its managers and the board.
- The municipality answers resource requests in the admin (model permissions there).
"""

from committees import permissions as committee_permissions

from .models import Dugnad, Party


def can_create_dugnad(user, committee) -> bool:
    return user.is_authenticated and committee_permissions.is_board_member(user, committee)


def is_organiser(user, dugnad: Dugnad) -> bool:
    if not user.is_authenticated:
        return False
    cache = getattr(dugnad, "_organiser_ids", None)
    if cache is None:
        cache = set(dugnad.organisers.values_list("pk", flat=True))
        dugnad._organiser_ids = cache
    return user.pk in cache


def can_manage_dugnad(user, dugnad: Dugnad) -> bool:
    """Its organisers and the committee's leader, while on the committee's board."""
    if not (
        user.is_authenticated and committee_permissions.is_board_member(user, dugnad.committee)
    ):
        return False
    return committee_permissions.is_leader(user, dugnad.committee) or is_organiser(user, dugnad)


def can_view_dugnad(user, dugnad: Dugnad) -> bool:
    if dugnad.is_public:
        return True
    return user.is_authenticated and committee_permissions.is_board_member(user, dugnad.committee)


def can_sign_up(user) -> bool:
    """A resident signs up with their account; anyone else may as a guest (views.signups)."""
    return user.is_authenticated and user.is_active


def parties_of(user, dugnad: Dugnad) -> set[str]:
    """The parties ``user`` may act for on ``dugnad`` (the step table checks which may act)."""
    return {Party.COMMITTEE} if can_manage_dugnad(user, dugnad) else set()
