"""Who may do what with an agreement: pure functions of the committee's current board and the
user's department.

- The public sees an agreement once both parties have signed it (``Agreement.is_public``),
  without the fields marked as personal data.
- The two parties see it from the first draft: the committee's board, and municipal staff.
- The committee's leader signs for the committee and terminates; its board reports.
- A case handler of the agreement's department with ``agreements.sign_agreement`` signs for
  the municipality; municipal staff draft, send, approve reports and mark payments paid (model
  permissions in the admin).
"""

from committees import permissions as committee_permissions
from committees.staff import is_municipal_staff
from committees.work_lists import own_department_id as department_id_of

from .models import Agreement, Party


def is_board(user, agreement: Agreement) -> bool:
    return user.is_authenticated and committee_permissions.is_board_member(
        user, agreement.committee
    )


def is_leader(user, agreement: Agreement) -> bool:
    return user.is_authenticated and committee_permissions.is_leader(user, agreement.committee)


def is_party(user, agreement: Agreement) -> bool:
    """One of the two parties: the committee's board or municipal staff."""
    return is_board(user, agreement) or is_municipal_staff(user)


def can_view_agreement(user, agreement: Agreement) -> bool:
    return agreement.is_public or is_party(user, agreement)


def sees_personal_data(user, agreement: Agreement) -> bool:
    """A signatory's phone and the like: the parties only, never the public."""
    return is_party(user, agreement)


def can_sign_for_committee(user, agreement: Agreement) -> bool:
    return is_leader(user, agreement)


def can_sign_for_municipality(user, agreement: Agreement) -> bool:
    """A case handler of the agreement's own department with the right to sign."""
    return (
        is_municipal_staff(user)
        and user.has_perm("agreements.sign_agreement")
        and department_id_of(user) == agreement.department_id
    )


def can_report(user, agreement: Agreement) -> bool:
    return is_board(user, agreement)


def can_review_reports(user) -> bool:
    return is_municipal_staff(user) and user.has_perm("agreements.review_reportduty")


def can_mark_paid(user) -> bool:
    return is_municipal_staff(user) and user.has_perm("agreements.change_payment")


def can_draft_agreements(user) -> bool:
    return is_municipal_staff(user) and user.has_perm("agreements.add_agreement")


def parties_of(user, agreement: Agreement) -> set[str]:
    """The parties ``user`` may act for on ``agreement`` in its step table (the leader for the
    committee; staff who may change agreements for the municipality)."""
    parties = set()
    if is_leader(user, agreement):
        parties.add(Party.COMMITTEE)
    if is_municipal_staff(user) and user.has_perm("agreements.change_agreement"):
        parties.add(Party.MUNICIPALITY)
    return parties
