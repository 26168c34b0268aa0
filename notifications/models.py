"""Notifications are rows: the outbox that in-app lists and e-mail delivery both read.

A row is written by ``services.notify`` inside the transaction that caused it, so a rolled-back
change never notifies anyone. E-mail delivery claims rows with a lease (``available_at`` and
``claim_token``) and marks them sent with a conditional update; see ``delivery.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import categories


class Frequency(models.TextChoices):
    """How a category reaches someone by e-mail. Everything is always shown on the site."""

    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("Daily summary")
    WEEKLY = "weekly", _("Weekly summary")
    IN_APP = "in_app", _("Only on the website")


DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent by e-mail")


def email_status_for(channel: str) -> str:
    """What a row's e-mail status starts as, for the channel the recipient chose."""
    return EmailStatus.SKIPPED if channel == Frequency.IN_APP else EmailStatus.PENDING


def language_of(user) -> str:
    """The language a person's notifications and e-mails are written in."""
    return user.preferred_language or settings.LANGUAGE_CODE


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def deliverable(self, *, now=None):
        """Pending e-mail whose lease (or back-off) has run out: free for a worker to claim."""
        return self.filter(
            email_status=EmailStatus.PENDING, available_at__lte=now or timezone.now()
        )


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # What the notification is about: a value from the category registry (``categories``), which
    # the apps fill, so it has no fixed choices here.
    category = models.CharField(_("category"), max_length=20)
    kind = models.CharField(_("kind"), max_length=60)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    # The language the words were written in (the recipient's at the time), for lang="…".
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    target_url = models.CharField(_("link"), max_length=500, blank=True)
    dedupe_key = models.CharField(
        _("technical key"),
        max_length=200,
        help_text=_("Unique per recipient, so the same news is never written twice."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    # E-mail delivery. ``channel`` is fixed when the row is written from the recipient's choice
    # for the category (and re-routed while pending if they change it).
    channel = models.CharField(_("e-mail choice"), max_length=20, choices=Frequency)
    email_status = models.CharField(
        _("e-mail status"), max_length=20, choices=EmailStatus, default=EmailStatus.PENDING
    )
    available_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_dedupe_per_recipient"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["channel", "available_at"],
                condition=Q(email_status=EmailStatus.PENDING),
                name="notification_outbox",
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def category_label(self) -> str:
        return categories.label_of(self.category)


class NotificationPreference(models.Model):
    """One person's choice for one category. No row means the category's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    category = models.CharField(_("category"), max_length=20)  # a registered category's value
    frequency = models.CharField(_("e-mail"), max_length=20, choices=Frequency)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="one_preference_per_category")
        ]

    def __str__(self):
        return f"{self.user} – {self.category_label}: {self.get_frequency_display()}"

    @property
    def category_label(self) -> str:
        return categories.label_of(self.category)
