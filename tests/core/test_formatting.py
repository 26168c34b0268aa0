"""core.formatting: the one way money, public names and times are written."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from core.formatting import iso_datetime, local_date, money, money_exact, public_name
from tests.factories import UserFactory


def test_money_filter():
    with translation.override("nb"):
        assert money(Decimal("12000")) == "kr\xa012\xa0000"
        assert money(0) == "kr\xa00"
        assert money(1234567) == "kr\xa01\xa0234\xa0567"
        assert money(-500) == "kr\xa0-500"
        assert money(None) == "" and money("abc") == ""


def test_money_in_english_is_nok_with_comma_grouping():
    with translation.override("en"):
        assert money(Decimal("12000")) == "NOK\xa012,000"
        assert money(0) == "NOK\xa00"
        assert money(1234567) == "NOK\xa01,234,567"
        assert money(-500) == "NOK\xa0-500"
        assert money(None) == "" and money("abc") == ""


def test_money_follows_the_active_language_not_the_site_default():
    """The same value, written the reader's way: the template filter calls the same function."""
    with translation.override("en"):
        english = money(Decimal("12000"))
    with translation.override("nb"):
        norwegian = money(Decimal("12000"))
    assert (english, norwegian) == ("NOK\xa012,000", "kr\xa012\xa0000")


def test_money_rounds_half_an_ore_up_to_whole_kroner():
    with translation.override("nb"):
        assert money(Decimal("12000.50")) == "kr\xa012\xa0001"
        assert money(Decimal("12000.49")) == "kr\xa012\xa0000"
        assert money(Decimal("2.5")) == "kr\xa03"  # not banker's rounding (2)


def test_money_exact_keeps_the_ore_of_what_is_paid():
    """A payment scaled pro rata or a receipt is reconciled to the øre: never rounded away."""
    with translation.override("nb"):
        assert money_exact(Decimal("46971.46")) == "kr\xa046\xa0971,46"
        assert money_exact(Decimal("12000")) == "kr\xa012\xa0000"  # whole: as money
        assert money_exact(Decimal("0.5")) == "kr\xa00,50"
        assert money_exact(Decimal("-0.5")) == "kr\xa0-0,50"
        assert money_exact(Decimal("2.005")) == "kr\xa02,01"  # half an øre up
        assert money_exact(None) == "" and money_exact("abc") == ""
    with translation.override("en"):
        assert money_exact(Decimal("1234567.8")) == "NOK\xa01,234,567.80"


@pytest.mark.django_db
def test_public_name_never_shows_the_email_address():
    named = UserFactory.build(full_name="Ola Nordmann", email="ola@example.no")
    nameless = UserFactory.build(full_name="  ", email="anon@example.no")
    assert public_name(named) == "Ola Nordmann"
    with translation.override("nb"):
        assert public_name(nameless) == "En innbygger"
    assert "anon@example.no" not in public_name(nameless)
    assert public_name(None) == ""


def test_times_are_local_and_without_microseconds(settings):
    moment = datetime.datetime(2027, 1, 15, 23, 30, 5, 123456, tzinfo=datetime.UTC)
    # 23:30 UTC is past midnight in Oslo (UTC+1 in winter): the local day is the 16th.
    with translation.override("nb"):
        assert local_date(moment) == "16.01.2027"
    assert iso_datetime(moment) == "2027-01-16T00:30:05+01:00"
    assert iso_datetime(datetime.date(2027, 1, 16)) == "2027-01-16"
    assert timezone.is_aware(moment)
