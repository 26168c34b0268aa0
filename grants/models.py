"""Grants and the committees' year: schemes with their rules as data, population figures,
formula allocations, applications (paid in advance or afterwards against documentation) and the
associations' annual reports.

Money is paid through the agreements' payment machinery (``agreements.Payment`` with source
``grant``): one work list, one overdue rule, one reminder path for the municipality. A grant's
payment names its committee and department itself (it has no agreement); the allocation or the
application that created it points to it.

Every rule of a scheme — base amount, rate per resident in an age range, eligibility, payment
rule, what to do above the pot, deadlines — is a field here, entered in the admin with its
source, never a literal in code (another municipality runs its own schemes by data alone).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import (
    LINE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Payment,
    hours_field,
    money_field,
    text_field,
)
from committees.models import Committee, Department, Role
from core.models import TimelineEntry, YearCounter
from dugnads.models import Dugnad

from .states import (  # noqa: F401 (the vocabulary, importable from here)
    ANNUAL_REPORT_OWED,
    APPLICATION_EDITABLE,
    PUBLIC_APPLICATION_STATES,
    REPORT_EDITABLE,
    AllocationListState,
    AllocationState,
    AnnualReportState,
    ApplicationState,
    DocumentKind,
    OverPotRule,
    Party,
    PaymentRule,
    PhotoKind,
    SchemeKind,
)

MAX_AGE = 120
MAX_BUDGET_LINES = 30
MAX_COST_LINES = 50
MAX_RESIDENTS = 10_000_000


def _stored_name(folder: str, instance) -> str:
    """Uploads are stored under a random token, never the uploader's file name."""
    return f"grants/{folder}/{instance.token}{instance.extension}"


def receipt_path(instance, filename):
    return _stored_name("receipts", instance)


def photo_path(instance, filename):
    return _stored_name("photos", instance)


def document_path(instance, filename):
    return _stored_name("annual-reports", instance)


