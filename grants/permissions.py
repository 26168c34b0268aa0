"""Who may do what with grants: pure functions on membership roles and staff permissions.

- The committee's **board** applies, reports and submits the annual report; the **leader**
  applies the elected board to the memberships.
- **Municipal staff** with the grants permissions answer applications, review reports and
  annual reports, approve allocation lists.
- The public sees schemes, allocations, granted applications (never a draft's or a refused
  one's budget) and the key figures; an annual report's documents are the parties' own.
"""

from committees import permissions as committee_permissions
from committees.staff import is_municipal_staff

from .models import Application, Party


def is_board(user, committee) -> bool:
    return user.is_authenticated and committee_permissions.is_board_member(user, committee)


def is_leader(user, committee) -> bool:
    return user.is_authenticated and committee_permissions.is_leader(user, committee)


def can_apply(user, committee) -> bool:
    return is_board(user, committee)


def can_view_application(user, application: Application) -> bool:
    return (
        application.is_public or is_board(user, application.committee) or is_municipal_staff(user)
    )


def can_answer_applications(user) -> bool:
    return is_municipal_staff(user) and user.has_perm("grants.change_application")


def can_approve_allocations(user) -> bool:
    return is_municipal_staff(user) and user.has_perm("grants.change_allocation")


def can_review_annual_reports(user) -> bool:
    return is_municipal_staff(user) and user.has_perm("grants.change_annualreport")


def can_view_annual_report(user, committee) -> bool:
    return is_board(user, committee) or is_municipal_staff(user)


def can_submit_annual_report(user, committee) -> bool:
    return is_board(user, committee)


def can_apply_elected_board(user, committee) -> bool:
    return is_leader(user, committee)


def application_parties(user, application: Application) -> set[str]:
    """The parties ``user`` may act for in the application's step table."""
    parties = set()
    if is_board(user, application.committee):
        parties.add(Party.COMMITTEE)
    if can_answer_applications(user):
        parties.add(Party.MUNICIPALITY)
    return parties


def annual_report_parties(user, committee) -> set[str]:
    parties = set()
    if is_board(user, committee):
        parties.add(Party.COMMITTEE)
    if can_review_annual_reports(user):
        parties.add(Party.MUNICIPALITY)
    return parties
