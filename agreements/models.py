"""Agreements with an economic picture: a committee takes over tasks from the municipality.

An agreement's life is one step table (``agreements.steps.TRANSITIONS``) applied by one service
(``services.lifecycle.agreement_transition``); every change leaves an ``AgreementEvent`` on its
timeline, and every change to its terms and money (agreement, tasks, provisions, payments,
report duties) is kept by django-simple-history: nothing about money is overwritten without a
trace. Signatures record the SHA-256 of the exact terms the signer saw (``agreements.terms``).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.models import Committee, Department
from core.models import TimelineEntry, YearCounter
from dugnads.models import Dugnad
from proposals.models import Proposal

from .states import (  # noqa: F401 (the vocabulary, importable from here)
    CLOSED_STATES,
    DUTY_OWED_STATES,
    EDITABLE_STATES,
    IN_FORCE_STATES,
    PUBLIC_STATES,
    UNSIGNED_STATES,
    DutyState,
    Kind,
    Party,
    PaymentSource,
    Pricing,
    ProvisionKind,
    Renewal,
    State,
    TaskKind,
)

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000
LINE_MAX_LENGTH = 200
MAX_TASKS = 30
MAX_PROVISIONS = 30
MAX_PAYMENTS = 60
MAX_DUTIES = 30
MAX_REPORT_LINES = 100
MAX_YEARS = 10
# Money: up to kr 99 999 999,99 per line — more than any committee agreement will carry.
MONEY = {"max_digits": 12, "decimal_places": 2}
HOURS = {"max_digits": 8, "decimal_places": 1}
MAX_HOURS = Decimal(100_000)


def money_field(verbose_name, **extra) -> models.DecimalField:
    """A sum in kroner (øre kept, never a float), not negative."""
    return models.DecimalField(
        verbose_name, **MONEY, validators=[MinValueValidator(Decimal(0))], **extra
    )


def hours_field(verbose_name, **extra) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        **HOURS,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_HOURS)],
        **extra,
    )


def text_field(verbose_name, *, max_length: int = TEXT_MAX_LENGTH, **extra) -> models.TextField:
    return models.TextField(
        verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)], **extra
    )


class AgreementCounter(YearCounter):
    """The last agreement number used each year (AVT-2026-001, …)."""

    class Meta:
        verbose_name = _("agreement number counter")
        verbose_name_plural = _("agreement number counters")


def public_q() -> Q:
    """The one rule for what the public sees: an agreement both parties have signed
    (``Agreement.is_public`` says the same of one row)."""
    return Q(state__in=PUBLIC_STATES)


class AgreementQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public_q())

    def in_force(self):
        return self.filter(state__in=IN_FORCE_STATES)


class Agreement(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="agreements"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("municipal department"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OPERATION)
    terms = text_field(
        _("terms"), blank=True, help_text=_("What the parties agree to, in plain words.")
    )
    origin_proposal = models.OneToOneField(
        Proposal,
        verbose_name=_("from the proposal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreement",
    )
    # "Forny avtale": the draft for the next period points back at the agreement it renews.
    renews = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewed_by",
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    notice_months = models.PositiveSmallIntegerField(
        _("notice period (months)"), default=3, validators=[MaxValueValidator(24)]
    )
    renewal = models.CharField(
        _("renewal"), max_length=20, choices=Renewal.choices, default=Renewal.BY_AGREEMENT
    )
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # The economic picture's own lines (per year; the tasks carry the compensation).
    own_contribution_per_year = money_field(
        _("committee's own contribution per year"),
        default=Decimal(0),
        help_text=_("Money or materials the committee brings itself, in kroner per year."),
    )
    municipal_cost_per_year = money_field(
        _("municipality's own cost per year"),
        null=True,
        blank=True,
        help_text=_("What the tasks would cost the municipality doing them itself."),
    )
    municipal_cost_basis = text_field(
        _("basis for the municipality's cost"),
        max_length=2_000,
        blank=True,
        help_text=_("How the estimate was made (hours × rate, a tender, last year's accounts)."),
    )
    # Dugnads held for the agreement's tasks: their reported hours count as its hours.
    dugnads = models.ManyToManyField(
        Dugnad, verbose_name=_("linked dugnads"), related_name="agreements", blank=True
    )
    # Terminated by either party with notice: it ends on this day (the reason is on the timeline).
    terminated_on = models.DateField(_("terminated with effect from"), null=True, blank=True)
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
    signed_at = models.DateTimeField(_("signed by both"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-starts_on", "number"]
        permissions = [("sign_agreement", "Can sign agreements for the department")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="agreement_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("agreements:agreement-detail", kwargs={"number": self.number})

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    @property
    def last_day(self) -> datetime.date:
        """The day it ends: its end, or the day a termination takes effect."""
        return self.terminated_on or self.ends_on

    def clean(self):
        from .rules import agreement_problems  # rules import states, not the models: no cycle

        problems = agreement_problems(self)
        if problems:
            raise ValidationError(problems)


class AgreementEvent(TimelineEntry):
    """One line on an agreement's timeline: a step, a signature, a change of terms, a payment, a
    report. Both parties see it; the public sees it once the agreement is signed."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Status changed")
        TERMS_CHANGED = "terms_changed", _("Terms changed")
        SIGNED = "signed", _("Signed")
        SIGNATURE_VOIDED = "signature_voided", _("Signature voided")
        PAYMENT_PAID = "payment_paid", _("Payment made")
        REPORT_SUBMITTED = "report_submitted", _("Report submitted")
        REPORT_APPROVED = "report_approved", _("Report approved")
        REPORT_RETURNED = "report_returned", _("Report returned")
        RENEWED = "renewed", _("Renewed")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TRANSITION)
    actor_party = TimelineEntry.party_field(Party.choices)
    from_state = TimelineEntry.state_field(_("from"), State.choices)
    to_state = TimelineEntry.state_field(_("to"), State.choices)

    class Meta(TimelineEntry.Meta):
        verbose_name = _("agreement event")
        verbose_name_plural = _("agreement events")

    def __str__(self):
        return f"{self.agreement.number}: {self.get_kind_display()}"


