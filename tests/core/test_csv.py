"""core.export: the one streaming CSV export, its formula guard and its time zone.

The proposals' review queue is the concrete export: its rows come from the admin's own action."""

import csv
import datetime
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from core.export import CSV_FORMULA_START, Column, csv_cell, csv_export_action, csv_response
from tests.factories import ProposalFactory


def _rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_starts_like_a_formula_stays_text(start):
    assert start in CSV_FORMULA_START
    assert csv_cell(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


def test_plain_values_are_written_as_they_are():
    assert csv_cell("Benker ved stranda") == "Benker ved stranda"
    assert csv_cell("Middag = mat") == "Middag = mat"  # only the start counts
    assert csv_cell(None) == ""
    assert csv_cell(12) == 12  # a number a spreadsheet can add up
    assert csv_cell(datetime.date(2026, 5, 17)) == "2026-05-17"
    with translation.override("nb"):
        assert (csv_cell(True), csv_cell(False)) == ("Ja", "Nei")


def test_times_are_local_to_the_minute_in_the_settings_time_zone():
    moment = datetime.datetime(2026, 1, 15, 11, 30, 45, 123456, tzinfo=datetime.UTC)
    with override_settings(TIME_ZONE="Europe/Oslo"):
        assert csv_cell(moment) == "2026-01-15 12:30"
    with override_settings(TIME_ZONE="America/New_York"):
        assert csv_cell(moment) == "2026-01-15 06:30"


def test_the_response_streams_semicolons_in_the_request_language():
    columns = [Column("Title", lambda row: row["title"]), Column("Count", lambda row: row["n"])]
    with translation.override("nb"):
        response = csv_response(
            [{"title": "Tekst; med semikolon", "n": 3}, {"title": "=1+1", "n": 0}],
            columns,
            filename="rows.csv",
        )
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rows.csv"'
    assert _rows(response) == [["Title", "Count"], ["Tekst; med semikolon", "3"], ["'=1+1", "0"]]


def test_the_action_factory_names_the_action_and_asks_for_permission():
    action = csv_export_action(columns=[], filename="things", permissions=("change",))
    assert action.__name__ == "export_csv"
    assert action.allowed_permissions == ["change"]
    with translation.override("en"):
        assert str(action.short_description) == "Export to CSV"


@pytest.mark.django_db
def test_the_proposal_export_follows_the_settings_time_zone(client, case_handler, committee):
    """Change TIME_ZONE and the export's times change with it (no hard-coded Oslo)."""
    submitted = datetime.datetime(2026, 3, 2, 8, 5, tzinfo=datetime.UTC)
    proposal = ProposalFactory(committee=committee, submitted_at=submitted, title="+47 123")
    client.cookies["nmu_language"] = "en"
    client.force_login(case_handler)

    def exported_row():
        response = client.post(
            reverse("admin:proposals_proposal_changelist") + "?status_group=all",
            {"action": "export_csv", "_selected_action": [proposal.pk]},
        )
        header, row = _rows(response)
        return dict(zip(header, row, strict=True))

    with override_settings(TIME_ZONE="Europe/Oslo"):
        oslo = exported_row()
    with override_settings(TIME_ZONE="America/New_York"):
        new_york = exported_row()
    assert oslo["Submitted"] == "2026-03-02 09:05"
    assert new_york["Submitted"] == "2026-03-02 03:05"
    assert oslo["Title"] == "'+47 123"


@pytest.mark.django_db
def test_the_proposal_export_has_every_column_of_a_known_case(client, case_handler, committee):
    """The whole header row, in order, and every cell of one case whose every field is known
    (issue 10: the other tests check a few columns)."""
    from tests.factories import DepartmentFactory

    def at(day, hour):  # Oslo wall-clock time (UTC+1 in March) on 2026-03-<day>
        return datetime.datetime(2026, 3, day, hour - 1, 7, 30, tzinfo=datetime.UTC)

    proposal = ProposalFactory(
        committee=committee,
        title="Benker langs elva",
        kind="takeover",
        category="meeting_places",
        state="accepted",
        department=DepartmentFactory(name="Park og idrett"),
        handler=case_handler,
        supports_count=17,
        submitted_at=at(2, 9),
        forwarded_at=at(3, 10),
        first_response_at=at(4, 11),
        decided_at=at(5, 12),
        completed_at=None,
        next_due=datetime.date(2020, 1, 31),
    )
    client.cookies["nmu_language"] = "en"
    client.force_login(case_handler)
    response = client.post(
        reverse("admin:proposals_proposal_changelist") + "?status_group=all",
        {"action": "export_csv", "_selected_action": [proposal.pk]},
    )
    with override_settings(TIME_ZONE="Europe/Oslo"):
        header, row = _rows(response)
    assert header == [
        "Reference",
        "Title",
        "Committee",
        "Kind",
        "Topic",
        "Status",
        "Municipal department",
        "Case handler",
        "Supports",
        "Submitted",
        "Forwarded to the municipality",
        "First response from the municipality",
        "Decided",
        "Completed",
        "Next deadline",
        "Overdue",
    ]
    assert row == [
        proposal.reference,
        "Benker langs elva",
        "Svarstad",
        "Take over a municipal task",
        "Meeting places for all",
        "Accepted",
        "Park og idrett",
        "Kari Saksbehandler",
        "17",
        "2026-03-02 09:07",
        "2026-03-03 10:07",
        "2026-03-04 11:07",
        "2026-03-05 12:07",
        "",
        "2020-01-31",
        "Yes",
    ]
