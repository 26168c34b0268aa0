"""The notification log in the admin: read-only, filters and search, "send again" for failed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import EmailStatus, Notification

from ..factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:notifications_notification_changelist")


def test_anonymous_and_residents_are_kept_out(client, resident):
    assert client.get(CHANGELIST).status_code == 302
    client.force_login(resident)
    assert client.get(CHANGELIST).status_code == 302  # not staff: sent to the login page


@pytest.fixture
def administrator(db):
    """The log is for administrators (issue 10; case handlers: tests/core/
    test_admin_account_search.py)."""
    from django.contrib.auth.models import Group

    from core.staff import ADMINISTRATOR, group_name

    user = UserFactory(email="adm@larvik.kommune.no", full_name="Ada Administrator", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name(ADMINISTRATOR)))
    return user


def test_administrator_reads_the_log_but_cannot_change_it(client, administrator, resident):
    row = NotificationFactory(recipient=resident, subject="Frist nærmer seg", body="Tekst her")
    client.force_login(administrator)
    response = client.get(CHANGELIST)
    assert response.status_code == 200 and "Frist nærmer seg" in response.content.decode()
    detail = client.get(reverse("admin:notifications_notification_change", args=[row.pk]))
    assert detail.status_code == 200
    assert "<p>Tekst her</p>" in detail.content.decode()  # rendered, not shown as raw HTML
    assert "Lagt til i et styre" in detail.content.decode()  # the kind's label, not its key
    assert 'name="_save"' not in detail.content.decode()  # read-only record
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403


def test_search_by_recipient_and_filter_by_status(client, superuser):
    NotificationFactory(recipient=UserFactory(email="finn.meg@example.no"), subject="Funnet")
    NotificationFactory(subject="Annen", email_status=EmailStatus.FAILED)
    client.force_login(superuser)
    found = client.get(CHANGELIST, {"q": "finn.meg"}).content.decode()
    assert "Funnet" in found and "Annen" not in found
    failed = client.get(CHANGELIST, {"email_status__exact": "failed"}).content.decode()
    assert "Annen" in failed and "Funnet" not in failed
    by_kind = client.get(CHANGELIST, {"kind": "committee.board_added"})
    assert by_kind.status_code == 200


def test_send_again_action_requeues_only_failed(client, administrator, resident):
    failed = NotificationFactory(
        recipient=resident, email_status=EmailStatus.FAILED, attempts=6, last_error="550"
    )
    sent = NotificationFactory(recipient=resident, email_status=EmailStatus.SENT)
    client.force_login(administrator)
    response = client.post(
        CHANGELIST,
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    assert "1 e-post blir sendt på nytt." in response.content.decode()
    failed.refresh_from_db()
    sent.refresh_from_db()
    again = client.post(
        CHANGELIST, {"action": "send_again", "_selected_action": [sent.pk]}, follow=True
    )
    assert "Ingen av de valgte varslene har mislykket e-post" in again.content.decode()
    assert (failed.email_status, failed.attempts, failed.last_error) == ("pending", 0, "")
    assert sent.email_status == EmailStatus.SENT


def test_changelist_query_count_is_constant(client, superuser):
    client.force_login(superuser)
    NotificationFactory.create_batch(10)
    with CaptureQueriesContext(connection) as small:
        client.get(CHANGELIST)
    users = UserFactory.create_batch(20)
    Notification.objects.bulk_create(
        NotificationFactory.build(recipient=users[n % 20], dedupe_key=f"a:{n}") for n in range(990)
    )
    with CaptureQueriesContext(connection) as large:
        client.get(CHANGELIST)
    assert len(small) == len(large)


def test_changelist_shows_how_the_outbox_is_doing(client, administrator):
    import datetime

    from django.utils import timezone

    NotificationFactory(created_at=timezone.now() - datetime.timedelta(minutes=30))
    NotificationFactory(channel="daily")
    NotificationFactory(email_status=EmailStatus.FAILED)
    client.force_login(administrator)
    content = client.get(CHANGELIST).content.decode()
    assert "E-post: 1 venter på å bli sendt" in content
    assert "1 venter på oppsummering" in content and "1 mislyktes" in content
    assert "Sjekk at Celery-arbeiderne og beat kjører." in content


def test_a_healthy_outbox_raises_no_alarm(client, administrator):
    NotificationFactory(email_status=EmailStatus.SENT)
    client.force_login(administrator)
    content = client.get(CHANGELIST).content.decode()
    assert "E-post: 0 venter på å bli sendt" in content
    assert "Sjekk at Celery-arbeiderne" not in content and "errornote" not in content
