"""Residents' proposals and the case they become: state, timeline, supports, dialogue, answer.

The proposal's life is one step table (``proposals.steps.TRANSITIONS``) applied by one service,
``services.proposal_transition``; every change leaves a ``ProposalEvent`` on the timeline.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models import Committee, Department
from core.deadlines import is_overdue, overdue_q
from core.models import TimelineEntry, YearCounter

# The vocabulary and the rules live in their own modules; importing them from here keeps
# working for the many callers that do.
from .rules import (  # noqa: F401
    ANSWERABLE_STATES,
    KEY_DATES,
    MESSAGE_MAX_LENGTH,
    TAKEOVER_REQUIRED,
    answer_problems,
    key_dates,
    message_length_problems,
    submit_problems,
)
from .states import (  # noqa: F401
    COMMITTEE_STATES,
    DECIDED_STATES,
    DIALOGUE_CLOSED,
    DIALOGUE_STATES,
    MUNICIPAL_STATES,
    OPEN_STATES,
    OUTCOMES,
    SUPPORTABLE_STATES,
    WITHDRAWABLE_STATES,
    Category,
    Kind,
    Party,
    State,
)


class ProposalQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(state=State.DRAFT)

    def visible_to(self, user):
        if user.is_authenticated:
            return self.filter(~Q(state=State.DRAFT) | Q(author=user))
        return self.published()

    def answerable(self):
        """Cases the municipality can answer now (``answer_problems`` as a filter)."""
        return self.filter(state__in=ANSWERABLE_STATES)

    def overdue(self, *, today: datetime.date | None = None):
        """Cases whose next deadline has passed (``core.deadlines``' rule, as ``is_overdue``)."""
        return self.filter(overdue_q("next_due", today=today))

    def not_overdue(self, *, today: datetime.date | None = None):
        """Cases with a next deadline that has not passed yet."""
        return self.filter(next_due__isnull=False).exclude(overdue_q("next_due", today=today))


class Proposal(models.Model):
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    reference = models.CharField(
        _("reference"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    title = models.CharField(_("title"), max_length=140)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(
        _("description"), max_length=10_000, validators=[MaxLengthValidator(10_000)]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.IDEA)
    category = models.CharField(
        _("topic"), max_length=30, choices=Category.choices, default=Category.OTHER
    )
    location_text = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    # Take-over proposals: what the committee offers to do and what it asks in return.
    task = models.CharField(_("which task"), max_length=200, blank=True)
    season = models.CharField(_("season or frequency"), max_length=200, blank=True)
    volunteer_hours_per_year = models.PositiveIntegerField(
        _("estimated volunteer hours per year"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000)],
    )
    compensation_per_year = models.DecimalField(
        _("compensation asked (NOK per year)"),
        max_digits=10,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10_000_000)],
    )
    municipality_provides = models.TextField(
        _("what the municipality must provide"),
        max_length=2000,
        validators=[MaxLengthValidator(2000)],
        blank=True,
    )

    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("municipal department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case handler"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_proposals",
    )
    supports_count = models.PositiveIntegerField(_("supports"), default=0)
    citizen_proposal_at = models.DateTimeField(
        _("became a citizens' proposal"), null=True, blank=True
    )

    # Deadlines (last day, inclusive). Each is set when its clock starts.
    committee_due = models.DateField(_("committee's deadline"), null=True, blank=True)
    preliminary_due = models.DateField(_("preliminary answer due"), null=True, blank=True)
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    info_due = models.DateField(_("information due from the committee"), null=True, blank=True)
    # The earliest deadline still running: kept by the services, so lists sort and filter on it.
    next_due = models.DateField(_("next deadline"), null=True, blank=True, db_index=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    first_response_at = models.DateTimeField(
        _("first response from the municipality"), null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["committee", "state"]),
            models.Index(fields=["-submitted_at"]),
            models.Index(fields=["-supports_count"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=State.DRAFT) | Q(reference__isnull=False),
                name="proposal_submitted_has_reference",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}" if self.reference else self.title

    def get_absolute_url(self):
        if self.reference:
            return reverse("proposals:proposal-detail", kwargs={"reference": self.reference})
        return reverse("proposals:draft-preview", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.state == State.DRAFT

    @property
    def is_citizen_proposal(self) -> bool:
        return self.citizen_proposal_at is not None

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    @property
    def is_open_for_support(self) -> bool:
        return self.state in SUPPORTABLE_STATES

    @property
    def is_overdue(self) -> bool:
        return is_overdue(self.next_due)


class ReferenceCounter(YearCounter):
    """The last reference number used each year (NMU-2026-0001, …)."""

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("Status change")
    CITIZEN_PROPOSAL = "citizen_proposal", _("Became a citizens' proposal")
    ASSIGNED = "assigned", _("Case handler assigned")
    ANSWER = "answer", _("Official answer published")
    NOTE = "note", _("Internal note")
    # A higher app took the proposal further (the committee made a dugnad of it): public.
    FOLLOWED_UP = "followed_up", _("Followed up by the committee")


class ProposalEvent(TimelineEntry):
    """One line of the case's timeline. Internal notes are for staff only; the rest is public.
    Its steps are written by ``core.steps.take_step``; notes, assignments and the § 12-1
    threshold by the services."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind, default=EventKind.TRANSITION
    )
    # actor, message and created_at come from TimelineEntry; the parties and states are ours.
    actor_party = TimelineEntry.party_field(Party.choices)
    from_state = TimelineEntry.state_field(_("from"), State.choices)
    to_state = TimelineEntry.state_field(_("to"), State.choices)
    is_internal = models.BooleanField(_("internal (staff only)"), default=False)

    class Meta(TimelineEntry.Meta):
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.proposal} · {self.get_kind_display()}"


class PersonOnProposal(models.Model):
    """One person's standing choice on a proposal (a support, a follow): one row per person,
    which the unique constraint keeps true even for parallel clicks."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="%(class)ss",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="proposal_%(class)ss",
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_%(class)s_per_user")
        ]

    def __str__(self):
        return f"{self.user} → {self.proposal}"


class Support(PersonOnProposal):
    class Meta(PersonOnProposal.Meta):
        verbose_name = _("support")
        verbose_name_plural = _("supports")


class Follow(PersonOnProposal):
    class Meta(PersonOnProposal.Meta):
        verbose_name = _("follower")
        verbose_name_plural = _("followers")


class Message(models.Model):
    """The dialogue between the committee and the municipality on one proposal.

    Seen by both parties and the author. A message may ask for an answer by a date; the other
    side's next message answers it.
    """

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    party = models.CharField(
        _("on behalf of"),
        max_length=20,
        choices=[
            (Party.COMMITTEE, Party.COMMITTEE.label),
            (Party.MUNICIPALITY, Party.MUNICIPALITY.label),
        ],
    )
    body = models.TextField(
        _("message"),
        max_length=MESSAGE_MAX_LENGTH,
        validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)],
    )
    answer_by = models.DateField(_("answer requested by"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["answer_by"],
                name="message_open_request",
                condition=Q(answer_by__isnull=False, answered_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.proposal} · {self.get_party_display()}"


def attachment_path(instance, filename):
    # The stored name is ours; the resident's file name is kept in ``original_name`` only.
    return f"proposals/{timezone.now():%Y/%m}/{instance.token}{instance.extension}"


class Attachment(models.Model):
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    token = models.CharField(max_length=32, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse(
            "proposals:attachment-download",
            kwargs={"pk": self.pk},
        )


class OfficialAnswer(models.Model):
    """The municipality's answer: written as a draft, published with the decision."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="answer"
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=[(s.value, s.label) for s in OUTCOMES],
    )
    body = models.TextField(_("answer"), max_length=10_000, validators=[MaxLengthValidator(10_000)])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("official answer")
        verbose_name_plural = _("official answers")

    def __str__(self):
        return f"{self.proposal} · {self.get_outcome_display()}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AnswerTemplate(models.Model):
    """A starting point for an official answer; the words in braces it may use, and what fills
    them in, are ``services.answers.TEMPLATE_PLACEHOLDERS``."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=[(s.value, s.label) for s in OUTCOMES],
    )
    body = models.TextField(_("text"), max_length=10_000, validators=[MaxLengthValidator(10_000)])
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["outcome", "name"]

    def __str__(self):
        return self.name