class GrantScheme(models.Model):
    """One scheme for one year, its rules as data with their source."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("name"), max_length=TITLE_MAX_LENGTH)
    kind = models.CharField(_("kind"), max_length=20, choices=SchemeKind.choices)
    description = text_field(_("description"), blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("municipal department"),
        on_delete=models.PROTECT,
        related_name="grant_schemes",
        help_text=_("The department that runs the scheme and pays the grants."),
    )
    pot = money_field(_("pot"), help_text=_("The sum the scheme has to share this year."))
    # Where the rules come from: a decision, a link (required: rules are never unsourced).
    source = models.CharField(
        _("source of the rules"),
        max_length=LINE_MAX_LENGTH,
        help_text=_("The decision or document the rules come from (case number, title)."),
    )
    source_url = models.URLField(_("link to the source"), max_length=500, blank=True)
    # The formula (kind "formula"): base per committee + rate × residents aged age_from–age_to.
    base_amount = money_field(_("base amount per committee"), default=Decimal(0))
    rate_per_resident = money_field(_("amount per resident in the age range"), default=Decimal(0))
    age_from = models.PositiveSmallIntegerField(
        _("age from"), default=0, validators=[MaxValueValidator(MAX_AGE)]
    )
    age_to = models.PositiveSmallIntegerField(
        _("age to"), default=19, validators=[MaxValueValidator(MAX_AGE)]
    )
    population_date = models.DateField(
        _("population figures as of"),
        null=True,
        blank=True,
        help_text=_("The newest figures on or before this day count (empty: the newest)."),
    )
    over_pot_rule = models.CharField(
        _("above the pot"), max_length=20, choices=OverPotRule.choices, default=OverPotRule.PRO_RATA
    )
    # Applications (kind "application"): the most one application may be granted.
    max_amount = money_field(_("most per application"), null=True, blank=True)
    priority = models.CharField(
        _("priority"),
        max_length=LINE_MAX_LENGTH,
        blank=True,
        help_text=_("Who is given priority (for example activities for those under 19)."),
    )
    # Eligibility.
    requires_registration = models.BooleanField(
        _("requires registration in Frivillighetsregisteret"),
        default=True,
        help_text=_("An organisation number and a registration date."),
    )
    requires_active = models.BooleanField(_("requires active status"), default=False)
    requires_annual_report = models.BooleanField(
        _("hold until last year's annual report is approved"), default=False
    )
    # Payment.
    payment_rule = models.CharField(
        _("payment"), max_length=20, choices=PaymentRule.choices, default=PaymentRule.ADVANCE
    )
    payment_days = models.PositiveSmallIntegerField(
        _("days to pay"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_("The municipality pays within this many days of the approval."),
    )
    # Deadlines.
    opens_on = models.DateField(_("applications open"), null=True, blank=True)
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    answer_days = models.PositiveSmallIntegerField(
        _("days to answer"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_("The municipality answers an application within this many days."),
    )
    info_days = models.PositiveSmallIntegerField(
        _("days to send more information"), default=14, validators=[MaxValueValidator(365)]
    )
    report_deadline = models.DateField(
        _("report deadline"),
        null=True,
        blank=True,
        help_text=_("Paid afterwards: the report of actual costs is due by this day."),
    )
    # The allocation list (formula schemes): worked out, then approved once by staff.
    allocation_state = models.CharField(
        _("allocation list"),
        max_length=20,
        choices=AllocationListState.choices,
        default=AllocationListState.DRAFT,
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grant scheme")
        verbose_name_plural = _("grant schemes")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="grant_scheme_unique_name"),
            models.CheckConstraint(
                condition=Q(age_to__gte=models.F("age_from")), name="grant_scheme_age_range"
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.year}"

    def get_absolute_url(self):
        return reverse("grants:scheme-detail", kwargs={"pk": self.pk})

    @property
    def is_formula(self) -> bool:
        return self.kind == SchemeKind.FORMULA

    @property
    def paid_afterwards(self) -> bool:
        return self.payment_rule == PaymentRule.AFTERWARDS

    def clean(self):
        from .rules import scheme_problems

        if problems := scheme_problems(self):
            raise ValidationError(problems)


class PopulationFigure(models.Model):
    """Residents in a committee's area on a reference date, in all and in one age range, with
    the source (SSB by grunnkrets, say). Entered in the admin or imported from a CSV
    (``manage.py import_population``)."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="population_figures",
    )
    reference_date = models.DateField(_("reference date"))
    age_from = models.PositiveSmallIntegerField(
        _("age from"), validators=[MaxValueValidator(MAX_AGE)]
    )
    age_to = models.PositiveSmallIntegerField(_("age to"), validators=[MaxValueValidator(MAX_AGE)])
    residents = models.PositiveIntegerField(
        _("residents in all"), validators=[MaxValueValidator(MAX_RESIDENTS)]
    )
    residents_in_range = models.PositiveIntegerField(
        _("residents in the age range"), validators=[MaxValueValidator(MAX_RESIDENTS)]
    )
    source = models.CharField(_("source"), max_length=LINE_MAX_LENGTH)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["committee__name", "-reference_date", "age_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "reference_date", "age_from", "age_to"],
                name="population_figure_unique",
            ),
            models.CheckConstraint(
                condition=Q(age_to__gte=models.F("age_from")), name="population_age_range"
            ),
            models.CheckConstraint(
                condition=Q(residents_in_range__lte=models.F("residents")),
                name="population_range_within_all",
            ),
        ]

    def __str__(self):
        return f"{self.committee}: {self.reference_date} ({self.age_from}–{self.age_to})"

    def clean(self):
        problems = {}
        if self.age_from is not None and self.age_to is not None and self.age_to < self.age_from:
            problems["age_to"] = [_("The age range must end at or after where it starts.")]
        if (
            self.residents is not None
            and self.residents_in_range is not None
            and self.residents_in_range > self.residents
        ):
            problems["residents_in_range"] = [_("Cannot be more than the residents in all.")]
        if problems:
            raise ValidationError(problems)


