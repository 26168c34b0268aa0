"""Shared by the payments, deadlines and renewal tests: agreements with fixed periods, a
frozen clock and who was told what."""

import datetime
from zoneinfo import ZoneInfo

import time_machine

from notifications.models import Notification
from tests.factories import AgreementFactory, TaskFactory

OSLO = ZoneInfo("Europe/Oslo")
YEAR_START = datetime.date(2027, 1, 1)
YEAR_END = datetime.date(2027, 12, 31)


def agreement_for(committee, department, *, state="active", amount=25_000, **fields):
    """An agreement for 2027 with one fixed-price task of ``amount`` a year."""
    fields.setdefault("starts_on", YEAR_START)
    fields.setdefault("ends_on", YEAR_END)
    agreement = AgreementFactory(committee=committee, department=department, state=state, **fields)
    TaskFactory(agreement=agreement, amount=amount)
    return agreement


def at(day: datetime.date, hour: int = 6):
    """The clock frozen on ``day`` at ``hour`` in Oslo (the services read ``localdate``)."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), tzinfo=OSLO), tick=False
    )


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def count(kind: str) -> int:
    return Notification.objects.filter(kind=kind).count()
