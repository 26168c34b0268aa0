"""Open data: the figures and the public registers as CSV and JSON anyone may download and reuse
under the Norwegian Licence for Open Government Data (NLOD 2.0). The schema is docs/open-data.md.

Each dataset is declared once here — its slug, title, description, the public rows (the owning
app's own rule for what is public: ``Proposal.objects.published`` through the public list's
selector, ``Dugnad.objects.public``, ``Agreement.objects.public``; a grant's payment once paid)
and its fields. A field is a ``core.export.Column`` with a stable ``name``, a ``type`` and a
``description``, so one declaration makes the CSV (``core.export.csv_response``, streamed), the
JSON (streamed too) and the schema on the "Åpne data" page, and they cannot disagree.

What a field holds is the same in both files: codes, never translated labels (``status`` is
``active``, not "Aktiv"; the page lists each code's meaning); decimals as text with a dot
(``12000.00``, exact); dates ``YYYY-MM-DD``; times ISO 8601 with the offset, in the portal's time
zone; nothing (JSON ``null``, an empty CSV cell) when there is no value.

No personal data: no field names a person, an address or a phone number, and no row is one that
is not public. Free text written by residents (a proposal's title and description) is left out,
as it may name people. A download is a fixed number of queries however many rows, read with a
server-side cursor (``iterator``), so memory does not grow with the rows.
"""

import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

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
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Payment, PaymentSource, Pricing, Provision, Task
from agreements.states import PUBLIC_STATES as AGREEMENT_PUBLIC_STATES
from agreements.states import Kind as AgreementKind
from agreements.states import State as AgreementState
from committees.models import Committee, CommitteeStatus
from core.export import Column, csv_response, in_language
from core.formatting import local_zone
from dugnads.models import Dugnad, HourlyRate
from dugnads.states import PUBLIC_STATES as DUGNAD_PUBLIC_STATES
from dugnads.states import State as DugnadState
from proposals import selectors as proposal_selectors
from proposals.states import OUTCOMES, Category, Kind, State

from .states import SchemeKind

SCHEMA_VERSION = 1
LICENCE = {"name": "NLOD 2.0", "url": "https://data.norge.no/nlod/no/2.0"}
FORMATS = ("csv", "json")
CHUNK = 500

STRING, INTEGER, DECIMAL, DATE, DATETIME = "string", "integer", "decimal", "date", "datetime"
# Decimals with a fixed number of decimals (the field's type is "decimal").
MONEY_KRONER, HOURS_TENTHS = "money", "hours"
DECIMAL_PLACES = {MONEY_KRONER: 2, HOURS_TENTHS: 1}
TYPES = {
    STRING: _("text"),
    INTEGER: _("whole number"),
    DECIMAL: _("number with a decimal point: 12000.00"),
    DATE: _("date: 2026-05-02"),
    DATETIME: _("date and time with the offset from UTC: 2026-05-02T10:00:00+02:00"),
}


def encode(kind: str, value, places: int | None = None):
    """A value as both files hold it: ``None`` for nothing (an empty text too), an ``int``, or
    text — a decimal with a dot (``places`` decimals, rounded half up: kroner to the øre, hours
    to the tenth), a date ISO, a time ISO with its offset, in local time."""
    if value is None or value == "":
        return None
    if kind == INTEGER:
        return int(value)
    if kind == DECIMAL:
        value = Decimal(value)
        if places is not None:
            value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return format(value, "f")
    if kind == DATE:
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value, local_zone()).date()
        return value.isoformat()
    if kind == DATETIME:
        return timezone.localtime(value, local_zone()).isoformat(timespec="seconds")
    return str(value)


@dataclass(frozen=True)
class Field(Column):
    """One field of a dataset: ``header`` is its stable name (never translated), ``value`` gives
    the encoded value of a row (``encode``). ``choices``: the codes it may hold, and their
    meaning, for the schema."""

    type: str = STRING
    description: str = ""
    choices: tuple = ()
    places: int | None = None  # a decimal's fixed number of decimals (kroner 2, hours 1)

    @property
    def name(self) -> str:
        return self.header

    @property
    def name_html(self) -> str:
        """The name for a page, with a line-break opportunity after each underscore (a long
        name must wrap on a 320 px screen)."""
        return mark_safe(escape(self.name).replace("_", "_<wbr>"))  # noqa: S308 (escaped)

    @property
    def type_label(self) -> str:
        return TYPES[self.type]

    def schema(self) -> dict:
        """The field as the JSON's ``fields`` and the page describe it."""
        out = {"name": self.name, "type": self.type, "description": str(self.description)}
        if self.places is not None:
            out["decimals"] = self.places
        if self.choices:
            out["values"] = {str(code): str(label) for code, label in self.choices}
        return out


