"""'The date cannot be in the past': one rule and one message (``core.validators``)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.validators import PAST_DATE_MESSAGE, not_in_the_past, past_date_problems

TODAY = datetime.date(2026, 6, 1)


def test_today_and_later_are_allowed_and_no_date_is_no_problem():
    assert past_date_problems(TODAY, today=TODAY) == []
    assert past_date_problems(TODAY + datetime.timedelta(days=1), today=TODAY) == []
    assert past_date_problems(None, today=TODAY) == []


def test_yesterday_is_refused_with_the_one_message():
    assert past_date_problems(TODAY - datetime.timedelta(days=1), today=TODAY) == [
        PAST_DATE_MESSAGE
    ]


def test_the_validator_applies_the_same_rule_against_the_local_date(time_machine_today):
    with pytest.raises(ValidationError) as error:
        not_in_the_past(time_machine_today - datetime.timedelta(days=1))
    assert error.value.code == "past"
    assert error.value.messages == [str(PAST_DATE_MESSAGE)]
    not_in_the_past(time_machine_today)
    not_in_the_past(None)


def test_the_message_is_norwegian_on_norwegian_pages():
    with translation.override("nb"):
        assert str(PAST_DATE_MESSAGE) == "Datoen kan ikke være tilbake i tid."


@pytest.fixture
def time_machine_today():
    import time_machine

    # 23:30 UTC on 31 May is already 1 June in Oslo: the rule uses the local date.
    with time_machine.travel(datetime.datetime(2026, 5, 31, 23, 30, tzinfo=datetime.UTC)):
        yield TODAY
