"""notify(): dedupe, language, routing by preference, and nothing queued on rollback."""

import pytest
from django.db import transaction

from committees.notifications import CATEGORY as COMMITTEE
from notifications import kinds, services
from notifications.models import (
    EmailStatus,
    Frequency,
    Notification,
    NotificationPreference,
)
from proposals.notifications import CATEGORY as PROPOSALS

from ..factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

KIND = "committee.board_added"


@pytest.fixture
def membership(committee):
    return MembershipFactory(committee=committee, user__full_name="Nina Ny")


def _notify(membership, recipients, key="k1", actor="Sverre Leder"):
    return services.notify(
        recipients=recipients,
        kind=KIND,
        context={"membership": membership, "actor": actor},
        target=membership.committee,
        dedupe_key=key,
    )


def test_notify_writes_one_row_per_recipient_with_target(membership, resident, other_resident):
    assert _notify(membership, [resident, other_resident, resident]) == 2
    rows = Notification.objects.order_by("recipient__email")
    assert [r.recipient for r in rows] == [other_resident, resident]
    assert {r.target_url for r in rows} == {"/nmu/svarstad/"}
    assert {r.category for r in rows} == {COMMITTEE}
    assert {r.email_status for r in rows} == {EmailStatus.PENDING}


def test_same_dedupe_key_writes_nothing_new(membership, resident, other_resident):
    assert _notify(membership, [resident]) == 1
    assert _notify(membership, [resident]) == 0
    # A new recipient with the same key still gets theirs: the key is unique per recipient.
    assert _notify(membership, [resident, other_resident]) == 1
    assert Notification.objects.count() == 2


def test_inactive_users_get_nothing(membership, resident):
    resident.is_active = False
    resident.save()
    assert _notify(membership, [resident]) == 0


def test_unknown_kind_is_a_programming_error(resident):
    with pytest.raises(LookupError):
        services.notify(recipients=[resident], kind="nope", context={}, dedupe_key="x")


def test_kind_cannot_be_registered_twice_differently():
    kinds.register(KIND, category=COMMITTEE, label=kinds.get(KIND).label)  # same: fine
    with pytest.raises(ValueError):
        kinds.register(KIND, category=PROPOSALS, label="x")


def test_rendered_in_each_recipients_language(membership):
    norwegian = UserFactory(preferred_language="nb")
    english = UserFactory(preferred_language="en")
    _notify(membership, [norwegian, english])
    nb = Notification.objects.get(recipient=norwegian)
    en = Notification.objects.get(recipient=english)
    assert nb.subject == "Du er lagt til i styret i Svarstad"
    assert en.subject == "You have been added to the board of Svarstad"
    assert "Sverre Leder har lagt deg til i styret i Svarstad" in nb.body
    assert "Sverre Leder has added you to the board of Svarstad" in en.body


def test_text_is_not_html_escaped_when_stored(committee, resident):
    membership = MembershipFactory(committee=committee)
    _notify(membership, [resident], actor="Ås & <Co>")
    assert "Ås & <Co>" in Notification.objects.get().body


@pytest.mark.parametrize(
    ("frequency", "channel", "status"),
    [
        (Frequency.IMMEDIATE, Frequency.IMMEDIATE, EmailStatus.PENDING),
        (Frequency.DAILY, Frequency.DAILY, EmailStatus.PENDING),
        (Frequency.WEEKLY, Frequency.WEEKLY, EmailStatus.PENDING),
        (Frequency.IN_APP, Frequency.IN_APP, EmailStatus.SKIPPED),
    ],
)
def test_preference_routes_the_email(membership, resident, frequency, channel, status):
    NotificationPreference.objects.create(user=resident, category=COMMITTEE, frequency=frequency)
    _notify(membership, [resident])
    row = Notification.objects.get()
    assert (row.channel, row.email_status) == (channel, status)


def test_preference_of_another_category_does_not_apply(membership, resident):
    NotificationPreference.objects.create(
        user=resident, category=PROPOSALS, frequency=Frequency.IN_APP
    )
    _notify(membership, [resident])
    assert Notification.objects.get().channel == Frequency.IMMEDIATE


