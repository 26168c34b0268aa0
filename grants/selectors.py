"""Reads the grants' pages, tasks and other apps need (recipients first: the step tables'
audiences)."""

from committees import selectors as committee_selectors
from committees.staff import case_handlers

from .models import Application, GrantScheme


def board_recipients(committee) -> list:
    return committee_selectors.committee_board_users(committee=committee)


def department_recipients(department) -> list:
    """The department's active staff; a department with nobody on the portal would hear
    nothing, so then every case handler hears instead (as for agreements); so does no
    department at all."""
    if department is None:
        return list(case_handlers())
    staff = [
        person
        for person in committee_selectors.department_staff_users(department=department)
        if person.is_active and person.is_staff
    ]
    return staff or list(case_handlers())


def application_get(*, number: str) -> Application:
    return Application.objects.select_related(
        "scheme", "scheme__department", "committee", "payment"
    ).get(number=number)


def schemes_for_year(*, year: int):
    return GrantScheme.objects.filter(year=year).select_related("department")