class Task(models.Model):
    """A task the committee takes over, and what the municipality pays for it."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="tasks"
    )
    kind = models.CharField(_("task"), max_length=20, choices=TaskKind.choices)
    description = text_field(_("description"), max_length=2_000, blank=True)
    locations = text_field(
        _("locations"), max_length=2_000, blank=True, help_text=_("One place per line.")
    )
    season = models.CharField(_("season or weeks"), max_length=LINE_MAX_LENGTH, blank=True)
    frequency = models.CharField(_("frequency"), max_length=LINE_MAX_LENGTH, blank=True)
    hours_per_year = hours_field(_("estimated hours per year"), default=Decimal(0))
    pricing = models.CharField(
        _("pricing"), max_length=20, choices=Pricing.choices, default=Pricing.FIXED
    )
    # Fixed: the yearly sum. Per occasion: the price of one. Reimbursed: the yearly ceiling.
    amount = money_field(_("amount"), default=Decimal(0))
    occasions_per_year = models.PositiveIntegerField(
        _("occasions per year"), null=True, blank=True, validators=[MaxValueValidator(1_000)]
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.get_kind_display()

    @property
    def location_list(self) -> list[str]:
        return [line.strip() for line in self.locations.splitlines() if line.strip()]

    def clean(self):
        from .rules import task_problems

        problems = task_problems(self)
        if problems:
            raise ValidationError(problems)


class Provision(models.Model):
    """What the municipality lends or provides for the tasks (its in-kind contribution)."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="provisions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProvisionKind.choices)
    description = models.CharField(_("description"), max_length=LINE_MAX_LENGTH)
    value_per_year = money_field(_("value per year"), default=Decimal(0))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipal contribution in kind")
        verbose_name_plural = _("municipal contributions in kind")
        ordering = ["pk"]

    def __str__(self):
        return self.description


