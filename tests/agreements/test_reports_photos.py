"""A report's photo is served to the parties; to everyone once the agreement is public and the
report approved; else 404. Served inline with the stored type, nosniff, privately cached."""

import pytest

from agreements.models import ReportPhoto
from agreements.services.reports import report_approve, report_submit
from tests.factories import AgreementFactory, ReportDutyFactory, TaskFactory
from tests.photo_files import has_gps_or_exif

from .reports_helpers import (  # noqa: F401 (fixtures)
    ROLES,
    duty_fixture,
    line,
    login,
    photo_url,
    png,
    reviewer_fixture,
    staff_no_review_fixture,
)

pytestmark = pytest.mark.django_db

PARTIES = {"board_member", "leader", "staff_no_review", "reviewer"}


def photo_of(duty, actor) -> ReportPhoto:
    report_submit(
        duty=duty,
        actor=actor,
        summary="Ferdig",
        lines=[line(duty.agreement.tasks.first())],
        photos=[(png(), "Flagget heist")],
    )
    return ReportPhoto.objects.get(duty=duty)


@pytest.mark.parametrize("role", ROLES)
def test_a_submitted_report_photo_is_the_parties_own(
    client, duty, board_member, user_in_role, role
):
    photo = photo_of(duty, board_member)
    login(client, user_in_role(role))
    response = client.get(photo_url(photo))
    assert response.status_code == (200 if role in PARTIES else 404)


@pytest.mark.parametrize("role", ROLES)
def test_an_approved_report_photo_on_a_public_agreement_is_public(
    client, duty, board_member, reviewer, user_in_role, role
):
    photo = photo_of(duty, board_member)
    report_approve(duty=duty, actor=reviewer)
    login(client, user_in_role(role))
    response = client.get(photo_url(photo))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "inline" in response["Content-Disposition"]
    assert not has_gps_or_exif(content)


def test_an_approved_report_on_an_agreement_no_longer_public_is_not(
    client, committee, department, board_member, reviewer, resident
):
    """(An agreement public once stays public in the step table; this guards the rule itself:
    an unsigned agreement's photos are never public.)"""
    agreement = AgreementFactory(committee=committee, department=department)
    TaskFactory(agreement=agreement)
    duty = ReportDutyFactory(agreement=agreement)
    photo = photo_of(duty, board_member)
    report_approve(duty=duty, actor=reviewer)
    type(agreement).objects.filter(pk=agreement.pk).update(state="signed_committee")
    client.force_login(resident)
    assert client.get(photo_url(photo)).status_code == 404
    client.force_login(board_member)
    assert client.get(photo_url(photo)).status_code == 200


def test_a_missing_photo_is_not_found(client, duty, board_member):
    photo = photo_of(duty, board_member)
    photo.file.storage.delete(photo.file.name)
    client.force_login(board_member)
    assert client.get(photo_url(photo)).status_code == 404
    assert client.get("/avtaler/rapportbilde/999999/").status_code == 404


def test_only_get(client, duty, board_member):
    photo = photo_of(duty, board_member)
    client.force_login(board_member)
    assert client.post(photo_url(photo)).status_code == 405