class Allocation(models.Model):
    """A formula scheme's sum for one committee, worked out from its figures (``services.
    allocations``): proposed, reserved (not eligible: the reason), held (a rule of the scheme) or
    payable (approved: its payment created)."""

    scheme = models.ForeignKey(
        GrantScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="allocations"
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="allocations"
    )
    figure = models.ForeignKey(
        PopulationFigure,
        verbose_name=_("population figure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    residents_in_range = models.PositiveIntegerField(_("residents in the age range"), default=0)
    base_amount = money_field(_("base amount"), default=Decimal(0))
    per_resident_amount = money_field(_("for the residents"), default=Decimal(0))
    # The formula's sum, and after the pot rule (pro rata) what is allocated.
    formula_amount = money_field(_("by the formula"), default=Decimal(0))
    amount = money_field(_("allocated"), default=Decimal(0))
    state = models.CharField(
        _("state"), max_length=20, choices=AllocationState.choices, default=AllocationState.PROPOSED
    )
    reason = models.CharField(_("why not payable"), max_length=LINE_MAX_LENGTH, blank=True)
    payment = models.OneToOneField(
        Payment,
        verbose_name=_("payment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocation",
    )
    computed_at = models.DateTimeField(_("worked out"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["computed_at"])

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["scheme", "committee__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "committee"], name="allocation_one_per_committee"
            ),
        ]

    def __str__(self):
        return f"{self.scheme}: {self.committee}"

    def get_absolute_url(self):
        return self.scheme.get_absolute_url()


class ApplicationCounter(YearCounter):
    """The last application number used each year (TSK-2026-001, …)."""

    class Meta:
        verbose_name = _("application number counter")
        verbose_name_plural = _("application number counters")


class Application(models.Model):
    """A committee's application to an application-based scheme: what, where, who, when, its
    budget (planned dugnad hours included) and photos "before"; then staff's answer, and for a
    scheme paid afterwards the report of actual costs, hours and photos "after"."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    scheme = models.ForeignKey(
        GrantScheme,
        verbose_name=_("scheme"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    title = models.CharField(_("what"), max_length=TITLE_MAX_LENGTH)
    description = text_field(_("description"))
    place = models.CharField(_("where"), max_length=LINE_MAX_LENGTH)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    participants = models.CharField(
        _("who takes part"),
        max_length=LINE_MAX_LENGTH,
        help_text=_("Who does the work and who it is for (for example children under 19)."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    planned_hours = hours_field(_("planned dugnad hours"), default=Decimal(0))
    amount_requested = money_field(_("amount applied for"))
    # The municipality's answer.
    amount_granted = money_field(_("amount granted"), null=True, blank=True)
    conditions = text_field(_("conditions"), blank=True)
    # The deadline of whoever must act next: the municipality's answer, the committee's extra
    # information or report (``deadlines``); set by each step.
    answer_due = models.DateField(_("municipality's answer due"), null=True, blank=True)
    committee_due = models.DateField(_("committee's deadline"), null=True, blank=True)
    # The report (paid afterwards).
    actual_hours = hours_field(_("dugnad hours worked"), null=True, blank=True)
    report_text = text_field(_("what was done"), blank=True)
    dugnads = models.ManyToManyField(
        Dugnad,
        verbose_name=_("dugnads"),
        blank=True,
        related_name="grant_applications",
        help_text=_("The reported dugnads' hours count in the report."),
    )
    payment = models.OneToOneField(
        Payment,
        verbose_name=_("payment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
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
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="application_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("grants:application-detail", kwargs={"number": self.number})

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_APPLICATION_STATES

    def clean(self):
        from .rules import application_problems

        if problems := application_problems(self):
            raise ValidationError(problems)


class ApplicationEvent(TimelineEntry):
    """One line on an application's timeline: a step, a payment created or paid. Both parties
    see it; the public sees it once granted."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Status changed")
        PAYMENT_CREATED = "payment_created", _("Payment created")
        PAYMENT_PAID = "payment_paid", _("Payment made")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TRANSITION)
    actor_party = TimelineEntry.party_field(Party.choices)
    from_state = TimelineEntry.state_field(_("from"), ApplicationState.choices)
    to_state = TimelineEntry.state_field(_("to"), ApplicationState.choices)

    class Meta(TimelineEntry.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application timeline")


class BudgetLine(models.Model):
    """One line of an application's budget (what it costs), or of its report's actual costs
    (``actual``, with a receipt)."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    actual = models.BooleanField(_("actual cost"), default=False)
    description = models.CharField(_("what"), max_length=LINE_MAX_LENGTH)
    amount = money_field(_("amount"))
    # A receipt for an actual cost (PDF or image, checked by bytes: core.attachments).
    receipt = models.FileField(_("receipt"), upload_to=receipt_path, max_length=200, blank=True)
    token = models.CharField(max_length=32, editable=False, blank=True)
    extension = models.CharField(max_length=10, editable=False, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["actual", "pk"]

    def __str__(self):
        return self.description


class ApplicationPhoto(models.Model):
    """A photo "before" (with the application) or "after" (with the report), re-encoded on
    upload (``core.images.reencode_upload``): no EXIF, no GPS position."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="photos"
    )
    kind = models.CharField(_("when"), max_length=10, choices=PhotoKind.choices)
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
        ordering = ["kind", "created_at", "pk"]

    def __str__(self):
        return self.description

    def get_absolute_url(self):
        return reverse("grants:application-photo", kwargs={"pk": self.pk})


class AnnualReport(models.Model):
    """A committee's report for one year, as an association: the checklist of documents, the
    board elected at the annual meeting, staff's approval or return. Due by the setting
    ``GRANTS["ANNUAL_REPORT_DUE"]`` (month, day) of the following year."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=AnnualReportState.choices,
        default=AnnualReportState.OPEN,
    )
    due_on = models.DateField(_("due"))
    meeting_on = models.DateField(_("annual meeting held"), null=True, blank=True)
    comment = text_field(_("municipality's comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    board_applied_at = models.DateTimeField(
        _("board applied to memberships"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "committee__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year"], name="annual_report_one_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.committee} {self.year}"

    def get_absolute_url(self):
        return reverse(
            "grants:annual-report", kwargs={"slug": self.committee.slug, "year": self.year}
        )


class AnnualReportEvent(TimelineEntry):
    annual_report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("annual report"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    actor_party = TimelineEntry.party_field(Party.choices)
    from_state = TimelineEntry.state_field(_("from"), AnnualReportState.choices)
    to_state = TimelineEntry.state_field(_("to"), AnnualReportState.choices)

    class Meta(TimelineEntry.Meta):
        verbose_name = _("annual report event")
        verbose_name_plural = _("annual report timeline")


class AnnualReportDocument(models.Model):
    """One document of the checklist (PDF or image, checked by bytes: core.attachments)."""

    annual_report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("annual report"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    token = models.CharField(max_length=32, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    content_type = models.CharField(_("file type"), max_length=100)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)
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
        verbose_name = _("annual report document")
        verbose_name_plural = _("annual report documents")
        ordering = ["kind", "created_at", "pk"]

    def __str__(self):
        return self.original_name


class ElectedBoardMember(models.Model):
    """A person the annual meeting elected, as the protocol says: name, e-mail (to match an
    account), role. The leader applies the list to the memberships in one step."""

    annual_report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("annual report"),
        on_delete=models.CASCADE,
        related_name="elected",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    term_ends_on = models.DateField(_("elected until"), null=True, blank=True)

    class Meta:
        verbose_name = _("elected board member")
        verbose_name_plural = _("elected board")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["annual_report", "email"], name="elected_once_per_report"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


def annual_report_due(year: int) -> datetime.date:
    """The day a year's report is due: ``GRANTS["ANNUAL_REPORT_DUE"]`` (month, day) next year."""
    month, day = settings.GRANTS["ANNUAL_REPORT_DUE"]
    return datetime.date(year + 1, month, day)
