"""Joint dugnads: a committee brings people, the municipality brings resources.

A dugnad's life is one step table (``dugnads.steps.TRANSITIONS``) applied by one service
(``services.lifecycle.dugnad_transition``); every change leaves a ``DugnadEvent`` on its timeline.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models import Committee, Department
from core.models import TimelineEntry
from core.validators import validate_latitude, validate_longitude
from proposals.models import Proposal

from .states import (  # noqa: F401 (the vocabulary, importable from here)
    ACTIVE_SIGNUP_STATES,
    COUNTED_STATES,
    EDITABLE_STATES,
    OPEN_STATES,
    PUBLIC_STATES,
    Party,
    ResourceKind,
    ResourceState,
    SignupState,
    State,
)

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 5_000
MEETING_POINT_MAX_LENGTH = 200
COMMENT_MAX_LENGTH = 500
REPORT_MAX_LENGTH = 5_000
MAX_PARTY_SIZE = 10
MAX_CAPACITY = 10_000
MAX_NEEDS = 20
MAX_RESOURCES = 20


def public_q() -> Q:
    """The one rule for what the public sees: a dugnad in a public state that was published. A
    draft cancelled before anyone heard of it stays the board's own (``Dugnad.is_public`` says
    the same of one row)."""
    return Q(state__in=PUBLIC_STATES, published_at__isnull=False)


class DugnadQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public_q())

    def upcoming(self, *, now: datetime.datetime | None = None):
        """Published dugnads that have not ended yet, and cancelled ones that would not have."""
        return self.public().filter(
            state__in=[State.PUBLISHED, State.CANCELLED], ends_at__gte=now or timezone.now()
        )

    def past(self, *, now: datetime.datetime | None = None):
        return self.public().filter(ends_at__lt=now or timezone.now())


class Dugnad(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="dugnads"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(
        _("description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
        blank=True,
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"), db_index=True)
    meeting_point = models.CharField(_("meeting point"), max_length=MEETING_POINT_MAX_LENGTH)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[validate_latitude],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[validate_longitude],
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text=_("How many people can take part. Leave empty for no limit."),
    )
    signup_deadline = models.DateTimeField(_("sign-up deadline"), null=True, blank=True)
    # Participants are reminded this many hours before the start.
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder (hours before)"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(14 * 24)],
    )
    # The municipality answers resource requests by this day (default: 7 days before the start).
    resources_due = models.DateField(_("municipality answers resources by"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisers"),
        related_name="organised_dugnads",
        blank=True,
    )
    origin_proposal = models.OneToOneField(
        Proposal,
        verbose_name=_("from the proposal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dugnad",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Calendar clients replace an event when its SEQUENCE goes up (RFC 5545 § 3.8.7.4).
    sequence = models.PositiveIntegerField(_("calendar version"), default=0, editable=False)
    # The report, after the event.
    participant_count = models.PositiveIntegerField(
        _("participants"), null=True, blank=True, validators=[MaxValueValidator(MAX_CAPACITY)]
    )
    hours_total = models.DecimalField(
        _("hours in total"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100_000)],
    )
    report = models.TextField(
        _("what was done"),
        max_length=REPORT_MAX_LENGTH,
        validators=[MaxLengthValidator(REPORT_MAX_LENGTH)],
        blank=True,
    )
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)

    objects = DugnadQuerySet.as_manager()

    class Meta:
        verbose_name = _("dugnad")
        verbose_name_plural = _("dugnads")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="dugnad_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dugnads:dugnad-detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        """``public_q`` for this row."""
        return self.state in PUBLIC_STATES and self.published_at is not None

    def clean(self):
        from .rules import dugnad_problems  # rules import states, not the models: no cycle

        problems = dugnad_problems(self)
        if problems:
            raise ValidationError(problems)


class DugnadEvent(TimelineEntry):
    """One step on a dugnad's timeline (published, moved, cancelled, held, reported)."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Status changed")
        CHANGED = "changed", _("Time or place changed")
        RESOURCE = "resource", _("Resource answered")
        # The report after the event, corrected (the first report is the step to "reported").
        REPORT = "report", _("Report corrected")
        # The organisers wrote to everyone signed up (services.messages): not shown publicly.
        MESSAGE = "message", _("Message to the participants")

    dugnad = models.ForeignKey(
        Dugnad, verbose_name=_("dugnad"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TRANSITION)
    actor_party = TimelineEntry.party_field(Party.choices)
    from_state = TimelineEntry.state_field(_("from"), State.choices)
    to_state = TimelineEntry.state_field(_("to"), State.choices)

    class Meta(TimelineEntry.Meta):
        verbose_name = _("dugnad event")
        verbose_name_plural = _("dugnad events")

    def __str__(self):
        return f"{self.dugnad}: {self.get_kind_display()}"


class Need(models.Model):
    """Something the dugnad needs people for ("raking, 10"); a sign-up may pick one."""

    dugnad = models.ForeignKey(
        Dugnad, verbose_name=_("dugnad"), on_delete=models.CASCADE, related_name="needs"
    )
    title = models.CharField(_("what"), max_length=100)
    people = models.PositiveSmallIntegerField(
        _("how many people"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.title} ({self.people})"


class Resource(models.Model):
    """What the municipality is asked to bring, answered by its department from the admin."""

    dugnad = models.ForeignKey(
        Dugnad, verbose_name=_("dugnad"), on_delete=models.CASCADE, related_name="resources"
    )
    kind = models.CharField(_("resource"), max_length=20, choices=ResourceKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="dugnad_resources",
    )
    details = models.CharField(
        _("quantity and notes"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “one 10 m³ container”."),
    )
    state = models.CharField(
        _("status"),
        max_length=20,
        choices=ResourceState.choices,
        default=ResourceState.REQUESTED,
        db_index=True,
    )
    # Set when the dugnad is published: the department is asked then.
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    answer = models.TextField(
        _("answer"), max_length=2_000, validators=[MaxLengthValidator(2_000)], blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("municipal resource")
        verbose_name_plural = _("municipal resources")
        ordering = ["pk"]
        permissions = [("answer_resource", "Can answer resource requests for a dugnad")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.dugnad}"


class Signup(models.Model):
    """One sign-up: a resident's (``user``), or a guest's with a name and an address, confirmed
    by a link in an e-mail before it holds a place. Guests are never shown publicly."""

    dugnad = models.ForeignKey(
        Dugnad, verbose_name=_("dugnad"), on_delete=models.CASCADE, related_name="signups"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dugnad_signups",
    )
    guest_name = models.CharField(_("name"), max_length=100, blank=True)
    guest_email = models.EmailField(_("e-mail"), blank=True)
    party_size = models.PositiveSmallIntegerField(
        _("number of people"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PARTY_SIZE)],
    )
    need = models.ForeignKey(
        Need,
        verbose_name=_("will help with"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signups",
    )
    comment = models.CharField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    state = models.CharField(_("status"), max_length=20, choices=SignupState.choices, db_index=True)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    # The waiting list's order: when the sign-up (or the guest's confirmation) asked for a place.
    queued_at = models.DateTimeField(_("in the queue since"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("got a place"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # Hours this sign-up gave (the report, per participant); the party's hours together.
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(guest_email=""))
                | (Q(user__isnull=True) & ~Q(guest_email="") & ~Q(guest_name="")),
                name="signup_resident_or_guest",
            ),
            # One person signs up once (a cancelled sign-up may be followed by a new one).
            models.UniqueConstraint(
                "dugnad",
                "user",
                condition=Q(user__isnull=False) & ~Q(state=SignupState.CANCELLED),
                name="signup_once_per_resident",
            ),
            models.UniqueConstraint(
                models.F("dugnad"),
                Lower("guest_email"),
                condition=Q(user__isnull=True) & ~Q(state=SignupState.CANCELLED),
                name="signup_once_per_guest_address",
            ),
        ]
        indexes = [models.Index(fields=["dugnad", "state", "queued_at"])]

    def __str__(self):
        return f"{self.name} – {self.dugnad}"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def name(self) -> str:
        from core.formatting import public_name

        return self.guest_name if self.is_guest else public_name(self.user)

    @property
    def email(self) -> str:
        return self.guest_email if self.is_guest else self.user.email

    @property
    def holds_place(self) -> bool:
        return self.state == SignupState.CONFIRMED


class GuestMail(models.Model):
    """An e-mail to a guest (no account, so no notification row): the pending obligation as a
    row, sent by the ``dugnads.send_guest_mail`` task, once (``dedupe_key``)."""

    signup = models.ForeignKey(
        Signup, verbose_name=_("sign-up"), on_delete=models.CASCADE, related_name="mails"
    )
    kind = models.CharField(_("kind"), max_length=50)
    context = models.JSONField(_("context"), default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("e-mail to a guest")
        verbose_name_plural = _("e-mails to guests")
        constraints = [
            models.UniqueConstraint("signup", "dedupe_key", name="guestmail_once_per_key"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.signup_id}"


class HourlyRate(models.Model):
    """What an hour of voluntary work is worth in a year, and where the figure comes from."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    nok_per_hour = models.DecimalField(
        _("NOK per hour"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("hourly value of voluntary work")
        verbose_name_plural = _("hourly values of voluntary work")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.nok_per_hour} kr/t"


def photo_path(photo, filename: str) -> str:
    return f"dugnads/{photo.dugnad_id}/{photo.token}.{photo.extension}"


class Photo(models.Model):
    """A photo in a dugnad's report: re-encoded on upload, so no EXIF (no GPS position) stays."""

    dugnad = models.ForeignKey(
        Dugnad, verbose_name=_("dugnad"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    token = models.CharField(max_length=32, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    content_type = models.CharField(_("file type"), max_length=100)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    description = models.CharField(
        _("description"),
        max_length=200,
        help_text=_("What the photo shows, for those who cannot see it."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.description

    def get_absolute_url(self):
        return reverse("dugnads:photo", kwargs={"pk": self.pk})
