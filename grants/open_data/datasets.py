"""The datasets: one declaration each (slug, title, description, rows, fields)."""

from django.utils.translation import gettext_lazy as _

from agreements.states import PUBLIC_STATES as AGREEMENT_PUBLIC_STATES
from agreements.states import Kind as AgreementKind
from agreements.states import State as AgreementState
from committees.models import CommitteeStatus
from dugnads.states import PUBLIC_STATES as DUGNAD_PUBLIC_STATES
from dugnads.states import State as DugnadState
from proposals.states import OUTCOMES, Category, Kind, State

from ..states import SchemeKind
from .rows import (
    _grant_of,
    _scheme_of,
    agreement_rows,
    committee_rows,
    dugnad_rows,
    grant_payment_rows,
    proposal_outcome,
    proposal_rows,
)
from .schema import (
    DATE,
    DATETIME,
    DECIMAL,
    HOURS_TENTHS,
    INTEGER,
    MONEY_KRONER,
    STRING,
    Dataset,
    Field,
    field_of,
)

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
    from ..key_figures import figures_for_year, years_available

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
