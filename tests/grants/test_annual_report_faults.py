"""Rules of the annual report (and of who answers applications) that no other test guarded:
each test here was written after breaking its rule on purpose, one line at a time, and seeing
every test in tests/grants still pass. The edges of the limits (one byte over, the meeting
held today, a term ending on the meeting's day or today), the checks the service repeats
behind the page (nothing changed once sent, no leader no sending), which addresses are the
person's when the board is applied, and who among the municipality's staff may review.

Behaviour only, through ``grants.services.annual_reports`` and the pages: the module may be
split, its names stay."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from committees.models import CommitteeStatus, Role
from grants import notifications as kinds
from grants.annual_report_deadlines import annual_reports_follow_up
from grants.models import AnnualReport, AnnualReportState, ElectedBoardMember
from grants.services import annual_reports as service
from notifications.models import Notification
from tests.factories import DepartmentStaffFactory

from .test_annual_report_helpers import (  # noqa: F401 (fixtures)
    PDF_BYTES,
    approved_fixture,
    complete,
    elected,
    last_year,
    meeting_day,
    report_fixture,
    state_of,
    submitted_fixture,
    term_end,
    upload,
    upload_all,
)
from .test_applications_helpers import submitted as send_application

pytestmark = pytest.mark.django_db

R = AnnualReportState


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def save(report, actor, members, meeting_on=None):
    return service.elected_board_save(
        report=report, actor=actor, meeting_on=meeting_on or meeting_day(), members=members
    )


@pytest.fixture
def staff_who_do_not_review(db):
    """Municipal staff (they handle cases: they see the report) without the permission to
    change annual reports or applications: not the municipality in a review or an answer."""
    user = DepartmentStaffFactory(
        user__email="saksbehandler.uten@larvik.kommune.no", user__full_name="Siri Ser"
    ).user
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="committees", codename="handle_cases")
    )
    return type(user).objects.get(pk=user.pk)  # no cached permissions


# --- Documents ------------------------------------------------------------------------------------


def test_a_file_one_byte_over_the_limit_is_refused(report, board_member, settings):
    settings.GRANTS = {**settings.GRANTS, "MAX_DOCUMENT_BYTES": 1024}
    with pytest.raises(ValidationError) as error:
        service.document_upload(
            report=report,
            actor=board_member,
            kind="protocol",
            uploaded_file=upload("stor.pdf", PDF_BYTES.ljust(1025, b"0")),
        )
    assert "too large" in messages_of(error.value)
    assert not report.documents.exists()


def test_a_document_under_another_committees_address_is_not_found(
    client, report, leader, case_handler, other_committee
):
    """The document's address names its committee and year; under another committee's it is
    not found, even for staff who may see it."""
    document = service.document_upload(
        report=report, actor=leader, kind="protocol", uploaded_file=upload()
    )
    client.force_login(case_handler)
    own = reverse(
        "grants:annual-report-document", args=[report.committee.slug, report.year, document.pk]
    )
    other = reverse(
        "grants:annual-report-document", args=[other_committee.slug, report.year, document.pk]
    )
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 404


# --- The annual meeting ---------------------------------------------------------------------------


def test_a_meeting_held_today_or_on_new_years_day_of_the_year_is_accepted(report, board_member):
    members = [elected("Leder", "leder@example.no", Role.LEADER)]
    for day in (timezone.localdate(), datetime.date(report.year, 1, 1)):
        save(report, board_member, members, meeting_on=day)
        report.refresh_from_db()
        assert report.meeting_on == day


def test_a_term_ending_on_the_meeting_day_is_refused(report, board_member):
    members = [elected("Leder", "leder@example.no", Role.LEADER, term_ends_on=meeting_day())]
    with pytest.raises(ValidationError) as error:
        save(report, board_member, members)
    assert "after the annual meeting" in messages_of(error.value)
    assert "1" in error.value.message_dict
    assert not report.elected.exists()


def test_a_term_ending_after_2100_is_refused(report, board_member):
    last = elected("Leder", "leder@example.no", Role.LEADER, datetime.date(2100, 12, 31))
    save(report, board_member, [last])
    too_late = elected("Leder", "leder@example.no", Role.LEADER, datetime.date(2101, 1, 1))
    with pytest.raises(ValidationError) as error:
        save(report, board_member, [too_late])
    assert "by 2100" in messages_of(error.value)
    assert report.elected.get().term_ends_on == datetime.date(2100, 12, 31)


def test_the_meeting_and_its_board_cannot_be_changed_once_sent(submitted, leader):
    """The page refuses a change once sent; the service refuses it too."""
    before = [(m.name, m.role) for m in submitted.elected.all()]
    with pytest.raises(ValidationError) as error:
        save(
            submitted,
            leader,
            [elected("Ny Leder", "ny@example.no", Role.LEADER)],
            meeting_on=timezone.localdate(),
        )
    assert "cannot be changed now" in messages_of(error.value)
    submitted.refresh_from_db()
    assert submitted.meeting_on == meeting_day()
    assert [(m.name, m.role) for m in submitted.elected.all()] == before


# --- Sending ---------------------------------------------------------------------------------------


def test_a_board_without_a_leader_is_not_sent(report, leader):
    """The form's rule (exactly one leader) can be got round (the admin, the database): the
    sending asks again for an elected leader."""
    upload_all(report, leader)
    AnnualReport.objects.filter(pk=report.pk).update(meeting_on=meeting_day())
    ElectedBoardMember.objects.create(
        annual_report=report, name="Kari Kasserer", email="kari@example.no", role=Role.TREASURER
    )
    with pytest.raises(ValidationError) as error:
        service.annual_report_submit(report=report, actor=leader)
    assert "with its leader" in messages_of(error.value)
    assert state_of(report) == R.OPEN


# --- The review -------------------------------------------------------------------------------------


def test_staff_without_the_permission_neither_approve_nor_return(
    client, committee, submitted, staff_who_do_not_review
):
    with pytest.raises(ValidationError):
        service.annual_report_approve(report=submitted, actor=staff_who_do_not_review)
    with pytest.raises(ValidationError):
        service.annual_report_return(
            report=submitted, actor=staff_who_do_not_review, comment="Nei."
        )
    assert state_of(submitted) == R.SUBMITTED
    client.force_login(staff_who_do_not_review)
    page = client.get(reverse("grants:annual-report", args=[committee.slug, submitted.year]))
    assert page.status_code == 200  # they see it, read-only
    assert page.context["review_url"] == ""
    assert b'id="review-link"' not in page.content


# --- The page ---------------------------------------------------------------------------------------


def _page(client, user, committee):
    client.force_login(user)
    client.cookies["nmu_language"] = "en"
    return client.get(reverse("grants:annual-report", args=[committee.slug, last_year()]))


def test_the_apply_link_is_offered_only_between_approval_and_applying(
    client, committee, submitted, leader, case_handler
):
    assert b'id="apply-board-link"' not in _page(client, leader, committee).content
    service.annual_report_approve(report=submitted, actor=case_handler)
    assert b'id="apply-board-link"' in _page(client, leader, committee).content
    service.apply_elected_board(report=submitted, actor=leader)
    assert b'id="apply-board-link"' not in _page(client, leader, committee).content


def test_a_report_sent_after_its_due_date_is_not_called_overdue(client, committee, report, leader):
    AnnualReport.objects.filter(pk=report.pk).update(due_on="2000-05-01")
    assert b'id="annual-report-overdue"' in _page(client, leader, committee).content
    complete(report, leader)
    service.annual_report_submit(report=report, actor=leader)
    page = _page(client, leader, committee)
    assert not page.context["overdue"]
    assert b'id="annual-report-overdue"' not in page.content


# --- Applying the elected board ---------------------------------------------------------------------


def _approve(report, leader, case_handler, members):
    complete(report, leader, members=members)
    service.annual_report_submit(report=report, actor=leader)
    return service.annual_report_approve(report=report, actor=case_handler)


def test_a_term_ending_today_stops_the_apply(report, leader, case_handler):
    until = term_end()
    _approve(
        report,
        leader,
        case_handler,
        [elected("Sverre Leder", "leader@example.no", Role.LEADER, until)],
    )
    with pytest.raises(ValidationError) as error:
        service.apply_elected_board(report=report, actor=leader, today=until)
    assert "already ended" in messages_of(error.value)
    report.refresh_from_db()
    assert report.board_applied_at is None


def test_a_list_that_lost_its_leader_after_approval_is_not_applied(report, leader, case_handler):
    _approve(
        report,
        leader,
        case_handler,
        [
            elected("Sverre Leder", "leader@example.no", Role.LEADER),
            elected("Nils Ny", "nils@example.no"),
        ],
    )
    report.elected.filter(role=Role.LEADER).delete()
    with pytest.raises(ValidationError) as error:
        service.apply_elected_board(report=report, actor=leader)
    assert "names no elected leader" in messages_of(error.value)
    report.refresh_from_db()
    assert report.board_applied_at is None


def test_a_member_elected_under_a_confirmed_second_address_is_kept(
    report, leader, board_member, case_handler
):
    """Which addresses are the person's: every confirmed one, not only the account's."""
    EmailAddress.objects.create(user=board_member, email="bjorn@privat.no", verified=True)
    _approve(
        report,
        leader,
        case_handler,
        [
            elected("Sverre Leder", "leader@example.no", Role.LEADER),
            elected("Bjørn Styre", "Bjorn@Privat.no", Role.BOARD_MEMBER),
        ],
    )
    actions = {c.email.lower(): c.action for c in service.board_changes(report)}
    assert actions == {
        "leader@example.no": service.Change.KEEP,
        "bjorn@privat.no": service.Change.KEEP,
    }


def test_an_unconfirmed_address_is_not_the_persons(report, leader, board_member, case_handler):
    """An address the board member added but never confirmed does not make them the person the
    protocol names: they are not re-elected (their place ends) and the address is invited."""
    EmailAddress.objects.create(user=board_member, email="ukjent@example.no", verified=False)
    _approve(
        report,
        leader,
        case_handler,
        [
            elected("Sverre Leder", "leader@example.no", Role.LEADER),
            elected("Ukjent", "ukjent@example.no", Role.SECRETARY),
        ],
    )
    actions = {c.email: c.action for c in service.board_changes(report)}
    assert actions == {
        "leader@example.no": service.Change.KEEP,
        "ukjent@example.no": service.Change.INVITE,
        "board@example.no": service.Change.END,
    }


# --- The follow-up ----------------------------------------------------------------------------------


def test_a_committee_no_longer_registered_is_not_reminded(committee, leader, report):
    """Only registered committees owe a report: one that is no longer registered (its report
    still open) is neither reminded nor escalated."""
    committee.__class__.objects.filter(pk=committee.pk).update(status=CommitteeStatus.CONSTITUTED)
    due = report.due_on
    assert annual_reports_follow_up(today=due) == {"opened": 0, "soon": 0, "passed": 0}
    later = due + datetime.timedelta(days=1)
    assert annual_reports_follow_up(today=later) == {"opened": 0, "soon": 0, "passed": 0}
    assert not Notification.objects.filter(
        kind__in=[kinds.ANNUAL_REPORT_DUE, kinds.ANNUAL_REPORT_OVERDUE]
    ).exists()


# --- Answering applications -------------------------------------------------------------------------


def test_staff_without_the_permission_do_not_answer_an_application(
    application, board_member, staff_who_do_not_review
):
    """Handling cases is not enough to answer an application: it takes the permission to
    change applications (``grants.change_application``)."""
    from grants.services import applications

    send_application(application, board_member)
    for answer in (
        lambda: applications.application_ask_more(
            application=application, actor=staff_who_do_not_review, message="Mer?"
        ),
        lambda: applications.application_refuse(
            application=application, actor=staff_who_do_not_review, reason="Nei."
        ),
        lambda: applications.application_grant(
            application=application, actor=staff_who_do_not_review, amount=10_000
        ),
    ):
        with pytest.raises(ValidationError) as error:
            answer()
        assert "who answer applications" in messages_of(error.value)
    application.refresh_from_db()
    assert application.state == "submitted"


def test_nor_are_they_offered_the_answers_on_the_page(
    client, application, board_member, staff_who_do_not_review
):
    """They see the sent application (they handle cases), without the steps that answer it."""
    send_application(application, board_member)
    client.force_login(staff_who_do_not_review)
    page = client.get(application.get_absolute_url())
    assert page.status_code == 200
    assert page.context["step_links"] == []
    refuse = reverse(
        "grants:application-transition",
        kwargs={"number": application.number, "to_state": "refused"},
    )
    assert client.get(refuse).status_code == 403


def test_staff_access_alone_does_not_show_a_draft(client, application, staff_without_group):
    """A draft is the parties' own: an employee with staff access who is not the municipality
    in a case (not in the case handler group) gets 404, as anyone else."""
    client.force_login(staff_without_group)
    assert client.get(application.get_absolute_url()).status_code == 404
