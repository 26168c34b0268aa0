"""Applications to application-based schemes: the application, its timeline, budget lines (and
the report's actual costs) and photos."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
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
from committees.models import Committee
from core.models import TimelineEntry, YearCounter
from dugnads.models import Dugnad

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
from .base import photo_path, receipt_path
from .schemes import GrantScheme


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
        from ..rules import application_problems

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