def field_of(
    name: str, kind: str, description, get: Callable, *, choices=(), places: int | None = None
) -> Field:
    if kind in DECIMAL_PLACES:  # kroner to the øre, hours to the tenth: decimals with places
        kind, places = DECIMAL, DECIMAL_PLACES[kind]
    return Field(
        header=name,
        value=lambda row: encode(kind, get(row), places),
        type=kind,
        description=description,
        choices=tuple(getattr(choices, "choices", choices)),
        places=places,
    )


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    rows: Callable[[], Iterable]  # the public rows, streamed (a fixed number of queries)
    fields: tuple[Field, ...] = field(default=())

    def filename(self, fmt: str) -> str:
        """Stable: the same name every day, as the address."""
        return f"{self.slug}.{fmt}"

    def schema(self) -> list[dict]:
        return [f.schema() for f in self.fields]

    def record(self, row) -> dict:
        return {f.name: f.value(row) for f in self.fields}

    def csv_response(self):
        return csv_response(self.rows(), self.fields, filename=self.filename("csv"))

    def json_response(self):
        response = StreamingHttpResponse(
            json_lines(self), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.filename("json")}"'
        return response


def json_lines(dataset: Dataset) -> Iterator[str]:
    """The JSON document in pieces: its head (licence, schema, time), then a row at a time. The
    descriptions are in the language active now, whenever the pieces are read."""
    language = translation.get_language()

    def pieces():
        head = {
            "dataset": dataset.slug,
            "title": str(dataset.title),
            "licence": LICENCE,
            "schema_version": SCHEMA_VERSION,
            "generated_at": timezone.localtime(timezone.now(), local_zone()).isoformat(
                timespec="seconds"
            ),
            "fields": dataset.schema(),
        }
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
        separator = ""
        for row in dataset.rows():
            yield separator + json.dumps(dataset.record(row), ensure_ascii=False)
            separator = ","
        yield "]}"

    return in_language(language, pieces())


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


# --- the datasets -------------------------------------------------------------------------------


def _committee_fields(get=lambda row: row.committee) -> tuple[Field, Field]:
    return (
        field_of(
            "committee",
            STRING,
            _("The committee's identifier: its slug in the committees dataset."),
            lambda row: get(row).slug,
        ),
        field_of("committee_name", STRING, _("The committee's name."), lambda row: get(row).name),
    )


COMMITTEES = Dataset(
    slug="committees",
    title=_("Neighbourhood committees"),
    description=_(
        "Every neighbourhood committee: its status, its registration in "
        "Frivillighetsregisteret and the population of its area. The board's names are not "
        "included."
    ),
    rows=committee_rows,
    fields=(
        field_of(
            "slug",
            STRING,
            _("Identifier, stable: the committee's page is /nmu/<slug>/."),
            lambda c: c.slug,
        ),
        field_of("name", STRING, _("Name."), lambda c: c.name),
        field_of("status", STRING, _("Status."), lambda c: c.status, choices=CommitteeStatus),
        field_of(
            "organisation_number",
            STRING,
            _("Organisation number in Frivillighetsregisteret (nine digits)."),
            lambda c: c.organisation_number,
        ),
        field_of(
            "registered_on",
            DATE,
            _("The day it was registered in Frivillighetsregisteret."),
            lambda c: c.registered_on,
        ),
        field_of(
            "parent",
            STRING,
            _("For a sub-committee, the slug of the committee it belongs to."),
            lambda c: c.parent.slug if c.parent_id else None,
        ),
        field_of("population", INTEGER, _("Residents in the area."), lambda c: c.population),
        field_of(
            "population_0_19",
            INTEGER,
            _("Residents aged 0–19 in the area."),
            lambda c: c.population_0_19,
        ),
        field_of(
            "population_reference_date",
            DATE,
            _("The day the population figures count."),
            lambda c: c.population_reference_date,
        ),
        field_of(
            "population_source",
            STRING,
            _("Where the population figures come from."),
            lambda c: c.population_source,
        ),
        field_of(
            "latitude",
            DECIMAL,
            _("The area's centre, latitude (WGS 84)."),
            lambda c: c.latitude,
            places=5,
        ),
        field_of(
            "longitude",
            DECIMAL,
            _("The area's centre, longitude (WGS 84)."),
            lambda c: c.longitude,
            places=5,
        ),
    ),
)

