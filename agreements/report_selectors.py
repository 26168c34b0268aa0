"""Reading reports: a duty's lines and photos for its page, and the figures of an agreement's
duties for the duties' panel, each in a fixed number of queries however many lines there are.

(Kept apart from ``selectors``, which the agreement pages share: this is the reports' own.)"""

from decimal import Decimal

from django.db.models import Prefetch, Q, Sum

from .models import Agreement, DutyState, Payment, Pricing, ReportDuty, ReportLine, ReportPhoto


def duty_for_page(*, agreement: Agreement, pk: int) -> ReportDuty:
    """One of ``agreement``'s duties with its lines (and their tasks) and photos: three
    queries. ``ReportDuty.DoesNotExist`` when it is not this agreement's."""
    duty = ReportDuty.objects.prefetch_related(
        Prefetch("lines", queryset=ReportLine.objects.select_related("task")),
        Prefetch("photos", queryset=ReportPhoto.objects.order_by("pk")),
    ).get(agreement=agreement, pk=pk)
    duty.agreement = agreement  # the caller's, with its tasks prefetched
    return duty


def with_duty_figures(agreements) -> None:
    """Put the figures of each duty on the duties prefetched on ``agreements`` (by
    ``selectors.with_lines``), in two queries for all of them:

    - ``duty.report_hours``: the hours on its report;
    - ``duty.report_costs``: the documented costs of its tasks reimbursed against
      documentation (as submitted, before any ceiling);
    - ``duty.report_payment``: the payment its approval made (``None`` if none);
    - ``duty.report_photos``: its photos, for an approved report (shown with the agreement).

    The panel shows them for approved reports (three queries in all)."""
    duties = [duty for agreement in agreements for duty in agreement.report_duties.all()]
    if not duties:
        return
    ids = [duty.pk for duty in duties]
    totals = {
        row["duty_id"]: row
        for row in ReportLine.objects.filter(duty_id__in=ids)
        .values("duty_id")
        .annotate(
            hours=Sum("hours"),
            costs=Sum("documented_cost", filter=Q(task__pricing=Pricing.REIMBURSED)),
        )
    }
    payments = {
        payment.duty_id: payment
        for payment in Payment.objects.filter(
            duty_id__in=[d.pk for d in duties if d.state == DutyState.APPROVED]
        )
    }
    photos: dict[int, list] = {}
    approved = [d.pk for d in duties if d.state == DutyState.APPROVED]
    for photo in (
        ReportPhoto.objects.filter(duty_id__in=approved).order_by("pk") if approved else ()
    ):
        photos.setdefault(photo.duty_id, []).append(photo)
    for duty in duties:
        duty.report_photos = photos.get(duty.pk, [])
        row = totals.get(duty.pk, {})
        duty.report_hours = row.get("hours") or Decimal(0)
        duty.report_costs = row.get("costs") or Decimal(0)
        duty.report_payment = payments.get(duty.pk)
