"""Neighbourhood committees (nærmiljøutvalg), their boards, and the municipality's departments."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimelineEntry
from core.steps import Step, StepTable

from .validators import validate_organisation_number


class CommitteeStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    CONSTITUTED = "constituted", _("Constituted")
    REGISTERED = "registered", _("Registered in Frivillighetsregisteret")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")


class StatusParty(models.TextChoices):
    """Who sets a committee's status: the municipality (its staff, in the admin)."""

    MUNICIPALITY = "municipality", _("Municipality")


def _status_steps(source, *targets) -> list[Step]:
    return [Step(source, target, frozenset({StatusParty.MUNICIPALITY})) for target in targets]


# The lifecycle in one place: which status may follow which, and who may set it (a step table,
# applied by services.committee_set_status; committee_status_problems adds what registration
# needs). Nobody is notified of a status change; the committee's status history records it.
S = CommitteeStatus
COMMITTEE_STATUS_STEPS = StepTable(
    [
        *_status_steps(S.FORMING, S.CONSTITUTED),
        *_status_steps(S.CONSTITUTED, S.REGISTERED, S.FORMING),
        *_status_steps(S.REGISTERED, S.ACTIVE, S.DORMANT),
        *_status_steps(S.ACTIVE, S.DORMANT),
        *_status_steps(S.DORMANT, S.ACTIVE),
    ],
    states=CommitteeStatus,
    party_order=[StatusParty.MUNICIPALITY],
    state_field="status",
    impossible=_("A committee cannot go from “%(old)s” to “%(new)s”."),
    refused=_("Only the municipality changes a committee's status."),
)
# Statuses that require the committee to be a registered association.
REGISTERED_STATUSES = {CommitteeStatus.REGISTERED, CommitteeStatus.ACTIVE, CommitteeStatus.DORMANT}


class CommitteeQuerySet(models.QuerySet):
    def top_level(self):
        return self.filter(parent__isnull=True)


