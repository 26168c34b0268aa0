"""The rules an agreement and its lines must keep, as pure functions of a row (the models'
``clean`` and the forms both ask here). They import the vocabulary, not the models."""

import datetime

from django.utils.translation import gettext as _

from core.deadlines import add_months

from .states import Pricing

MAX_PERIOD_YEARS = 10
# Dates an agreement can have at all (a year 9999 would be a typo, and overflows the next
# period's arithmetic).
FIRST_YEAR, LAST_YEAR = 2000, 2100
# A payment or a report may fall due up to a year after the last day (the last season's report,
# its reimbursement), never before the first day.
DUE_AFTER_END_MONTHS = 12


def latest_end(starts: datetime.date) -> datetime.date:
    """The last day a period starting on ``starts`` may have: ``MAX_PERIOD_YEARS`` to the day."""
    return add_months(starts, 12 * MAX_PERIOD_YEARS) - datetime.timedelta(days=1)


def _year_problem(day: datetime.date | None) -> str | None:
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        return _("Give a date between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    return None


def agreement_problems(agreement) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    starts, ends = agreement.starts_on, agreement.ends_on
    for name, day in (("starts_on", starts), ("ends_on", ends)):
        if problem := _year_problem(day):
            problems.setdefault(name, []).append(problem)
    if starts and ends and not problems:
        if ends <= starts:
            problems.setdefault("ends_on", []).append(_("The agreement must end after it starts."))
        elif ends > latest_end(starts):
            problems.setdefault("ends_on", []).append(
                _("An agreement can run for at most %(years)s years.") % {"years": MAX_PERIOD_YEARS}
            )
    if (
        agreement.department_id
        and agreement.origin_proposal_id
        and agreement.origin_proposal.committee_id != agreement.committee_id
    ):
        problems.setdefault("committee", []).append(
            _("The agreement must be with the committee the proposal came from.")
        )
    return problems


def task_problems(task) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if task.pricing == Pricing.PER_OCCASION and not task.occasions_per_year:
        problems.setdefault("occasions_per_year", []).append(
            _("Say how many times a year the task is done.")
        )
    if task.pricing != Pricing.PER_OCCASION and task.occasions_per_year:
        problems.setdefault("occasions_per_year", []).append(
            _("Only a task paid per occasion has a number of occasions.")
        )
    return problems


def due_problems(agreement, due_on: datetime.date | None) -> dict[str, list[str]]:
    """A payment's or a report's due date: within the period, or up to a year after its end."""
    if due_on is None:
        return {}
    if problem := _year_problem(due_on):
        return {"due_on": [problem]}
    if agreement is None or not agreement.starts_on or not agreement.ends_on:
        return {}  # a grant's payment: any day in the years the portal knows
    last = add_months(agreement.last_day, DUE_AFTER_END_MONTHS)
    if not agreement.starts_on <= due_on <= last:
        return {
            "due_on": [
                _("The due date must be within the agreement's period, or at most a year after it.")
            ]
        }
    return {}