PROPOSALS = Dataset(
    slug="proposals",
    title=_("Proposals"),
    description=_(
        "Every proposal submitted to a committee, as a case: its kind, topic, status, key "
        "dates and outcome. Drafts are not included, nor who wrote a proposal or what it says."
    ),
    rows=proposal_rows,
    fields=(
        field_of(
            "reference",
            STRING,
            _("Case number, stable: the proposal's page is /forslag/<reference>/."),
            lambda p: p.reference,
        ),
        *_committee_fields(),
        field_of("kind", STRING, _("Kind of proposal."), lambda p: p.kind, choices=Kind),
        field_of("topic", STRING, _("Topic."), lambda p: p.category, choices=Category),
        field_of("status", STRING, _("Status now."), lambda p: p.state, choices=State),
        field_of("submitted_on", DATE, _("The day it was submitted."), lambda p: p.submitted_at),
        field_of(
            "forwarded_on",
            DATE,
            _("The day the committee forwarded it to the municipality."),
            lambda p: p.forwarded_at,
        ),
        field_of(
            "first_response_on",
            DATE,
            _("The day the municipality first responded."),
            lambda p: p.first_response_at,
        ),
        field_of(
            "answered_on",
            DATE,
            _("The day the municipality decided the case."),
            lambda p: p.decided_at,
        ),
        field_of(
            "outcome",
            STRING,
            _("The municipality's decision, once made."),
            proposal_outcome,
            choices=[(s.value, s.label) for s in OUTCOMES],
        ),
        field_of("supports", INTEGER, _("Residents supporting it."), lambda p: p.supports_count),
    ),
)

DUGNADS = Dataset(
    slug="dugnads",
    title=_("Dugnads"),
    description=_(
        "Every published dugnad: when, its status, and once reported, how many took part, "
        "their hours and what the hours are worth. Who signed up is not included."
    ),
    rows=dugnad_rows,
    fields=(
        field_of(
            "id",
            INTEGER,
            _("Identifier, stable: the dugnad's page is /dugnad/<id>/."),
            lambda d: d.pk,
        ),
        *_committee_fields(),
        field_of("title", STRING, _("Title."), lambda d: d.title),
        field_of("starts_at", DATETIME, _("Start."), lambda d: d.starts_at),
        field_of("ends_at", DATETIME, _("End."), lambda d: d.ends_at),
        field_of(
            "state",
            STRING,
            _("Status."),
            lambda d: d.state,
            choices=[(s.value, s.label) for s in DugnadState if s in DUGNAD_PUBLIC_STATES],
        ),
        field_of(
            "participants",
            INTEGER,
            _("People who took part, as reported."),
            lambda d: d.participant_count,
        ),
        field_of(
            "hours", HOURS_TENTHS, _("Hours worked in total, as reported."), lambda d: d.hours_total
        ),
        field_of(
            "value",
            MONEY_KRONER,
            _(
                "What the hours are worth in NOK: hours × that year's hourly value of voluntary "
                "work (empty when the year has none)."
            ),
            lambda d: d.open_value,
        ),
    ),
)

AGREEMENTS = Dataset(
    slug="agreements",
    title=_("Signed agreements"),
    description=_(
        "Every agreement the municipality and a committee have both signed, with its economic "
        "terms per year. Drafts are not included, nor who signed."
    ),
    rows=agreement_rows,
    fields=(
        field_of(
            "number",
            STRING,
            _("Agreement number, stable: its page is /avtaler/<number>/."),
            lambda a: a.number,
        ),
        *_committee_fields(),
        field_of(
            "department",
            STRING,
            _("The municipal department's identifier."),
            lambda a: a.department.slug,
        ),
        field_of(
            "department_name", STRING, _("The municipal department."), lambda a: a.department.name
        ),
        field_of("title", STRING, _("Title."), lambda a: a.title),
        field_of("kind", STRING, _("Type."), lambda a: a.kind, choices=AgreementKind),
        field_of(
            "state",
            STRING,
            _("Status."),
            lambda a: a.state,
            choices=[(s.value, s.label) for s in AgreementState if s in AGREEMENT_PUBLIC_STATES],
        ),
        field_of("starts_on", DATE, _("First day of the period."), lambda a: a.starts_on),
        field_of(
            "ends_on",
            DATE,
            _("Last day: the end of the period, or the day a termination takes effect."),
            lambda a: a.last_day,
        ),
        field_of(
            "compensation_per_year",
            MONEY_KRONER,
            _("What the municipality pays for the tasks per year, NOK (fixed and per occasion)."),
            lambda a: a.compensation_certain,
        ),
        field_of(
            "compensation_ceiling_per_year",
            MONEY_KRONER,
            _("Costs reimbursed against documentation, up to this per year, NOK."),
            lambda a: a.compensation_ceiling,
        ),
        field_of(
            "in_kind_per_year",
            MONEY_KRONER,
            _("The municipality's contributions in kind per year, NOK."),
            lambda a: a.in_kind,
        ),
        field_of(
            "own_contribution_per_year",
            MONEY_KRONER,
            _("The committee's own contribution per year, NOK."),
            lambda a: a.own_contribution_per_year,
        ),
        field_of(
            "municipal_cost_per_year",
            MONEY_KRONER,
            _("What the tasks would cost the municipality itself per year, NOK (estimate)."),
            lambda a: a.municipal_cost_per_year,
        ),
        field_of(
            "hours_per_year",
            HOURS_TENTHS,
            _("Estimated voluntary hours per year."),
            lambda a: a.hours_planned,
        ),
        field_of("paid", MONEY_KRONER, _("Paid so far in total, NOK."), lambda a: a.paid),
        field_of("signed_at", DATETIME, _("When both had signed."), lambda a: a.signed_at),
    ),
)


