"""Rules about values that every app applies the same way, written once.

Each rule is a ``*_problems()`` function (the messages, empty when the value is fine), so a
service can raise them under the field it names, and a validator built on it for form and model
fields. Forms, the admin and the services all use these, so the resident, the case handler and
the service see the same rule in the same words.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PAST_DATE_MESSAGE = _("The date cannot be in the past.")


def past_date_problems(value: datetime.date | None, *, today: datetime.date | None = None) -> list:
    """A date someone sets for the future (a deadline, an answer-by day): today is allowed, any
    earlier day is not. No date is no problem (the field may be optional)."""
    if value is None:
        return []
    if value < (today or timezone.localdate()):
        return [PAST_DATE_MESSAGE]
    return []


def not_in_the_past(value: datetime.date | None) -> None:
    """Field validator for :func:`past_date_problems`."""
    problems = past_date_problems(value)
    if problems:
        raise ValidationError(problems[0], code="past")
