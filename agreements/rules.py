"""The rules an agreement and its lines must keep, as pure functions of a row (the models'
``clean`` and the forms both ask here). They import the vocabulary, not the models."""

from django.utils.translation import gettext as _

from .states import Pricing

MAX_PERIOD_YEARS = 10


def agreement_problems(agreement) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    starts, ends = agreement.starts_on, agreement.ends_on
    if starts and ends:
        if ends <= starts:
            problems.setdefault("ends_on", []).append(_("The agreement must end after it starts."))
        elif (ends - starts).days > MAX_PERIOD_YEARS * 366:
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
