"""Where the board finds its annual reports: the committee page and Min side → My committees
(``grants.annual_report_sections``) list last year's report and every earlier one still owed,
for the board only, in one query; and which years a board may open at all
(``grants.models.may_open_annual_report``: a year that is over, from the year the committee was
registered)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import Role
from grants.models import AnnualReport, AnnualReportState, may_open_annual_report
from grants.services.lifecycle import annual_report_get_or_open
from tests.factories import CommitteeFactory, MembershipFactory

from .test_annual_report_helpers import last_year

pytestmark = pytest.mark.django_db

MY_COMMITTEES = "committees:membership-list"


def login(client, user):
    client.force_login(user)
    client.cookies["nmu_language"] = "en"
    return client


def returned(committee, year):
    report = annual_report_get_or_open(committee=committee, year=year)
    AnnualReport.objects.filter(pk=report.pk).update(state=AnnualReportState.RETURNED)
    return report


# --- which years -------------------------------------------------------------------------------


def test_a_year_not_over_is_never_opened(committee):
    today = datetime.date(2026, 6, 1)
    assert may_open_annual_report(committee, 2025, today=today)
    assert not may_open_annual_report(committee, 2026, today=today)
    assert not may_open_annual_report(committee, 2027, today=today)


def test_earlier_years_only_from_the_registration(committee):
    today = datetime.date(2026, 6, 1)
    committee.registered_on = datetime.date(2023, 9, 1)
    assert may_open_annual_report(committee, 2023, today=today)
    assert may_open_annual_report(committee, 2024, today=today)
    assert not may_open_annual_report(committee, 2022, today=today)
    committee.registered_on = None  # not registered: last year only
    assert may_open_annual_report(committee, 2025, today=today)
    assert not may_open_annual_report(committee, 2024, today=today)


def test_the_page_of_a_year_the_board_may_not_open_is_404(client, committee, leader):
    committee.registered_on = datetime.date(last_year() - 1, 3, 1)
    committee.save(update_fields=["registered_on"])
    login(client, leader)
    url = lambda year: reverse("grants:annual-report", args=[committee.slug, year])  # noqa: E731
    assert client.get(url(last_year() - 1)).status_code == 200
    assert client.get(url(last_year() - 2)).status_code == 404
    assert client.get(url(last_year() + 1)).status_code == 404  # this year: not over
    assert client.post(url(last_year() + 1), {"action": "submit"}).status_code == 404
    assert not AnnualReport.objects.filter(year=last_year() + 1).exists()


def test_a_report_already_opened_stays_reachable(client, committee, leader):
    returned(committee, last_year() - 5)  # before any registration: opened by staff, say
    response = login(client, leader).get(
        reverse("grants:annual-report", args=[committee.slug, last_year() - 5])
    )
    assert response.status_code == 200


# --- the committee page ------------------------------------------------------------------------


def test_the_committee_page_lists_an_earlier_report_still_owed(client, committee, leader):
    returned(committee, last_year() - 1)
    response = login(client, leader).get(committee.get_absolute_url())
    content = response.content.decode()
    assert f'data-year="{last_year()}"' in content
    assert f'data-year="{last_year() - 1}" data-state="returned"' in content
    assert reverse("grants:annual-report", args=[committee.slug, last_year() - 1]) in content


def test_an_approved_earlier_report_is_not_listed(client, committee, leader):
    report = returned(committee, last_year() - 1)
    AnnualReport.objects.filter(pk=report.pk).update(state=AnnualReportState.APPROVED)
    content = login(client, leader).get(committee.get_absolute_url()).content.decode()
    assert f'data-year="{last_year() - 1}"' not in content


# --- Min side ----------------------------------------------------------------------------------


def test_min_side_lists_each_board_committees_reports(
    client, committee, other_committee, leader, resident
):
    MembershipFactory(user=leader, committee=other_committee, role=Role.BOARD_MEMBER)
    returned(other_committee, last_year() - 1)
    content = login(client, leader).get(reverse(MY_COMMITTEES)).content.decode()
    assert 'id="my-annual-reports"' in content
    for slug, year in [
        (committee.slug, last_year()),
        (other_committee.slug, last_year()),
        (other_committee.slug, last_year() - 1),
    ]:
        assert f'data-committee="{slug}" data-year="{year}"' in content
    assert f"Annual report {last_year()} for Svarstad" in content


def test_min_side_shows_nothing_to_a_plain_member(client, committee, resident):
    MembershipFactory(user=resident, committee=committee, role=Role.MEMBER)
    content = login(client, resident).get(reverse(MY_COMMITTEES)).content.decode()
    assert 'id="my-annual-reports"' not in content


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_min_side_queries_do_not_grow_with_committees_and_reports(client, leader):
    def add(count):
        for _ in range(count):
            extra = CommitteeFactory()
            MembershipFactory(user=leader, committee=extra, role=Role.BOARD_MEMBER)
            returned(extra, last_year() - 1)

    login(client, leader)
    add(2)
    few = _queries(client, reverse(MY_COMMITTEES))
    add(20)
    many = _queries(client, reverse(MY_COMMITTEES))
    assert many == few


# --- the report's page ---------------------------------------------------------------------------


def test_an_earlier_year_not_opened_is_not_called_overdue(client, committee, leader):
    committee.registered_on = datetime.date(last_year() - 3, 3, 1)
    committee.save(update_fields=["registered_on"])
    url = reverse("grants:annual-report", args=[committee.slug, last_year() - 2])
    content = login(client, leader).get(url).content.decode()
    assert 'id="annual-report-overdue"' not in content  # listed nowhere, so not overdue
    returned(committee, last_year() - 2)  # once opened, it is owed and listed
    AnnualReport.objects.filter(committee=committee).update(due_on=datetime.date(2001, 5, 1))
    assert 'id="annual-report-overdue"' in client.get(url).content.decode()


def test_an_approved_report_whose_board_cannot_be_applied_says_why(
    client, committee, leader, case_handler
):
    from grants.services import annual_reports as service

    from .test_annual_report_helpers import complete, elected

    reports = []
    for year in (last_year() - 1, last_year()):
        report = annual_report_get_or_open(committee=committee, year=year)
        complete(report, leader, members=[elected("Sverre Leder", leader.email, Role.LEADER)])
        service.annual_report_submit(report=report, actor=leader)
        reports.append(service.annual_report_approve(report=report, actor=case_handler))
    older, newer = reports
    service.apply_elected_board(report=newer, actor=leader)
    url = reverse("grants:annual-report", args=[committee.slug, older.year])
    content = login(client, leader).get(url).content.decode()
    assert 'id="apply-board-link"' not in content  # no button that leads to a refusal
    assert 'id="apply-board-problems"' in content and f"for {newer.year}" in content
