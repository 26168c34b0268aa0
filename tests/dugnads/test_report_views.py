"""The report page as a browser uses it: a report saves and takes the step, a correction is
prefilled and keeps the state, hours per participant add up, bad input gives the form back with
nothing saved; the dugnad's page then shows the report (hours first, their value second)."""

from decimal import Decimal

import pytest

from dugnads.models import DugnadEvent, HourlyRate, Signup, State
from tests.factories import SignupFactory, UserFactory

from .report_helpers import (  # noqa: F401 (fixtures)
    form_data,
    held_dugnad,
    held_fixture,
    report_url,
    reporter_fixture,
    site_language_after_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_reporter(client, reporter):
    client.force_login(reporter)
    client.cookies["nmu_language"] = "en"
    return client


def test_a_report_saves_takes_the_step_and_goes_to_the_page(as_reporter, held):
    response = as_reporter.post(report_url(held), form_data(hours_total="36,5"))
    assert response.status_code == 302
    assert response["Location"] == held.get_absolute_url() + "#report-heading"
    held.refresh_from_db()
    assert held.state == State.REPORTED
    assert (held.participant_count, held.hours_total) == (12, Decimal("36.5"))


def test_without_sign_ups_only_a_total_is_asked(as_reporter, held):
    body = as_reporter.get(report_url(held)).content.decode()
    assert 'name="hours_mode"' not in body and 'name="hours_total"' in body
    response = as_reporter.post(report_url(held), form_data(hours_mode=None, hours_total=""))
    assert response.status_code == 400
    held.refresh_from_db()
    assert held.state == State.COMPLETED


def test_hours_per_participant_from_the_sign_up_list(as_reporter, held):
    family = SignupFactory(dugnad=held, party_size=3, user=UserFactory(full_name="Familien Berg"))
    single = SignupFactory(dugnad=held, user=UserFactory(full_name="Per Hansen"))
    body = as_reporter.get(report_url(held)).content.decode()
    assert "Familien Berg" in body and "Per Hansen" in body
    assert 'name="participant_count" value="4"' in body  # the people signed up, to start with
    response = as_reporter.post(
        report_url(held),
        form_data(
            hours_mode="per_participant",
            hours_total="",
            **{f"hours_{family.pk}": "12", f"hours_{single.pk}": "3,5"},
        ),
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.hours_total == Decimal("15.5")
    assert Signup.objects.get(pk=family.pk).hours == Decimal(12)


def test_per_participant_with_no_hours_at_all_is_refused(as_reporter, held):
    SignupFactory(dugnad=held)
    response = as_reporter.post(
        report_url(held), form_data(hours_mode="per_participant", hours_total="")
    )
    assert response.status_code == 400
    held.refresh_from_db()
    assert held.state == State.COMPLETED


def test_a_correction_is_prefilled_and_keeps_the_state(as_reporter, held):
    as_reporter.post(report_url(held), form_data())
    body = as_reporter.get(report_url(held)).content.decode()
    assert "Correct the report" in body
    assert 'value="36' in body and "Vi raket løv" in body
    response = as_reporter.post(report_url(held), form_data(hours_total="40"))
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.state == State.REPORTED and held.hours_total == Decimal(40)
    assert DugnadEvent.objects.filter(dugnad=held, kind=DugnadEvent.Kind.REPORT).count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("participant_count", ""),
        ("participant_count", "0"),
        ("participant_count", "mange"),
        ("participant_count", "99999999999999999999"),
        ("hours_total", "-3"),
        ("hours_total", "1.25"),
        ("hours_total", "nan"),
        ("hours_total", "inf"),
        ("hours_total", "100001"),
        ("hours_total", "tre"),
        ("hours_mode", "both"),
        ("report", ""),
        ("report", "x" * 5_001),
        ("report", "null\x00byte"),
        ("description_1", "a description without a photo"),
    ],
)
def test_bad_input_gives_the_form_back_and_saves_nothing(as_reporter, held, field, value):
    SignupFactory(dugnad=held)  # so the choice of total or per participant is on the form
    response = as_reporter.post(report_url(held), form_data(**{field: value}))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="error-summary-heading"' in body and 'id="report-form"' in body
    held.refresh_from_db()
    assert held.state == State.COMPLETED
    assert held.hours_total is None and held.participant_count is None and held.report == ""


def test_the_report_is_on_the_dugnads_page_hours_first_then_value(client, committee, reporter):
    dugnad = held_dugnad(committee)
    dugnad.organisers.add(reporter)
    HourlyRate.objects.update_or_create(
        year=dugnad.starts_at.year, defaults={"nok_per_hour": 350, "source": "Kilden"}
    )
    client.force_login(reporter)
    client.post(report_url(dugnad), form_data(hours_total="312"))
    client.logout()
    body = client.get(dugnad.get_absolute_url()).content.decode()
    assert 'id="report-heading"' in body
    assert body.index('id="report-hours"') < body.index('id="report-value"')
    assert '<dd id="report-hours">312</dd>' in body
    assert '<dd id="report-value">kr\xa0109\xa0200</dd>' in body
    assert "Kilden" in body
    assert "Vi raket løv og plantet tulipaner." in body


def test_a_held_dugnad_not_yet_reported_shows_no_report(client, held):
    body = client.get(held.get_absolute_url()).content.decode()
    assert 'id="report-heading"' not in body
