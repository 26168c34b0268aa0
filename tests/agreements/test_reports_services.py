"""The report services: the board submits (lines, photos, resubmission), staff approve (the
payment and its yearly ceiling) or return with a comment; the limits; nothing half-saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from agreements.models import AgreementEvent, DutyState, Payment, ReportLine, ReportPhoto
from agreements.notifications import REPORT_APPROVED, REPORT_RETURNED, REPORT_SUBMITTED
from agreements.services.reports import report_approve, report_return, report_submit
from notifications.models import Notification
from tests.factories import AgreementFactory, ReportDutyFactory, TaskFactory
from tests.photo_files import has_gps_or_exif

from .reports_helpers import (  # noqa: F401 (fixtures)
    day,
    duty_fixture,
    fixed_task,
    line,
    png,
    reimbursed_fixture,
    reviewer_fixture,
    staff_no_review_fixture,
)

pytestmark = pytest.mark.django_db


def submit(duty, actor, lines, **kwargs):
    kwargs.setdefault("summary", "Flagget ble heist.")
    return report_submit(duty=duty, actor=actor, lines=lines, **kwargs)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- submit -----------------------------------------------------------------------------------


def test_board_member_submits_and_the_department_is_told(duty, board_member, case_handler):
    task = fixed_task(duty.agreement)
    submit(duty, board_member, [line(task), line(task, hours=Decimal(3), note="Regn")])
    duty.refresh_from_db()
    assert duty.state == DutyState.SUBMITTED
    assert duty.submitted_by == board_member and duty.submitted_at is not None
    assert sorted(duty.lines.values_list("hours", flat=True)) == [Decimal(3), Decimal("12.5")]
    event = AgreementEvent.objects.get(agreement=duty.agreement, kind="report_submitted")
    assert event.actor == board_member and event.actor_party == "committee"
    assert Notification.objects.filter(recipient=case_handler, kind=REPORT_SUBMITTED).exists()


def test_resubmission_replaces_the_lines_and_keeps_the_photos(
    duty, board_member, reviewer, reimbursed
):
    task = fixed_task(duty.agreement)
    submit(duty, board_member, [line(task), line(task)], photos=[(png(), "Flagget")])
    report_return(duty=duty, actor=reviewer, comment="Mangler timer i mai.")
    duty.refresh_from_db()
    submit(duty, board_member, [line(reimbursed, hours=Decimal(7), documented_cost=500)])
    assert list(duty.lines.values_list("task", "hours")) == [(reimbursed.pk, Decimal(7))]
    assert duty.photos.count() == 1
    duty.refresh_from_db()
    assert duty.state == DutyState.SUBMITTED and duty.review_comment == ""


def test_resubmission_removes_the_photos_asked_for(duty, board_member, reviewer):
    task = fixed_task(duty.agreement)
    submit(duty, board_member, [line(task)], photos=[(png(), "En"), (png(), "To")])
    first, second = duty.photos.all()
    report_return(duty=duty, actor=reviewer, comment="Et bilde for mye.")
    with pytest.raises(ValidationError) as excinfo:
        submit(duty, board_member, [line(task)], remove_photos=[first.pk + second.pk + 99])
    assert "remove_photos" in errors_of(excinfo)
    submit(duty, board_member, [line(task)], remove_photos=[first.pk])
    assert list(duty.photos.values_list("caption", flat=True)) == ["To"]


def test_photos_are_stored_without_their_exif(duty, board_member):
    submit(duty, board_member, [line(fixed_task(duty.agreement))], photos=[(png(), "Flagget")])
    photo = ReportPhoto.objects.get(duty=duty)
    with photo.file.open("rb") as handle:
        assert not has_gps_or_exif(handle.read())
    assert photo.extension == "png" and photo.uploaded_by == board_member


@pytest.mark.parametrize("role", ["leader", "board_member"])
def test_the_board_may_submit(duty, role, request):
    submit(duty, request.getfixturevalue(role), [line(fixed_task(duty.agreement))])
    duty.refresh_from_db()
    assert duty.state == DutyState.SUBMITTED


@pytest.mark.parametrize("role", ["resident", "other_committee_leader", "reviewer"])
def test_others_may_not_submit(duty, role, request):
    with pytest.raises(ValidationError):
        submit(duty, request.getfixturevalue(role), [line(fixed_task(duty.agreement))])
    assert not ReportLine.objects.exists()


def test_a_submitted_report_cannot_be_submitted_again(duty, board_member):
    task = fixed_task(duty.agreement)
    submit(duty, board_member, [line(task)])
    with pytest.raises(ValidationError):
        submit(duty, board_member, [line(task), line(task)])
    assert duty.lines.count() == 1


@pytest.mark.parametrize("state", ["draft", "sent", "signed_committee", "ended", "renewed"])
def test_only_while_the_agreement_is_in_force(committee, board_member, state):
    agreement = AgreementFactory(committee=committee, state=state)
    task = TaskFactory(agreement=agreement)
    duty = ReportDutyFactory(agreement=agreement)
    with pytest.raises(ValidationError):
        submit(duty, board_member, [line(task)])


def test_terminated_agreement_takes_reports_until_its_last_day(committee, board_member):
    today = timezone.localdate()
    agreement = AgreementFactory(committee=committee, state="terminated", terminated_on=today)
    task = TaskFactory(agreement=agreement)
    duty = ReportDutyFactory(agreement=agreement)
    submit(duty, board_member, [line(task, done_on=today)])
    agreement.terminated_on = today - datetime.timedelta(days=1)
    agreement.save()
    later = ReportDutyFactory(agreement=agreement)
    with pytest.raises(ValidationError):
        submit(later, board_member, [line(task, done_on=agreement.terminated_on)])


# --- the limits -------------------------------------------------------------------------------


def test_at_most_max_lines(duty, board_member):
    task = fixed_task(duty.agreement)
    with pytest.raises(ValidationError) as excinfo:
        submit(duty, board_member, [line(task, hours=1)] * 101)
    assert "lines" in errors_of(excinfo)
    submit(duty, board_member, [line(task, hours=1)] * 100)
    assert duty.lines.count() == 100


def test_at_least_one_line(duty, board_member):
    with pytest.raises(ValidationError) as excinfo:
        submit(duty, board_member, [])
    assert "lines" in errors_of(excinfo)


def test_a_task_of_another_agreement_is_refused(duty, board_member):
    stranger = TaskFactory()  # on another agreement
    with pytest.raises(ValidationError) as excinfo:
        submit(duty, board_member, [line(stranger)])
    assert "lines" in errors_of(excinfo)
    assert not ReportLine.objects.exists()


def test_documented_cost_only_on_reimbursed_tasks(duty, board_member, reimbursed):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        submit(duty, board_member, [line(fixed_task(duty.agreement), documented_cost=100)])
    assert "fixed price" in " ".join(errors_of(excinfo)["lines"])
    submit(duty, board_member, [line(reimbursed, documented_cost=Decimal("100.50"))])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("done_on", "future"),
        ("done_on", "before the start"),
        ("hours", Decimal(0)),
        ("hours", Decimal("-1")),
        ("hours", Decimal("1.25")),
        ("hours", "mange"),
        ("documented_cost", Decimal("-5")),
        ("note", "a\x00b"),
        ("note", "x" * 201),
    ],
)
def test_bad_lines_are_refused(duty, board_member, reimbursed, field, value):
    agreement = duty.agreement
    if value == "future":
        value = timezone.localdate() + datetime.timedelta(days=1)
    elif value == "before the start":
        value = agreement.starts_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        submit(duty, board_member, [line(reimbursed, **{field: value})])
    assert "lines" in errors_of(excinfo)
    duty.refresh_from_db()
    assert duty.state == DutyState.OPEN and not duty.lines.exists()


@pytest.mark.parametrize("summary", ["", "   ", "a\x00b", "x" * 5_001])
def test_bad_summary_is_refused(duty, board_member, summary):
    with pytest.raises(ValidationError) as excinfo:
        submit(duty, board_member, [line(fixed_task(duty.agreement))], summary=summary)
    assert "summary" in errors_of(excinfo)


def test_too_many_photos(duty, board_member, settings):
    settings.AGREEMENTS = {**settings.AGREEMENTS, "MAX_PHOTOS_PER_REPORT": 2}
    task = fixed_task(duty.agreement)
    with pytest.raises(ValidationError) as excinfo:
        submit(duty, board_member, [line(task)], photos=[(png(), "a"), (png(), "b"), (png(), "c")])
    assert "photos" in errors_of(excinfo)
    assert not ReportPhoto.objects.exists()


def test_too_big_a_photo(duty, board_member, settings):
    settings.AGREEMENTS = {**settings.AGREEMENTS, "MAX_PHOTO_BYTES": 100}
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        submit(duty, board_member, [line(fixed_task(duty.agreement))], photos=[(png(), "a")])
    assert "too large" in " ".join(errors_of(excinfo)["photos"])


@pytest.mark.parametrize(
    ("name", "content"),
    [("skjema.pdf", b"%PDF-1.4 ..."), ("bilde.png", b"not a png at all"), ("tom.png", b"")],
)
def test_not_a_picture(duty, board_member, name, content):
    with pytest.raises(ValidationError) as excinfo:
        submit(
            duty,
            board_member,
            [line(fixed_task(duty.agreement))],
            photos=[(SimpleUploadedFile(name, content), "a")],
        )
    assert "photos" in errors_of(excinfo)


def test_one_bad_photo_saves_nothing(duty, board_member):
    """Good photos, good lines and one PNG that is not one: no line, no photo, no file, no
    timeline line, no notice, the duty still open."""
    files_before = _stored_files()
    with pytest.raises(ValidationError):
        submit(
            duty,
            board_member,
            [line(fixed_task(duty.agreement))],
            photos=[(png(), "a"), (png("falsk.png", b"\x89PNG\r\n\x1a\n broken"), "b")],
        )
    duty.refresh_from_db()
    assert duty.state == DutyState.OPEN
    assert not ReportLine.objects.exists() and not ReportPhoto.objects.exists()
    assert not AgreementEvent.objects.filter(kind="report_submitted").exists()
    assert not Notification.objects.filter(kind=REPORT_SUBMITTED).exists()
    assert _stored_files() == files_before


def test_a_photo_needs_a_caption(duty, board_member):
    with pytest.raises(ValidationError) as excinfo:
        submit(duty, board_member, [line(fixed_task(duty.agreement))], photos=[(png(), " ")])
    assert "photos" in errors_of(excinfo)


def _stored_files() -> set:
    try:
        folders, _files = default_storage.listdir("agreements/reports")
    except FileNotFoundError:
        return set()
    return {
        f"{folder}/{name}"
        for folder in folders
        for name in default_storage.listdir(f"agreements/reports/{folder}")[1]
    }


# --- approve ----------------------------------------------------------------------------------


def submitted(duty, actor, lines):
    submit(duty, actor, lines)
    duty.refresh_from_db()
    return duty


def test_approval_tells_the_board_and_pays_the_documented_costs(
    duty, board_member, leader, reviewer, reimbursed
):
    task = fixed_task(duty.agreement)
    submitted(
        duty,
        board_member,
        [
            line(task),
            line(reimbursed, documented_cost=Decimal("1200.50")),
            line(reimbursed, documented_cost=Decimal("300")),
        ],
    )
    report_approve(duty=duty, actor=reviewer)
    duty.refresh_from_db()
    assert duty.state == DutyState.APPROVED and duty.reviewed_by == reviewer
    payment = Payment.objects.get(duty=duty)
    assert payment.source == "report" and payment.amount == Decimal("1500.50")
    assert payment.due_on == timezone.localdate() + datetime.timedelta(days=30)
    assert duty.title in payment.description
    assert AgreementEvent.objects.filter(kind="report_approved", actor=reviewer).exists()
    told = set(Notification.objects.filter(kind=REPORT_APPROVED).values_list("recipient", flat=1))
    assert {board_member.pk, leader.pk} <= told


def test_no_payment_when_there_is_nothing_to_reimburse(duty, board_member, reviewer):
    submitted(duty, board_member, [line(fixed_task(duty.agreement))])
    report_approve(duty=duty, actor=reviewer)
    assert not Payment.objects.exists()


def test_the_yearly_ceiling_caps_two_reports(active, board_member, reviewer, reimbursed):
    """Ceiling 10 000 kr a year: 7 000 then 6 000 documented in the same year pay 7 000 and
    3 000; a third report that year pays nothing; costs in another year count afresh."""
    first, second, third = (ReportDutyFactory(agreement=active) for _ in range(3))
    submitted(first, board_member, [line(reimbursed, documented_cost=7_000)])
    submitted(second, board_member, [line(reimbursed, documented_cost=6_000)])
    report_approve(duty=first, actor=reviewer)
    report_approve(duty=second, actor=reviewer)
    assert Payment.objects.get(duty=first).amount == Decimal(7_000)
    assert Payment.objects.get(duty=second).amount == Decimal(3_000)
    submitted(third, board_member, [line(reimbursed, documented_cost=500)])
    report_approve(duty=third, actor=reviewer)
    assert not Payment.objects.filter(duty=third).exists()


def test_the_ceiling_is_per_year(committee, department, board_member, reviewer):
    today = timezone.localdate()
    agreement = AgreementFactory(
        committee=committee,
        department=department,
        starts_on=datetime.date(today.year - 1, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
    )
    task = TaskFactory(agreement=agreement, pricing="reimbursed", amount=1_000)
    duty = ReportDutyFactory(agreement=agreement)
    last_year = datetime.date(today.year - 1, 6, 1)
    submitted(
        duty,
        board_member,
        [
            line(task, done_on=last_year, documented_cost=800),
            line(task, done_on=last_year, documented_cost=800),
            line(task, done_on=day(), documented_cost=900),
        ],
    )
    report_approve(duty=duty, actor=reviewer)
    assert Payment.objects.get(duty=duty).amount == Decimal(1_000 + 900)


def test_a_cancelled_payment_frees_the_ceiling(active, board_member, reviewer, reimbursed):
    first, second = ReportDutyFactory(agreement=active), ReportDutyFactory(agreement=active)
    submitted(first, board_member, [line(reimbursed, documented_cost=10_000)])
    report_approve(duty=first, actor=reviewer)
    Payment.objects.filter(duty=first).update(cancelled=True)
    submitted(second, board_member, [line(reimbursed, documented_cost=4_000)])
    report_approve(duty=second, actor=reviewer)
    assert Payment.objects.get(duty=second).amount == Decimal(4_000)


def test_only_reviewers_approve(duty, board_member, leader, staff_no_review):
    submitted(duty, board_member, [line(fixed_task(duty.agreement))])
    for actor in (leader, staff_no_review):
        with pytest.raises(ValidationError):
            report_approve(duty=duty, actor=actor)
    duty.refresh_from_db()
    assert duty.state == DutyState.SUBMITTED


@pytest.mark.parametrize("state", ["open", "returned", "approved", "cancelled"])
def test_only_a_submitted_report_is_approved_or_returned(active, reviewer, state):
    duty = ReportDutyFactory(agreement=active, state=state)
    with pytest.raises(ValidationError):
        report_approve(duty=duty, actor=reviewer)
    with pytest.raises(ValidationError):
        report_return(duty=duty, actor=reviewer, comment="Nei")


# --- return -----------------------------------------------------------------------------------


def test_return_with_a_comment_tells_the_board(duty, board_member, reviewer):
    submitted(duty, board_member, [line(fixed_task(duty.agreement))])
    report_return(duty=duty, actor=reviewer, comment="  Legg ved bilder.  ")
    duty.refresh_from_db()
    assert duty.state == DutyState.RETURNED and duty.review_comment == "Legg ved bilder."
    event = AgreementEvent.objects.get(kind="report_returned")
    assert event.message == "Legg ved bilder." and event.actor_party == "municipality"
    notice = Notification.objects.get(recipient=board_member, kind=REPORT_RETURNED)
    assert "Legg ved bilder." in notice.body
    assert not Payment.objects.exists()


@pytest.mark.parametrize("comment", ["", "   ", "a\x00b"])
def test_return_needs_a_comment(duty, board_member, reviewer, comment):
    submitted(duty, board_member, [line(fixed_task(duty.agreement))])
    with pytest.raises(ValidationError) as excinfo:
        report_return(duty=duty, actor=reviewer, comment=comment)
    assert "comment" in errors_of(excinfo)
    duty.refresh_from_db()
    assert duty.state == DutyState.SUBMITTED


def test_staff_without_the_permission_cannot_return(duty, board_member, staff_no_review):
    submitted(duty, board_member, [line(fixed_task(duty.agreement))])
    with pytest.raises(ValidationError):
        report_return(duty=duty, actor=staff_no_review, comment="Nei")
