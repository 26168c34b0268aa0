"""A scheme's rules as data, the population figures, the formula allocations."""

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
    money_field,
    text_field,
)
from committees.models import Committee, Department

from ..allocation_reasons import reasons_text
from ..states import (  # noqa: F401 (the vocabulary, importable from here)
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
from .base import MAX_AGE, MAX_RESIDENTS


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
        from ..rules import scheme_problems

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
    # Why it is not payable, as codes with their parameters (``grants.allocation_reasons``):
    # worded in the reader's language when shown (``reason_text``), never stored as text.
    reasons = models.JSONField(_("why not payable"), default=list, blank=True)
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

    @property
    def reason_text(self) -> str:
        """Why it is not payable, in the active language (``""`` when it is): what every page,
        export and notice shows."""
        return reasons_text(self.reasons)
