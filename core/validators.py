"""Rules about values that every app applies the same way, written once.

Each rule is a ``*_problems()`` function (the messages, empty when the value is fine), so a
service can raise them under the field it names, and a validator built on it for form and model
fields. Forms, the admin and the services all use these, so the resident, the case handler and
the service see the same rule in the same words.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

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


# --- Coordinates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Axis:
    """One axis of a position in decimal degrees (WGS 84), with the one message for it."""

    name: str
    limit: int
    message: str


LATITUDE = Axis("latitude", 90, _("Latitude must be between -90 and 90, e.g. 59.39670."))
LONGITUDE = Axis("longitude", 180, _("Longitude must be between -180 and 180, e.g. 9.96810."))


def coordinate_problems(value, *, axis: Axis) -> list:
    """A latitude or longitude must be a finite number within ±limit degrees.

    ``nan`` and ``inf`` parse as Decimals but are not numbers one can compare (comparing NaN
    raises), so they are refused here by name rather than left to a range check. No value is no
    problem (the position is optional).
    """
    if value is None or value == "":
        return []
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return [axis.message]
    if not number.is_finite() or abs(number) > axis.limit:
        return [axis.message]
    return []


def validate_latitude(value) -> None:
    """Field validator for :func:`coordinate_problems` (a module-level function, so a model
    field can name it in a migration)."""
    problems = coordinate_problems(value, axis=LATITUDE)
    if problems:
        raise ValidationError(problems[0], code="latitude")


def validate_longitude(value) -> None:
    """Field validator for :func:`coordinate_problems`, as :func:`validate_latitude`."""
    problems = coordinate_problems(value, axis=LONGITUDE)
    if problems:
        raise ValidationError(problems[0], code="longitude")