class Committee(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("Used in the page address (/nmu/<slug>/). Changing it breaks old links."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CommitteeStatus, default=CommitteeStatus.FORMING
    )
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_("Nine digits, from Frivillighetsregisteret / Brønnøysundregistrene."),
    )
    registered_on = models.DateField(
        _("registered in Frivillighetsregisteret on"), null=True, blank=True
    )
    description = models.TextField(_("description"), max_length=5000, blank=True)
    area_description = models.TextField(_("area description"), max_length=2000, blank=True)
    latitude = models.DecimalField(
        _("centre latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Decimal degrees (WGS 84), e.g. 59.08110."),
    )
    longitude = models.DecimalField(
        _("centre longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Decimal degrees (WGS 84), e.g. 10.01640."),
    )
    location_verified = models.BooleanField(
        _("centre verified"),
        default=False,
        help_text=_("Unticked means the centre is an estimate."),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_0_19 = models.PositiveIntegerField(_("population aged 0–19"), null=True, blank=True)
    population_reference_date = models.DateField(
        _("population reference date"), null=True, blank=True
    )
    population_source = models.CharField(_("population source"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    support_goal = models.PositiveIntegerField(
        _("support goal for proposals"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000)],
        help_text=_(
            "How many supports the committee hopes a proposal gathers. Shown on proposals."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("neighbourhood committee")
        verbose_name_plural = _("neighbourhood committees")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="committee_not_own_parent"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(s.value for s in REGISTERED_STATUSES))
                | ~Q(organisation_number=""),
                name="committee_registered_has_org_number",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("committees:committee-detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A committee cannot be its own parent.")})
        if self.parent_id and self.parent and self.parent.parent_id:
            raise ValidationError({"parent": _("Sub-committees cannot have sub-committees.")})
        if (
            self.population is not None
            and self.population_0_19 is not None
            and self.population_0_19 > self.population
        ):
            raise ValidationError(
                {"population_0_19": _("Cannot be larger than the whole population.")}
            )
        # The database constraint says the same; saying it here gives a form error, not a 500.
        if self.status in REGISTERED_STATUSES and not self.organisation_number:
            raise ValidationError(
                {
                    "organisation_number": _(
                        "A registered committee must have an organisation number."
                    )
                }
            )

    @property
    def is_registered(self) -> bool:
        return self.status in REGISTERED_STATUSES


class CommitteeStatusChange(TimelineEntry):
    """One step in a committee's status history (written by ``services.committee_set_status``
    through ``core.steps.take_step``; shown read-only in the admin)."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("neighbourhood committee"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    actor_party = TimelineEntry.party_field(StatusParty.choices)
    from_state = TimelineEntry.state_field(_("from"), CommitteeStatus.choices)
    to_state = TimelineEntry.state_field(_("to"), CommitteeStatus.choices)

    class Meta(TimelineEntry.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status history")

    def __str__(self):
        return f"{self.committee} · {self.get_to_state_display()}"


class Role(models.TextChoices):
    LEADER = "leader", _("Leader")
    DEPUTY_LEADER = "deputy_leader", _("Deputy leader")
    SECRETARY = "secretary", _("Secretary")
    TREASURER = "treasurer", _("Treasurer")
    BOARD_MEMBER = "board_member", _("Board member")
    DEPUTY_MEMBER = "deputy_member", _("Deputy member")
    MUNICIPAL_CONTACT = "municipal_contact", _("Municipal contact")
    MEMBER = "member", _("Member")


# Roles that sit on the board (everything but plain followers and the municipality's contact).
BOARD_ROLES = {
    Role.LEADER,
    Role.DEPUTY_LEADER,
    Role.SECRETARY,
    Role.TREASURER,
    Role.BOARD_MEMBER,
    Role.DEPUTY_MEMBER,
}


class RepresentedGroup(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary association")
    BUSINESS = "business", _("Business")
    YOUTH = "youth", _("Youth")
    ELDERLY = "elderly", _("Elderly")
    MUNICIPAL_UNIT = "municipal_unit", _("Municipal unit (school, kindergarten, nursing home)")
    INDIVIDUAL = "individual", _("Individual")


# The Larvik model asks for a broad board: these five groups should all have a voice.
BROAD_BOARD_GROUPS = [
    RepresentedGroup.VOLUNTARY,
    RepresentedGroup.BUSINESS,
    RepresentedGroup.YOUTH,
    RepresentedGroup.ELDERLY,
    RepresentedGroup.MUNICIPAL_UNIT,
]


def current_membership_q(*, on=None, prefix: str = "") -> Q:
    """The one rule for a current membership, as a filter: its term has started (``term_start``
    on or before the day) and not ended (no ``term_end``, or one after the day: the end date is
    exclusive, so a membership ended today no longer counts). ``prefix`` applies it across a
    relation (``"memberships__"``) in annotations. Roles, permissions, board lists, coverage and
    the term follow-up all use it, through ``Membership.objects.current()`` or directly."""
    today = on or timezone.localdate()
    return Q(**{f"{prefix}term_start__lte": today}) & (
        Q(**{f"{prefix}term_end__isnull": True}) | Q(**{f"{prefix}term_end__gt": today})
    )


class MembershipQuerySet(models.QuerySet):
    def current(self, *, on=None):
        return self.filter(current_membership_q(on=on))

    def board(self):
        return self.filter(role__in=[r.value for r in BOARD_ROLES])


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="committee_memberships",
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    represents = models.CharField(
        _("represents"),
        max_length=20,
        choices=RepresentedGroup,
        default=RepresentedGroup.INDIVIDUAL,
    )
    term_start = models.DateField(_("term start"), default=timezone.localdate)
    # The day the membership stops counting (exclusive): ending a membership today sets today.
    term_end = models.DateField(_("term end"), null=True, blank=True)
    # Who ended the membership before its term ran out (a leader on the site); empty when the
    # term simply ran out. The end-of-term follow-up only reports terms that ran out.
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["committee__name", "role", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="membership_term_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["committee", "role"])]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.committee})"

    def clean(self):
        if self.term_end and self.term_start and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("The term cannot end before it starts.")})
        if self.role == Role.MUNICIPAL_CONTACT and self.user_id and not self.user.is_staff:
            raise ValidationError(
                {"role": _("The municipal contact must be a municipal employee (staff user).")}
            )

    @property
    def is_board(self) -> bool:
        return self.role in BOARD_ROLES

    def is_current(self, *, on=None) -> bool:
        """Whether the saved membership counts on ``on`` (today): asked of the database with the
        same filter as ``current()``, so the rule is written once (``current_membership_q``)."""
        return self.pk is not None and Membership.objects.current(on=on).filter(pk=self.pk).exists()


class Department(models.Model):
    """A municipal unit (e.g. Kultur og idrett) that answers committees' cases."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    email = models.EmailField(_("e-mail"))
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="DepartmentStaff",
        related_name="departments",
        verbose_name=_("staff"),
    )

    class Meta:
        verbose_name = _("municipal department")
        verbose_name_plural = _("municipal departments")
        ordering = ["name"]
        # Who is municipal staff (committees/staff.py): the one permission every app asks for.
        permissions = [("handle_cases", "Can handle cases for the municipality")]

    def __str__(self):
        return self.name


