"""Reads the grants' pages, tasks and other apps need (recipients first: the step tables'
audiences)."""

from agreements.selectors import department_recipients  # noqa: F401 (one rule for both apps)
from committees import selectors as committee_selectors

from .models import Application, GrantScheme


def board_recipients(committee) -> list:
    return committee_selectors.committee_board_users(committee=committee)


def application_get(*, number: str) -> Application:
    return Application.objects.select_related(
        "scheme", "scheme__department", "committee", "payment"
    ).get(number=number)


def schemes_for_year(*, year: int):
    return GrantScheme.objects.filter(year=year).select_related("department")
