"""The committees' annual reports: the report, its timeline, its documents, the elected board."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    text_field,
)
from committees.models import Committee, Role
from core.models import TimelineEntry

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
from .base import document_path


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


def may_open_annual_report(committee, year: int, *, today: datetime.date | None = None) -> bool:
    """Whether the board may open ``year``'s report (one already opened is always there): a
    year that is over — the annual meeting reports on it — and, before last year, only from the
    year the committee was registered in Frivillighetsregisteret (an association reports for the
    years it existed as one). Last year is always open to the board, registered or not."""
    from django.utils import timezone

    last_year = (today or timezone.localdate()).year - 1
    if year > last_year:
        return False
    if year == last_year:
        return True
    return committee.registered_on is not None and year >= committee.registered_on.year