def test_delivery_is_queued_only_after_commit(
    membership, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        _notify(membership, [resident])
    assert callbacks == [services.request_delivery]


def test_nothing_is_queued_or_kept_on_rollback(
    membership, resident, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _notify(membership, [resident])
        raise RuntimeError("the change that caused it failed")
    assert callbacks == []
    assert not Notification.objects.exists()


def test_in_app_only_queues_no_delivery(membership, resident, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(
        user=resident, category=COMMITTEE, frequency=Frequency.IN_APP
    )
    with django_capture_on_commit_callbacks() as callbacks:
        _notify(membership, [resident])
    assert callbacks == []


@pytest.mark.django_db(transaction=True)
def test_broker_down_does_not_break_the_caller(monkeypatch, caplog, committee, resident):
    """A service that notifies, with the broker refusing the nudge after the commit: the
    service returns its result, its change and the notification are committed (beat delivers
    the e-mail later), and the app logs one warning of its own, not an error."""
    import datetime
    import logging

    from committees.models import Membership
    from committees.services import membership_add
    from notifications import tasks

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(kwargs)
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.deliver_pending, "apply_async", refuse)
    with caplog.at_level(logging.WARNING):
        membership = membership_add(
            committee=committee,
            actor=None,
            email=resident.email,
            role="board_member",
            represents="youth",
            term_start=datetime.date(2026, 1, 1),
        )
    assert attempts == [{"retry": False}], "the nudge was tried once, without publish retries"
    assert Membership.objects.get(pk=membership.pk).user == resident
    row = Notification.objects.get(recipient=resident)
    assert (row.kind, row.email_status) == (KIND, EmailStatus.PENDING)
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "notifications.services",
            "WARNING",
            "Could not queue notification delivery; beat will deliver later.",
        )
    ]
    assert services.request_delivery() is None  # called on its own, it does not raise either


def test_preferences_update_reroutes_waiting_email(membership, resident):
    _notify(membership, [resident], key="a")
    services.preferences_update(user=resident, frequencies={COMMITTEE: Frequency.DAILY})
    assert Notification.objects.get().channel == Frequency.DAILY
    services.preferences_update(user=resident, frequencies={COMMITTEE: Frequency.IN_APP})
    row = Notification.objects.get()
    assert (row.channel, row.email_status) == (Frequency.IN_APP, EmailStatus.SKIPPED)
    assert NotificationPreference.objects.get(user=resident).frequency == Frequency.IN_APP


def test_preferences_update_leaves_sent_rows_alone(membership, resident):
    _notify(membership, [resident])
    Notification.objects.update(email_status=EmailStatus.SENT)
    services.preferences_update(user=resident, frequencies={COMMITTEE: Frequency.IN_APP})
    assert Notification.objects.get().email_status == EmailStatus.SENT


def test_preferences_update_rejects_unknown_values(resident):
    with pytest.raises(ValueError):
        services.preferences_update(user=resident, frequencies={"nope": Frequency.DAILY})
    with pytest.raises(ValueError):
        services.preferences_update(user=resident, frequencies={COMMITTEE: "hourly"})


def test_mark_read_only_by_recipient(membership, resident, other_resident):
    _notify(membership, [resident])
    row = Notification.objects.get()
    with pytest.raises(PermissionError):
        services.notification_mark_read(notification=row, user=other_resident)
    services.notification_mark_read(notification=row, user=resident)
    assert Notification.objects.get().read_at is not None


def test_mark_all_read_touches_only_own(membership, resident, other_resident):
    _notify(membership, [resident, other_resident])
    assert services.notification_mark_all_read(user=resident) == 1
    assert Notification.objects.get(recipient=other_resident).read_at is None


def test_resend_only_failed(membership, resident, django_capture_on_commit_callbacks):
    _notify(membership, [resident])
    row = Notification.objects.get()
    assert services.notification_resend(notification=row) is False  # still pending
    Notification.objects.update(email_status=EmailStatus.FAILED, attempts=6, last_error="boom")
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.notification_resend(notification=row) is True
    row.refresh_from_db()
    assert (row.email_status, row.attempts, row.last_error) == (EmailStatus.PENDING, 0, "")
    assert callbacks == [services.request_delivery]
