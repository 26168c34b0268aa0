"""E-mail backends for delivery tests."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server refused")


class FlakyBackend(LocmemBackend):
    """Refuses messages to addresses starting with 'bounce'; delivers the rest to the outbox."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if any(address.startswith("bounce") for address in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(email_messages)


class DropsConnectionBackend(LocmemBackend):
    """Delivers the first message, then the connection dies."""

    def send_messages(self, email_messages):
        if len(self.outbox_before) >= 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        self.outbox_before.append(1)
        return super().send_messages(email_messages)

    outbox_before: list = []


class SlowBackend(LocmemBackend):
    """Delivers one message, then the worker runs out of time (Celery's soft time limit)."""

    def send_messages(self, email_messages):
        from celery.exceptions import SoftTimeLimitExceeded

        if self.sent_before:
            raise SoftTimeLimitExceeded()
        SlowBackend.sent_before = True
        return super().send_messages(email_messages)

    sent_before = False
