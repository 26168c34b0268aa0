"""dugnads.services.reports.dugnad_report: the first report takes the step held → reported,
a correction keeps the state and leaves its own timeline line, hours per participant add up,
and bad input (a bad photo among good ones too) saves nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dugnads.models import DugnadEvent, Photo, Signup, SignupState, State
from dugnads.services.reports import dugnad_report
from tests.factories import SignupFactory
from tests.photo_files import jpeg_with_gps, png_with_gps

from .report_helpers import held_dugnad, held_fixture, reporter_fixture  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def report(dugnad, actor, **overrides):
    arguments = {
        "participant_count": 12,
        "hours_total": Decimal("36"),
        "report": "Vi raket løv.",
    }
    arguments.update(overrides)
    return dugnad_report(dugnad=dugnad, actor=actor, **arguments)


def test_the_first_report_takes_the_step(held, reporter):
    dugnad = report(held, reporter)
    held.refresh_from_db()
    assert held.state == State.REPORTED
    assert (held.participant_count, held.hours_total, held.report) == (
        12,
        Decimal(36),
        "Vi raket løv.",
    )
    assert held.reported_at is not None
    event = DugnadEvent.objects.get(dugnad=held, to_state=State.REPORTED)
    assert event.kind == DugnadEvent.Kind.TRANSITION and event.from_state == State.COMPLETED
    assert event.actor == reporter
    assert dugnad.state == State.REPORTED


def test_a_correction_keeps_the_state_and_updates_the_figures(held, reporter, leader):
    report(held, reporter)
    held.refresh_from_db()
    first_reported_at = held.reported_at
    report(held, leader, participant_count=14, hours_total=Decimal("40.5"), report="Rettet.")
    held.refresh_from_db()
    assert held.state == State.REPORTED
    assert (held.participant_count, held.hours_total, held.report) == (
        14,
        Decimal("40.5"),
        "Rettet.",
    )
    assert held.reported_at == first_reported_at
    correction = DugnadEvent.objects.get(dugnad=held, kind=DugnadEvent.Kind.REPORT)
    assert (correction.from_state, correction.to_state, correction.actor) == (
        State.REPORTED,
        State.REPORTED,
        leader,
    )
    assert DugnadEvent.objects.filter(dugnad=held, to_state=State.REPORTED).count() == 2


def test_hours_per_participant_are_stored_and_summed(held, reporter):
    a = SignupFactory(dugnad=held, party_size=3)
    b = SignupFactory(dugnad=held)
    c = SignupFactory(dugnad=held)
    waiting = SignupFactory(dugnad=held, state=SignupState.WAITLISTED, hours=None)
    report(
        held,
        reporter,
        hours_total=None,
        hours_per_signup={a.pk: Decimal("12"), b.pk: Decimal("3.5"), c.pk: None},
    )
    held.refresh_from_db()
    assert held.hours_total == Decimal("15.5")
    hours = dict(Signup.objects.filter(dugnad=held).values_list("pk", "hours"))
    assert hours == {a.pk: Decimal("12"), b.pk: Decimal("3.5"), c.pk: None, waiting.pk: None}


def test_a_total_afterwards_clears_the_hours_per_participant(held, reporter):
    a = SignupFactory(dugnad=held)
    report(held, reporter, hours_total=None, hours_per_signup={a.pk: Decimal("4")})
    report(held, reporter, hours_total=Decimal("20"))
    a.refresh_from_db()
    held.refresh_from_db()
    assert a.hours is None and held.hours_total == Decimal(20)


def test_hours_of_someone_not_confirmed_are_refused(held, reporter, committee):
    waiting = SignupFactory(dugnad=held, state=SignupState.WAITLISTED)
    elsewhere = SignupFactory(dugnad=held_dugnad(committee))
    for stranger in (waiting, elsewhere):
        with pytest.raises(ValidationError):
            report(held, reporter, hours_total=None, hours_per_signup={stranger.pk: Decimal(2)})
    held.refresh_from_db()
    assert held.state == State.COMPLETED and held.hours_total is None


@pytest.mark.parametrize(
    "overrides",
    [
        {"participant_count": 0},
        {"participant_count": 10_001},
        {"hours_total": Decimal("-1")},
        {"hours_total": Decimal("100000.1")},
        {"hours_total": Decimal("1.25")},
        {"hours_total": Decimal("NaN")},
        {"hours_total": None},  # neither a total nor per participant
        {"hours_per_signup": {}},  # both
        {"report": ""},
        {"report": "   "},
        {"report": "x" * 5_001},
        {"report": "null\x00byte"},
    ],
    ids=lambda o: repr(o)[:40],
)
def test_bad_input_saves_nothing(held, reporter, overrides):
    with pytest.raises(ValidationError):
        report(held, reporter, **overrides)
    held.refresh_from_db()
    assert held.state == State.COMPLETED
    assert held.hours_total is None and held.participant_count is None and held.report == ""
    assert not DugnadEvent.objects.filter(dugnad=held).exists()


def test_a_bad_photo_among_good_ones_saves_nothing(held, reporter):
    good = SimpleUploadedFile("a.jpg", jpeg_with_gps())
    renamed = SimpleUploadedFile("b.jpg", png_with_gps())
    with pytest.raises(ValidationError) as error:
        report(held, reporter, photos=[(good, "Løv i sekker"), (renamed, "Tulipaner")])
    assert "photos" in error.value.error_dict
    held.refresh_from_db()
    assert held.state == State.COMPLETED and held.hours_total is None
    assert not Photo.objects.exists()


def test_a_photo_needs_its_description(held, reporter):
    with pytest.raises(ValidationError):
        report(held, reporter, photos=[(SimpleUploadedFile("a.jpg", jpeg_with_gps()), "  ")])
    assert not Photo.objects.exists()


def test_only_those_who_manage_it_may_report(held, board_member, resident):
    for actor in (board_member, resident):
        with pytest.raises(ValidationError):
            report(held, actor)
    held.refresh_from_db()
    assert held.state == State.COMPLETED


@pytest.mark.parametrize("state", [State.PUBLISHED, State.CANCELLED, State.DRAFT])
def test_not_before_it_is_held(committee, leader, state):
    dugnad = held_dugnad(committee, state=state)
    with pytest.raises(ValidationError):
        report(dugnad, leader)
    dugnad.refresh_from_db()
    assert dugnad.state == state and dugnad.hours_total is None


def test_photos_are_added_and_removed_in_a_correction(held, reporter):
    report(held, reporter, photos=[(SimpleUploadedFile("a.jpg", jpeg_with_gps()), "Før")])
    first = Photo.objects.get()
    report(
        held,
        reporter,
        photos=[(SimpleUploadedFile("b.png", png_with_gps()), "Etter")],
        remove_photos=[first.pk],
    )
    assert list(Photo.objects.values_list("description", flat=True)) == ["Etter"]


def test_removing_a_photo_of_another_dugnad_is_refused(held, reporter, committee):
    other = held_dugnad(committee)
    other.organisers.add(reporter)
    report(other, reporter, photos=[(SimpleUploadedFile("a.jpg", jpeg_with_gps()), "Før")])
    with pytest.raises(ValidationError):
        report(held, reporter, remove_photos=[Photo.objects.get().pk])
    assert Photo.objects.count() == 1
