"""The public rows of each dataset, each from its owning app's own rule (streamed)."""

from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from agreements.models import Agreement, Payment, PaymentSource, Pricing, Provision, Task
from committees.models import Committee
from core.formatting import local_zone
from dugnads.models import Dugnad, HourlyRate
from proposals import selectors as proposal_selectors
from proposals.states import OUTCOMES

from .schema import CHUNK

# --- the rows -----------------------------------------------------------------------------------

MONEY = DecimalField(max_digits=14, decimal_places=2)
HOURS = DecimalField(max_digits=10, decimal_places=1)


def _sum_per_agreement(model, expression, output, **where):
    """A sum per agreement from another table (0 when none), as a subquery: no join multiplies
    tasks by payments."""
    rows = (
        model.objects.filter(agreement=OuterRef("pk"), **where)
        .order_by()
        .values("agreement")
        .annotate(total=Sum(expression, output_field=output))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=output), Value(Decimal(0)), output_field=output)


# A task's yearly compensation, as ``agreements.economics.task_compensation`` in SQL (a test
# holds the two together): fixed → the amount; per occasion → amount × occasions a year;
# reimbursed → nothing certain, the amount is a ceiling ("up to").
TASK_CERTAIN = Case(
    When(pricing=Pricing.REIMBURSED, then=Value(Decimal(0))),
    When(pricing=Pricing.PER_OCCASION, then=F("amount") * Coalesce("occasions_per_year", 0)),
    default=F("amount"),
    output_field=MONEY,
)
TASK_CEILING = Case(
    When(pricing=Pricing.REIMBURSED, then=F("amount")),
    default=Value(Decimal(0)),
    output_field=MONEY,
)


def committee_rows():
    return Committee.objects.select_related("parent").order_by("name").iterator(chunk_size=CHUNK)


def proposal_rows():
    """The public list's proposals (``proposals.selectors.proposal_list``: every one submitted,
    never a draft), oldest first, with the published answer's outcome."""
    return (
        proposal_selectors.proposal_list()
        .annotate(
            answer_outcome=F("answer__outcome"), answer_published_at=F("answer__published_at")
        )
        .order_by("submitted_at", "pk")
        .iterator(chunk_size=CHUNK)
    )


def proposal_outcome(proposal):
    """The published official answer's outcome; else a decision's state; else nothing."""
    if proposal.answer_published_at is not None:
        return proposal.answer_outcome
    return proposal.state if proposal.state in OUTCOMES else None


def dugnad_rows():
    """The public dugnads (``Dugnad.objects.public``), each with the value of its hours: hours ×
    the hourly value of the year it started (``dugnads.figures.dugnad_value``; the values read
    once, not a query a row)."""
    rates = {rate.year: rate.nok_per_hour for rate in HourlyRate.objects.all()}
    for dugnad in (
        Dugnad.objects.public()
        .select_related("committee")
        .order_by("starts_at", "pk")
        .iterator(chunk_size=CHUNK)
    ):
        rate = rates.get(timezone.localtime(dugnad.starts_at, local_zone()).year)
        dugnad.open_value = (
            None if rate is None or dugnad.hours_total is None else dugnad.hours_total * rate
        )
        yield dugnad


def agreement_rows():
    """The signed agreements (``Agreement.objects.public``) with their yearly economics."""
    return (
        Agreement.objects.public()
        .select_related("committee", "department")
        .annotate(
            compensation_certain=_sum_per_agreement(Task, TASK_CERTAIN, MONEY),
            compensation_ceiling=_sum_per_agreement(Task, TASK_CEILING, MONEY),
            hours_planned=_sum_per_agreement(Task, F("hours_per_year"), HOURS),
            in_kind=_sum_per_agreement(Provision, F("value_per_year"), MONEY),
            paid=_sum_per_agreement(Payment, F("amount"), MONEY, paid_on__isnull=False),
        )
        .order_by("number")
        .iterator(chunk_size=CHUNK)
    )


def grant_payment_rows():
    """Grants' payments (``agreements.Payment``, source ``grant``) that have been paid, with the
    allocation or application they pay and its scheme."""
    return (
        Payment.objects.filter(source=PaymentSource.GRANT, paid_on__isnull=False)
        .select_related("committee", "department", "allocation__scheme", "application__scheme")
        .order_by("paid_on", "pk")
        .iterator(chunk_size=CHUNK)
    )


def _grant_of(payment):
    """The allocation or application a grant payment pays (None when neither)."""
    for name in ("allocation", "application"):
        try:
            return getattr(payment, name)
        except Payment._meta.get_field(name).related_model.DoesNotExist:
            continue
    return None


def _scheme_of(payment):
    grant = _grant_of(payment)
    return grant.scheme if grant is not None else None
