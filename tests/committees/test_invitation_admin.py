"""The board invitations in the admin: administrators see whether each went out; case handlers
do not see the addresses of people who have not signed up."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import BoardInvitation, Role
from tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db

URL = "admin:committees_boardinvitation_changelist"


def _invite(count, committee):
    BoardInvitation.objects.bulk_create(
        BoardInvitation(committee=committee, email=f"ny{i}@example.no", role=Role.TREASURER)
        for i in range(count)
    )


def _queries(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return len(queries)


def test_administrator_sees_invitations_and_can_search(client, superuser, committee):
    _invite(2, committee)
    client.force_login(superuser)
    page = client.get(reverse(URL), {"q": "ny1@"}).content.decode()
    assert "ny1@example.no" in page
    assert "ny0@example.no" not in page
    assert client.get(reverse(URL), {"sent_at__isempty": "1"}).status_code == 200


def test_nobody_adds_or_changes_an_invitation_in_the_admin(client, superuser, committee):
    _invite(1, committee)
    client.force_login(superuser)
    assert client.get(reverse("admin:committees_boardinvitation_add")).status_code == 403


def test_case_handler_and_anonymous_are_refused(client, case_handler):
    assert client.get(reverse(URL)).status_code == 302
    client.force_login(case_handler)
    assert client.get(reverse(URL)).status_code == 403


def test_the_list_takes_as_many_queries_for_1000_invitations_as_for_10(client, superuser):
    client.force_login(superuser)
    _invite(10, CommitteeFactory())
    few = _queries(client)
    _invite(990, CommitteeFactory())
    assert _queries(client) == few


def test_the_list_shows_what_became_of_each_invitation(client, superuser, committee):
    """Waiting, accepted, declined, withdrawn, and expired (waiting past its time)."""
    import datetime

    from django.utils import timezone

    from committees import invitations
    from committees.models import InvitationStatus

    old = timezone.now() - datetime.timedelta(days=invitations.KEEP_DAYS, seconds=1)
    for email, status, created in (
        ("venter@example.no", InvitationStatus.PENDING, timezone.now()),
        ("ja@example.no", InvitationStatus.ACCEPTED, timezone.now()),
        ("nei@example.no", InvitationStatus.DECLINED, timezone.now()),
        ("trukket@example.no", InvitationStatus.WITHDRAWN, timezone.now()),
        ("gammel@example.no", InvitationStatus.PENDING, old),
    ):
        BoardInvitation.objects.create(
            committee=committee, email=email, role=Role.TREASURER, status=status, created_at=created
        )
    client.force_login(superuser)
    response = client.get(reverse(URL))
    states = {row.email: row.get_state_display() for row in response.context["cl"].result_list}
    assert states == {
        "venter@example.no": "Venter på svar",
        "ja@example.no": "Godtatt",
        "nei@example.no": "Takket nei",
        "trukket@example.no": "Trukket tilbake",
        "gammel@example.no": "Utløpt",
    }
    page = response.content.decode()
    assert "column-state" in page and "Utløpt" in page
    assert client.get(reverse(URL), {"status__exact": "declined"}).status_code == 200
