"""The report of a grant paid afterwards (services.application_reports): saving with receipts,
hours and photos "after", sending, returning and approving (the payment is min(granted,
actual), created once)."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import override

from agreements.models import Payment
from grants import notifications as kinds
from grants.models import Application, ApplicationEvent, ApplicationPhoto, BudgetLine
from grants.services import application_reports as reports
from notifications.models import Notification
from tests.factories import ApplicationFactory, CommitteeFactory
from tests.photo_files import has_gps_or_exif

from .test_application_report_helpers import (
    GRANTED,
    granted_fixture,  # noqa: F401 (the fixture)
    pdf,
    photo,
    png,
    reported_dugnad,
    save,
)

pytestmark = pytest.mark.django_db


def refreshed(application) -> Application:
    return Application.objects.get(pk=application.pk)


def messages_of(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


# --- saving ------------------------------------------------------------------------------------


def test_the_board_saves_lines_with_receipts_hours_and_photos(granted, leader):
    save(granted, leader, actual_hours="7,5")
    granted = refreshed(granted)
    assert granted.state == "granted"
    assert granted.report_text == "Vi plantet seks kasser."
    assert granted.actual_hours == Decimal("7.5")
    (line,) = granted.budget_lines.filter(actual=True)
    assert (line.description, line.amount, line.content_type) == (
        "Blomster og jord",
        Decimal("4000"),
        "application/pdf",
    )
    assert line.receipt.name == f"grants/receipts/{line.token}.pdf"
    assert line.receipt.read().startswith(b"%PDF-")
    (after,) = granted.photos.filter(kind="after")
    assert after.description == "Blomsterkassene i juni"
    assert after.extension == ".jpg" and after.content_type == "image/jpeg"
    assert not has_gps_or_exif(after.image.read())


def test_the_budget_is_left_alone(granted, leader):
    BudgetLine.objects.create(application=granted, description="Plan", amount=15_000)
    save(granted, leader)
    save(granted, leader, lines=[])
    assert list(granted.budget_lines.values_list("description", "actual")) == [("Plan", False)]


def test_a_saved_line_is_kept_changed_or_removed(granted, leader):
    save(granted, leader)
    line = granted.budget_lines.get(actual=True)
    old_name = line.receipt.name
    save(granted, leader, lines=[{"pk": line.pk, "description": "Jord", "amount": "500,50"}])
    line.refresh_from_db()
    assert (line.description, line.amount, line.receipt.name) == (
        "Jord",
        Decimal("500.50"),
        old_name,
    )
    save(
        granted,
        leader,
        lines=[{"pk": line.pk, "description": "Jord", "amount": 500, "receipt": png()}],
    )
    line.refresh_from_db()
    assert line.receipt.name != old_name and line.content_type == "image/png"
    save(granted, leader, lines=[])
    assert not granted.budget_lines.filter(actual=True).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: pdf("kvittering.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 40),
            "does not look like a PDF",
        ),
        (lambda: pdf("kvittering.exe", b"MZ" + b"0" * 40), "is not a PDF, PNG or JPEG"),
        (lambda: pdf("kvittering.pdf", b""), "is empty"),
    ],
)
def test_a_bad_receipt_saves_nothing(granted, leader, upload, message):
    good = {"description": "Jord", "amount": 100, "receipt": pdf()}
    bad = {"description": "Blomster", "amount": 200, "receipt": upload()}
    with override("en"), pytest.raises(ValidationError) as error:
        save(granted, leader, lines=[good, bad])
    assert "Cost line 2" in messages_of(error) and message in messages_of(error)
    assert not BudgetLine.objects.exists()
    assert not ApplicationPhoto.objects.exists()
    assert refreshed(granted).report_text == ""


@override_settings(GRANTS={**settings.GRANTS, "MAX_DOCUMENT_BYTES": 40})
def test_a_receipt_over_the_size_limit_is_refused(granted, leader):
    with override("en"), pytest.raises(ValidationError) as error:
        save(
            granted,
            leader,
            lines=[
                {"description": "Jord", "amount": 1, "receipt": pdf(content=b"%PDF-" + b"0" * 60)}
            ],
        )
    assert "too large" in messages_of(error)


def test_a_new_line_needs_its_receipt_and_a_positive_amount(granted, leader):
    with override("en"), pytest.raises(ValidationError) as error:
        save(granted, leader, lines=[{"description": "Jord", "amount": 0, "receipt": None}])
    text = messages_of(error)
    assert "Attach the receipt" in text and "more than 0" in text


def test_at_most_fifty_cost_lines(granted, leader):
    lines = [{"description": f"Kostnad {n}", "amount": 1, "receipt": pdf()} for n in range(51)]
    with override("en"), pytest.raises(ValidationError) as error:
        save(granted, leader, lines=lines)
    assert "at most 50 cost lines" in messages_of(error)
    save(granted, leader, lines=lines[:50])
    assert granted.budget_lines.filter(actual=True).count() == 50


@pytest.mark.parametrize("field", ["report_text", "description", "photo"])
def test_nul_bytes_are_refused(granted, leader, field):
    line = {
        "description": "Jord\x00" if field == "description" else "Jord",
        "amount": 1,
        "receipt": pdf(),
    }
    photos = [(photo(), "Kasse\x00" if field == "photo" else "Kasse")]
    text = "Vi\x00plantet" if field == "report_text" else "Vi plantet"
    with override("en"), pytest.raises(ValidationError) as error:
        save(granted, leader, lines=[line], photos=photos, report_text=text)
    assert "not allowed" in messages_of(error)
    assert not BudgetLine.objects.exists()


def test_a_photo_that_is_not_a_picture_saves_nothing(granted, leader):
    from django.core.files.uploadedfile import SimpleUploadedFile

    broken = SimpleUploadedFile("etter.jpg", b"\xff\xd8\xff" + b"0" * 100)
    with override("en"), pytest.raises(ValidationError) as error:
        save(granted, leader, photos=[(photo(), "God"), (broken, "Ødelagt")])
    assert "could not be read as a picture" in messages_of(error)
    assert not ApplicationPhoto.objects.exists() and not BudgetLine.objects.exists()


def test_a_photo_needs_its_description(granted, leader):
    with override("en"), pytest.raises(ValidationError) as error:
        save(granted, leader, photos=[(photo(), " ")])
    assert "for those who cannot see it" in messages_of(error)


@override_settings(GRANTS={**settings.GRANTS, "MAX_PHOTOS_PER_APPLICATION": 2})
def test_photos_after_are_limited_and_can_be_removed(granted, leader):
    save(granted, leader, photos=[(photo(), "En"), (photo(), "To")])
    with override("en"), pytest.raises(ValidationError) as error:
        save(granted, leader, photos=[(photo(), "Tre")])
    assert "at most 2 photos" in messages_of(error)
    first = granted.photos.filter(kind="after").first()
    save(granted, leader, photos=[(photo(), "Tre")], remove_photos=[first.pk])
    assert sorted(granted.photos.values_list("description", flat=True)) == ["To", "Tre"]


@pytest.mark.parametrize("who", ["resident", "other_committee_leader", "case_handler"])
def test_only_the_board_saves(granted, request, who):
    with pytest.raises(ValidationError):
        save(granted, request.getfixturevalue(who))
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize("state", ["submitted", "more_info", "reported", "payable", "refused"])
def test_saved_only_while_to_be_written_or_returned(granted, leader, state):
    Application.objects.filter(pk=granted.pk).update(state=state)
    with pytest.raises(ValidationError):
        save(granted, leader)


def test_not_on_a_scheme_paid_in_advance(granted, leader):
    type(granted.scheme).objects.filter(pk=granted.scheme_id).update(payment_rule="advance")
    with pytest.raises(ValidationError):
        save(refreshed(granted), leader)


# --- the hours -------------------------------------------------------------------------------


def test_linked_reported_dugnads_hours_count(granted, leader):
    one = reported_dugnad(granted.committee, hours="12.5")
    two = reported_dugnad(granted.committee, hours="20")
    save(granted, leader, actual_hours="3", dugnads=[one, two.pk])
    granted = refreshed(granted)
    assert reports.report_hours(granted) == Decimal("35.5")
    annotated = Application.objects.annotate(hours=reports.report_hours_expression()).get(
        pk=granted.pk
    )
    assert annotated.hours == Decimal("35.5")
    save(granted, leader, actual_hours=None, dugnads=[one])
    assert reports.report_hours(refreshed(granted)) == Decimal("12.5")
    other = ApplicationFactory()
    assert (
        Application.objects.annotate(hours=reports.report_hours_expression()).get(pk=other.pk).hours
        == 0
    )


@pytest.mark.parametrize(
    "dugnad",
    [
        lambda c: reported_dugnad(c, state="completed"),  # held, not reported: no hours yet
        lambda c: reported_dugnad(CommitteeFactory()),  # another committee's
        lambda c: reported_dugnad(c, days_ago=800),  # before the scheme's year
    ],
)
def test_only_the_committees_reported_dugnads_can_be_linked(granted, leader, dugnad):
    with override("en"), pytest.raises(ValidationError) as error:
        save(granted, leader, dugnads=[dugnad(granted.committee)])
    assert "reported dugnads" in messages_of(error)


def test_a_dugnad_counts_in_one_grant_report_only(granted, leader, application_scheme):
    dugnad = reported_dugnad(granted.committee)
    save(granted, leader, dugnads=[dugnad])
    other = ApplicationFactory(
        committee=granted.committee,
        scheme=application_scheme,
        state="granted",
        amount_granted=5_000,
    )
    assert dugnad not in reports.linkable_dugnads(other)
    with pytest.raises(ValidationError):
        save(other, leader, dugnads=[dugnad])
    assert dugnad in reports.linkable_dugnads(granted)  # its own report still has it


# --- sending -----------------------------------------------------------------------------------


def test_sending_needs_text_a_cost_and_a_photo_after(granted, leader):
    with override("en"), pytest.raises(ValidationError) as error:
        reports.report_submit(application=granted, actor=leader)
    text = messages_of(error)
    assert "Write what was done" in text and "at least one actual cost" in text
    assert "at least one photo" in text
    save(granted, leader, photos=[])
    with override("en"), pytest.raises(ValidationError) as error:
        reports.report_submit(application=granted, actor=leader)
    assert messages_of(error) == "Add at least one photo “after”."
    assert refreshed(granted).state == "granted"


def test_sending_gives_the_municipality_its_deadline(granted, leader, case_handler):
    save(granted, leader)
    reports.report_submit(application=granted, actor=leader)
    granted = refreshed(granted)
    assert granted.state == "reported"
    assert granted.answer_due == timezone.localdate() + datetime.timedelta(
        days=granted.scheme.answer_days
    )
    assert granted.committee_due is None  # the committee's clock stops
    event = granted.events.get(to_state="reported")
    assert (event.actor, event.actor_party) == (leader, "committee")
    assert Notification.objects.filter(
        kind=kinds.APPLICATION_REPORTED, recipient=case_handler
    ).exists()


def test_a_sent_report_cannot_be_sent_again(granted, leader):
    save(granted, leader)
    reports.report_submit(application=granted, actor=leader)
    with pytest.raises(ValidationError):
        reports.report_submit(application=granted, actor=leader)


# --- the municipality's review -------------------------------------------------------------------


@pytest.fixture
def reported(granted, leader):
    save(granted, leader)
    return reports.report_submit(application=granted, actor=leader)


def test_returning_needs_a_comment_and_gives_the_committee_its_deadline(
    reported, case_handler, leader
):
    for comment in ("", "  ", "Mangler\x00"):
        with pytest.raises(ValidationError):
            reports.report_return(application=reported, actor=case_handler, comment=comment)
    reports.report_return(
        application=reported, actor=case_handler, comment="Kvitteringen mangler dato."
    )
    application = refreshed(reported)
    assert application.state == "report_returned"
    assert application.committee_due == timezone.localdate() + datetime.timedelta(
        days=application.scheme.info_days
    )
    assert (
        application.events.get(to_state="report_returned").message == "Kvitteringen mangler dato."
    )
    assert application.answer_due is None  # the municipality's clock stops
    note = Notification.objects.get(kind=kinds.APPLICATION_REPORT_RETURNED, recipient=leader)
    assert "Kvitteringen mangler dato." in note.body
    # The board corrects it and sends it again.
    save(application, leader, report_text="Vi plantet seks kasser, kvittering med dato.")
    reports.report_submit(application=application, actor=leader)
    assert refreshed(application).state == "reported"


@pytest.mark.parametrize(
    ("costs", "paid"),
    [
        (["4000", "2500.50"], Decimal("6500.50")),  # less than granted: the actual costs
        (["10000", "9000"], GRANTED),  # more than granted: the amount granted
        (["15000"], GRANTED),
    ],
)
def test_approval_pays_the_least_of_granted_and_actual(granted, leader, case_handler, costs, paid):
    lines = [
        {"description": f"Kostnad {n}", "amount": Decimal(c), "receipt": pdf()}
        for n, c in enumerate(costs)
    ]
    save(granted, leader, lines=lines)
    reports.report_submit(application=granted, actor=leader)
    reports.report_approve(application=granted, actor=case_handler)
    application = refreshed(granted)
    payment = application.payment
    assert application.state == "payable"
    assert payment.amount == paid
    assert (payment.committee, payment.department, payment.source) == (
        application.committee,
        application.scheme.department,
        "grant",
    )
    assert payment.due_on == timezone.localdate() + datetime.timedelta(
        days=application.scheme.payment_days
    )
    assert payment.description.startswith(application.number)
    assert application.answer_due is None and application.committee_due is None
    created = application.events.get(kind=ApplicationEvent.Kind.PAYMENT_CREATED)
    assert (created.actor, created.actor_party) == (case_handler, "municipality")
    assert application.events.filter(to_state="payable", kind="transition").count() == 1
    assert Notification.objects.filter(kind=kinds.APPLICATION_PAYABLE, recipient=leader).exists()


def test_the_payment_is_created_once(reported, case_handler):
    reports.report_approve(application=reported, actor=case_handler)
    with pytest.raises(ValidationError):
        reports.report_approve(application=reported, actor=case_handler)
    # Even if the state were put back by hand, the application keeps its one payment.
    Application.objects.filter(pk=reported.pk).update(state="reported")
    with override("en"), pytest.raises(ValidationError) as error:
        reports.report_approve(application=reported, actor=case_handler)
    assert "already has its payment" in messages_of(error)
    assert Payment.objects.count() == 1


@pytest.mark.parametrize("who", ["leader", "resident", "staff_without_group"])
def test_only_staff_who_answer_applications_review(reported, request, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(ValidationError):
        reports.report_approve(application=reported, actor=actor)
    with pytest.raises(ValidationError):
        reports.report_return(application=reported, actor=actor, comment="Nei")
    assert refreshed(reported).state == "reported" and not Payment.objects.exists()


def test_a_report_not_sent_cannot_be_reviewed(granted, leader, case_handler):
    save(granted, leader)
    with pytest.raises(ValidationError):
        reports.report_approve(application=granted, actor=case_handler)
    with pytest.raises(ValidationError):
        reports.report_return(application=granted, actor=case_handler, comment="Nei")
