"""E-mail backends for delivery tests."""

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
                raise OSError(f"recipient refused: {message.to[0]}")
        return super().send_messages(email_messages)