class ReportDuty(models.Model):
    """A report the committee owes (after a season, yearly), and the report once written.

    One duty holds one report: the committee submits it, the municipality approves it or returns
    it with a comment (then the committee submits again)."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="report_duties",
    )
    title = models.CharField(_("report for"), max_length=LINE_MAX_LENGTH)
    due_on = models.DateField(_("due"), db_index=True)
    state = models.CharField(
        _("status"), max_length=20, choices=DutyState.choices, default=DutyState.OPEN
    )
    summary = text_field(_("what was done"), max_length=5_000, blank=True)
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
    review_comment = text_field(_("comment from the municipality"), max_length=5_000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report duty")
        verbose_name_plural = _("report duties")
        ordering = ["due_on", "pk"]
        permissions = [("review_reportduty", "Can approve or return reports on agreements")]

    def __str__(self):
        return f"{self.agreement.number}: {self.title}"

    def clean(self):
        from .rules import due_problems

        if problems := due_problems(self.agreement if self.agreement_id else None, self.due_on):
            raise ValidationError(problems)


class ReportLine(models.Model):
    """One task done, on a report: when, how many hours, and documented costs (receipts) for a
    task reimbursed against documentation."""

    duty = models.ForeignKey(
        ReportDuty, verbose_name=_("report"), on_delete=models.CASCADE, related_name="lines"
    )
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="report_lines"
    )
    done_on = models.DateField(_("date"))
    hours = hours_field(_("hours"))
    documented_cost = money_field(_("documented costs"), default=Decimal(0))
    note = models.CharField(_("note"), max_length=LINE_MAX_LENGTH, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        ordering = ["done_on", "pk"]

    def __str__(self):
        return f"{self.task} {self.done_on}"


def report_photo_path(photo, filename: str) -> str:
    return f"agreements/reports/{photo.duty_id}/{photo.token}.{photo.extension}"


class ReportPhoto(models.Model):
    duty = models.ForeignKey(
        ReportDuty, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to=report_photo_path, max_length=200)
    token = models.CharField(max_length=32, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    caption = models.CharField(_("caption"), max_length=LINE_MAX_LENGTH, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
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
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["pk"]

    def __str__(self):
        return self.caption or self.file.name

    def get_absolute_url(self):
        return reverse("agreements:report-photo", kwargs={"pk": self.pk})


class Payment(models.Model):
    """An instalment the municipality pays: from the payment plan (part of the signed terms), or
    from an approved report's documented costs. Staff mark it paid with the voucher."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="payments",
        null=True,
        blank=True,
    )
    # A grant's payment has no agreement: the parties are on the payment (``payee``/``payer``).
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="grant_payments",
        null=True,
        blank=True,
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("municipal department"),
        on_delete=models.PROTECT,
        related_name="grant_payments",
        null=True,
        blank=True,
    )
    source = models.CharField(
        _("from"), max_length=20, choices=PaymentSource.choices, default=PaymentSource.PLAN
    )
    duty = models.OneToOneField(
        ReportDuty,
        verbose_name=_("for the report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment",
    )
    description = models.CharField(_("description"), max_length=LINE_MAX_LENGTH, blank=True)
    due_on = models.DateField(_("due"), db_index=True)
    amount = money_field(_("amount"))
    paid_on = models.DateField(_("paid"), null=True, blank=True)
    voucher = models.CharField(_("voucher reference"), max_length=60, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked paid by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Ended or terminated before it was due: it will not be paid.
    cancelled = models.BooleanField(_("cancelled"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["due_on", "pk"]
        constraints = [
            # Either an agreement's instalment, or a grant's payment with both parties named.
            models.CheckConstraint(
                condition=(
                    Q(agreement__isnull=False, committee__isnull=True, department__isnull=True)
                    | Q(agreement__isnull=True, committee__isnull=False, department__isnull=False)
                ),
                name="payment_agreement_or_parties",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.due_on}"

    @property
    def payee(self) -> Committee:
        """The committee paid: the agreement's, or the grant payment's own."""
        return self.agreement.committee if self.agreement_id else self.committee

    @property
    def payer(self) -> Department:
        """The department that pays."""
        return self.agreement.department if self.agreement_id else self.department

    @property
    def reference(self) -> str:
        """The agreement's number, or for a grant its description (the grant's reference)."""
        return self.agreement.number if self.agreement_id else self.description

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None

    def clean(self):
        from .rules import due_problems

        if problems := due_problems(self.agreement if self.agreement_id else None, self.due_on):
            raise ValidationError(problems)


class Signature(models.Model):
    """A named person's signature for one party, with the SHA-256 of the exact terms they saw.

    A change of terms afterwards voids it (``voided_at``): the agreement goes back for signing
    and the page says the signed terms are not the current ones. At most one valid signature per
    party: two people signing at once record one."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="signatures",
    )
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="agreement_signatures",
    )
    # As it stood when signing (a name and a role may change later; the signature does not).
    signer_name = models.CharField(_("name"), max_length=150)
    signer_role = models.CharField(_("role"), max_length=150, blank=True)
    # Personal data: withheld from public pages, exports and the public PDF.
    signer_phone = models.CharField(_("phone"), max_length=30, blank=True)
    signed_at = models.DateTimeField(_("signed"))
    terms_sha256 = models.CharField(_("SHA-256 of the terms"), max_length=64)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party"],
                condition=Q(voided_at__isnull=True),
                name="agreement_one_valid_signature_per_party",
            ),
        ]

    def __str__(self):
        return f"{self.agreement.number}: {self.signer_name}"

    @property
    def is_valid(self) -> bool:
        return self.voided_at is None