GRANTS_PAID = Dataset(
    slug="grants_paid",
    title=_("Grants paid"),
    description=_(
        "Every grant the municipality has paid to a committee: the scheme, the application "
        "when there was one, the amount and the day."
    ),
    rows=grant_payment_rows,
    fields=(
        field_of("payment_id", INTEGER, _("Identifier of the payment."), lambda p: p.pk),
        field_of(
            "year",
            INTEGER,
            _("The scheme's year (the year paid, when the payment has no scheme)."),
            lambda p: _scheme_of(p).year if _scheme_of(p) else p.paid_on.year,
        ),
        *_committee_fields(),
        field_of(
            "scheme",
            STRING,
            _("The grant scheme."),
            lambda p: _scheme_of(p).name if _scheme_of(p) else None,
        ),
        field_of(
            "scheme_kind",
            STRING,
            _("Kind of scheme."),
            lambda p: _scheme_of(p).kind if _scheme_of(p) else None,
            choices=SchemeKind,
        ),
        field_of(
            "application",
            STRING,
            _("The application's number, for an application-based grant."),
            lambda p: getattr(_grant_of(p), "number", None),
        ),
        field_of(
            "department",
            STRING,
            _("The paying department's identifier."),
            lambda p: p.department.slug,
        ),
        field_of("amount", MONEY_KRONER, _("Amount paid, NOK."), lambda p: p.amount),
        field_of("paid_on", DATE, _("The day it was paid."), lambda p: p.paid_on),
    ),
)


def key_figure_rows():
    """A row per year and committee with figures (``grants.key_figures``: the rules of the
    /nokkeltall/ page, each the owning app's), oldest year first. A fixed number of queries per
    year, whatever the number of committees and records."""
    from .key_figures import figures_for_year, years_available

    for year in sorted(years_available()):
        figures = figures_for_year(year=year)
        for row in figures.rows:
            yield year, row


def _figure(name: str, kind: str, description, attribute: str) -> Field:
    return field_of(name, kind, description, lambda pair: getattr(pair[1], attribute))


KEY_FIGURES = Dataset(
    slug="key_figures",
    title=_("Key figures per year and committee"),
    description=_(
        "The figures of the key figures page, a row per year and committee: what the "
        "municipality paid and contributed, the cost it avoids, the voluntary hours and their "
        "value, proposals and dugnads."
    ),
    rows=key_figure_rows,
    fields=(
        field_of("year", INTEGER, _("The year."), lambda pair: pair[0]),
        *_committee_fields(get=lambda pair: pair[1].committee),
        _figure("grants_paid", MONEY_KRONER, _("Grants paid in the year, NOK."), "grants_paid"),
        _figure(
            "compensation_paid",
            MONEY_KRONER,
            _("Agreement compensation paid in the year, NOK."),
            "compensation_paid",
        ),
        _figure(
            "in_kind", MONEY_KRONER, _("The municipality's contributions in kind, NOK."), "in_kind"
        ),
        _figure(
            "avoided_cost",
            MONEY_KRONER,
            _("What the agreements' tasks would have cost the municipality itself, NOK."),
            "avoided_cost",
        ),
        _figure("dugnad_hours", HOURS_TENTHS, _("Hours at reported dugnads."), "dugnad_hours"),
        _figure(
            "agreement_hours",
            HOURS_TENTHS,
            _("Hours in the agreements' approved reports."),
            "agreement_hours",
        ),
        _figure(
            "value",
            MONEY_KRONER,
            _("The hours × the year's hourly value of voluntary work, NOK (empty when not set)."),
            "value",
        ),
        _figure(
            "proposals_received",
            INTEGER,
            _("Proposals submitted in the year."),
            "proposals_received",
        ),
        _figure("proposals_answered", INTEGER, _("Of those, answered."), "proposals_answered"),
        _figure("proposals_accepted", INTEGER, _("Of those, accepted."), "proposals_accepted"),
        _figure("dugnads_held", INTEGER, _("Dugnads held."), "dugnads_held"),
        _figure("participants", INTEGER, _("People taking part in them."), "participants"),
    ),
)


DATASETS = {
    d.slug: d for d in (COMMITTEES, PROPOSALS, DUGNADS, AGREEMENTS, GRANTS_PAID, KEY_FIGURES)
}


def dataset_get(slug: str) -> Dataset | None:
    return DATASETS.get(slug)
