"""The grants demo (grants.demo, run by ``seed_demo``): what issue 13 names — the 2023 start-up
scheme with its allocations (a committee not yet registered shown as reserved, the others paid),
a 2024 forskjønning grant paid after its report, an application awaiting an answer, annual
reports in every state — all made through the services, and ``seed_demo`` run twice is fine.

The demo is seeded once for the module (it takes seconds) inside a transaction rolled back at
the end; each test runs in its own savepoint within it, as pytest-django's ``django_db`` does."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from agreements.models import Payment, PaymentSource
from grants.demo import ACTIVITY, BEAUTIFY, FIGURES, KVELDE_ACTIVITY, START_UP, STAVERN_FLOWERS
from grants.models import (
    AllocationListState,
    AllocationState,
    AnnualReport,
    AnnualReportState,
    Application,
    ApplicationEvent,
    ApplicationState,
    GrantScheme,
    PhotoKind,
    PopulationFigure,
)
from grants.services.allocations import pot_check
from grants.services.application_reports import report_hours

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def test_the_start_up_scheme_is_approved_with_a_reserved_committee_and_the_rest_paid(demo):
    scheme = GrantScheme.objects.get(year=2023, name=START_UP)
    assert (scheme.pot, scheme.base_amount, scheme.rate_per_resident) == (1_000_000, 80_000, 87)
    assert (scheme.age_from, scheme.age_to) == (0, 19)
    assert scheme.source == "Larvik kommune, kommunestyret 2023"
    assert scheme.department.name == "Kultur og idrett"
    assert scheme.allocation_state == AllocationListState.APPROVED
    figures = PopulationFigure.objects.filter(reference_date="2023-01-01")
    assert {f.committee.slug for f in figures} == set(FIGURES)
    assert all(f.source.startswith("SSB, befolkning etter grunnkrets") for f in figures)

    allocations = {a.committee.slug: a for a in scheme.allocations.select_related("payment")}
    # The formula's worked example (before the pot rule): Svarstad 80 000 + 87 × 210.
    assert allocations["svarstad"].formula_amount == Decimal(80_000 + 87 * 210)
    # Not registered in Frivillighetsregisteret: reserved, not payable, with the reason.
    reserved = allocations["helgeroa-nevlunghavn"]
    assert reserved.state == AllocationState.RESERVED and reserved.payment is None
    assert reserved.reasons == [{"code": "no_organisation_number", "params": {}}]
    payable = [a for a in allocations.values() if a.state == AllocationState.PAYABLE]
    assert {a.committee.slug for a in payable} == {
        "stavern",
        "kvelde",
        "ostre-halsen",
        "larvik-sentrum",
        "svarstad",
    }
    # Every payable allocation's payment is made, on the agreements' payment machinery.
    for allocation in payable:
        payment = allocation.payment
        assert payment.source == PaymentSource.GRANT and payment.agreement_id is None
        assert payment.committee == allocation.committee and payment.amount == allocation.amount
        assert payment.paid_on is not None and payment.voucher
    check = pot_check(scheme)
    assert not check.over and check.total <= scheme.pot


def test_the_2024_forskjonning_grant_was_paid_after_its_report(demo):
    application = Application.objects.select_related("scheme", "payment").get(title=STAVERN_FLOWERS)
    scheme = application.scheme
    assert (scheme.name, scheme.year, scheme.pot) == (BEAUTIFY, 2024, 200_000)
    assert scheme.paid_afterwards
    assert application.state == ApplicationState.PAYABLE
    # The report: actual costs with receipts, hours (a linked reported dugnad's among them),
    # photos before and after.
    costs = application.budget_lines.filter(actual=True)
    assert costs.exists() and all(line.receipt for line in costs)
    assert application.dugnads.exists()
    assert report_hours(application) > application.actual_hours > 0
    kinds = set(application.photos.values_list("kind", flat=True))
    assert kinds == {PhotoKind.BEFORE, PhotoKind.AFTER}
    # Paid: the smaller of the amount granted and the actual costs, once the report was approved.
    actual = sum(line.amount for line in costs)
    assert application.payment.amount == min(application.amount_granted, actual)
    assert application.payment.paid_on is not None
    steps = list(application.events.order_by("pk").values_list("kind", "to_state"))
    transitions = [state for kind, state in steps if kind == ApplicationEvent.Kind.TRANSITION]
    assert transitions[-4:] == [
        ApplicationState.SUBMITTED,
        ApplicationState.GRANTED,
        ApplicationState.REPORTED,
        ApplicationState.PAYABLE,
    ]
    assert (ApplicationEvent.Kind.PAYMENT_PAID, ApplicationState.PAYABLE) in steps


def test_this_years_schemes_are_open_and_an_application_awaits_its_answer(demo):
    year = timezone.localdate().year
    activity = GrantScheme.objects.get(year=year, name=ACTIVITY)
    assert activity.max_amount == 5_000 and not activity.paid_afterwards
    assert "19" in activity.priority
    waiting = Application.objects.get(title=KVELDE_ACTIVITY)
    assert waiting.scheme == activity and waiting.state == ApplicationState.SUBMITTED
    assert waiting.answer_due is not None
    assert GrantScheme.objects.get(year=year, name=BEAUTIFY).paid_afterwards


def test_annual_reports_in_every_state(demo):
    reports = AnnualReport.objects.filter(year=timezone.localdate().year - 1)
    assert set(reports.values_list("state", flat=True)) == set(AnnualReportState.values)
    returned = reports.get(state=AnnualReportState.RETURNED)
    assert returned.comment
    for report in reports.exclude(state=AnnualReportState.OPEN):
        assert report.documents.count() == 4  # the whole checklist
        assert all(d.content_type == "application/pdf" for d in report.documents.all())
        assert report.elected.exists()


def test_seed_demo_twice_adds_nothing(demo):
    counts = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == counts


def _counts():
    from grants.models import Allocation, ApplicationPhoto, BudgetLine

    return {
        model.__name__: model.objects.count()
        for model in (
            GrantScheme,
            PopulationFigure,
            Allocation,
            Application,
            BudgetLine,
            ApplicationPhoto,
            AnnualReport,
            Payment,
        )
    }
