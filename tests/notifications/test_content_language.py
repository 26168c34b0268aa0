"""Notification e-mails say which language they are written in (``Content-Language``), as the
account e-mails do: a single notification its own words' language, a digest the recipient's."""

import datetime
import email.policy
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from notifications import delivery
from notifications.models import Frequency

from ..factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def _wire(message) -> bytes:
    return message.message(policy=email.policy.SMTP).as_bytes()


@pytest.mark.parametrize(
    ("language", "preferred_now"),
    [("nb", "nb"), ("en", "en"), ("nb", "en")],  # the last: written before they switched
)
def test_a_notification_email_names_the_language_of_its_words(language, preferred_now):
    recipient = UserFactory(preferred_language=preferred_now)
    NotificationFactory(recipient=recipient, language=language, subject="Styret")
    assert delivery.deliver_pending().sent == 1
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == language
    assert f"\r\nContent-Language: {language}\r\n".encode() in _wire(message)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_digest_names_the_recipients_language(language):
    recipient = UserFactory(preferred_language=language)
    created = datetime.datetime(2027, 1, 12, 9, 0, tzinfo=OSLO)
    NotificationFactory(
        recipient=recipient,
        language=language,
        channel=Frequency.DAILY,
        created_at=created,
        available_at=created,
    )
    now = datetime.datetime(2027, 1, 13, 7, 0, 5, tzinfo=OSLO)
    assert delivery.send_digests(frequency=Frequency.DAILY, now=now).sent == 1
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == language