class DepartmentStaff(models.Model):
    """A staff user's place in one department (one department per user)."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="department_staff",
    )

    class Meta:
        verbose_name = _("department staff member")
        verbose_name_plural = _("department staff")

    def __str__(self):
        return f"{self.user} ({self.department})"

    def clean(self):
        if self.user_id and not self.user.is_staff:
            raise ValidationError({"user": _("Only staff users can belong to a department.")})


# How long a board invitation can be accepted (``BoardInvitation.expires_at``), and when its row,
# which holds the address of someone who may never have answered, is deleted.
INVITATION_VALID_DAYS = 30
INVITATION_FORGET_DAYS = INVITATION_VALID_DAYS + 7


def new_invitation_token() -> str:
    """The secret in the accept page's address: random, stored on the row, used once."""
    return secrets.token_urlsafe(24)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("invitation", "Accepted")
    DECLINED = "declined", pgettext_lazy("invitation", "Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class BoardInvitationQuerySet(models.QuerySet):
    def pending(self, *, now=None):
        """Invitations that can still be accepted: not answered, withdrawn or expired."""
        now = now or timezone.now()
        return self.filter(
            status=InvitationStatus.PENDING,
            created_at__gt=now - datetime.timedelta(days=INVITATION_VALID_DAYS),
        )


class BoardInvitation(models.Model):
    """A leader's wish to have someone on the board, waiting for that person's yes.

    The leader's "add board member" form makes one of these and nothing else, whatever the
    address (so the form tells nobody who has an account, and nobody appears on a public board
    page without having said yes). ``committees.invitations`` sends it: a notification to an
    account with that verified address, an e-mail to sign up otherwise. The person accepts or
    declines on the accept page (``token``); the leader may withdraw it while it waits. It can
    be accepted for ``INVITATION_VALID_DAYS``; the row is deleted after
    ``INVITATION_FORGET_DAYS`` (it holds an address that may belong to someone who never signed
    up).
    """

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="board_invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role)
    represents = models.CharField(
        _("represents"),
        max_length=20,
        choices=RepresentedGroup,
        default=RepresentedGroup.INDIVIDUAL,
    )
    term_start = models.DateField(_("term start"), default=timezone.localdate)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    token = models.CharField(
        max_length=64, unique=True, default=new_invitation_token, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InvitationStatus, default=InvitationStatus.PENDING
    )
    answered_at = models.DateTimeField(_("answered or withdrawn"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Delivery: due from available_at (a claim's lease or a retry's back-off moves it on).
    available_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = BoardInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("board invitation")
        verbose_name_plural = _("board invitations")
        indexes = [
            models.Index(fields=["committee", "email"]),
            models.Index(fields=["sent_at", "available_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="board_invitation_term_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.committee}"

    def get_absolute_url(self):
        """The accept page (for the invitee only: it asks them to log in with the address)."""
        return reverse(
            "committees:invitation-answer",
            kwargs={"slug": self.committee.slug, "token": self.token},
        )

    @property
    def expires_at(self) -> datetime.datetime:
        return self.created_at + datetime.timedelta(days=INVITATION_VALID_DAYS)

    def is_expired(self, *, now=None) -> bool:
        return (
            self.status == InvitationStatus.PENDING and (now or timezone.now()) >= self.expires_at
        )

    @property
    def state(self) -> str:
        """What the admin and the pages show: the stored status, or "expired" for one that was
        never answered in time."""
        return "expired" if self.is_expired() else self.status

    def get_state_display(self) -> str:
        return str(_("Expired")) if self.is_expired() else self.get_status_display()
