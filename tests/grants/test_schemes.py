"""A scheme written through its services: only case handlers; an approved list's rules fixed, its
name and source not; a scheme with allocations keeps its kind; the boards' notice says the sum
or the reason; an application scheme's admin page has no allocation list."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from grants.models import GrantScheme
from grants.services.allocations import allocations_approve, allocations_compute
from grants.services.schemes import scheme_create, scheme_update
from tests.factories import MembershipFactory, PopulationFigureFactory

pytestmark = pytest.mark.django_db


def fields(department, **extra):
    return {
        "year": 2024,
        "name": "Driftstilskudd",
        "kind": "formula",
        "department": department,
        "pot": Decimal(700_000),
        "source": "Kommunestyret sak 12/24",
        "base_amount": Decimal(50_000),
        "rate_per_resident": Decimal(40),
        **extra,
    }


def test_a_case_handler_creates_a_scheme(case_handler, department):
    scheme = scheme_create(actor=case_handler, **fields(department))
    assert scheme.pk and scheme.allocation_state == "draft"


@pytest.mark.parametrize("who", ["resident", "leader", "staff_without_group"])
def test_only_case_handlers_keep_schemes(request, who, department, formula_scheme):
    actor = request.getfixturevalue(who)
    with pytest.raises(ValidationError):
        scheme_create(actor=actor, **fields(department))
    with pytest.raises(ValidationError):
        scheme_update(scheme=formula_scheme, actor=actor, name="Nytt navn")
    assert not GrantScheme.objects.filter(name__in=["Driftstilskudd", "Nytt navn"]).exists()


def test_the_rules_are_checked(case_handler, department):
    with pytest.raises(ValidationError) as refused:
        scheme_create(actor=case_handler, **fields(department, base_amount=0, rate_per_resident=0))
    assert "base_amount" in refused.value.message_dict
    with pytest.raises(ValidationError):
        scheme_create(actor=case_handler, **fields(department, allocation_state="approved"))


def test_a_formula_scheme_is_not_paid_afterwards(case_handler, department):
    """Nothing reports on a formula grant: it is paid when its list is approved."""
    with pytest.raises(ValidationError) as refused:
        scheme_create(actor=case_handler, **fields(department, payment_rule="afterwards"))
    assert "payment_rule" in refused.value.message_dict
    assert not GrantScheme.objects.exists()
    application_based = fields(department, kind="application", payment_rule="afterwards")
    assert scheme_create(actor=case_handler, **application_based).pk


def test_an_approved_lists_rules_are_fixed_but_not_its_name(
    case_handler, formula_scheme, committee
):
    PopulationFigureFactory(committee=committee)
    committee.registered_on = datetime.date(2022, 1, 1)
    committee.save()
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    allocations_approve(scheme=formula_scheme, actor=case_handler)
    for name, value in [
        ("pot", Decimal(2_000_000)),
        ("base_amount", Decimal(1)),
        ("rate_per_resident", Decimal(1)),
        ("age_to", 18),
        ("requires_registration", False),
        ("over_pot_rule", "hold_back"),
    ]:
        with pytest.raises(ValidationError) as refused:
            scheme_update(scheme=formula_scheme, actor=case_handler, **{name: value})
        assert name in refused.value.message_dict
    # The same value again is no change.
    scheme_update(scheme=formula_scheme, actor=case_handler, pot=formula_scheme.pot)
    updated = scheme_update(
        scheme=formula_scheme, actor=case_handler, name="Oppstart", source="Sak 45/23"
    )
    assert updated.name == "Oppstart" and updated.pot == Decimal(1_000_000)


def test_a_scheme_with_allocations_keeps_its_kind(case_handler, formula_scheme, committee):
    PopulationFigureFactory(committee=committee)
    allocations_compute(scheme=formula_scheme, actor=case_handler)
    with pytest.raises(ValidationError) as refused:
        scheme_update(scheme=formula_scheme, actor=case_handler, kind="application")
    assert "kind" in refused.value.message_dict


def test_the_boards_are_told_the_sum_or_the_reason(
    case_handler, formula_scheme, committee, other_committee, leader
):
    committee.registered_on = datetime.date(2022, 1, 1)
    committee.save()
    PopulationFigureFactory(committee=committee, residents_in_range=260)
    PopulationFigureFactory(committee=other_committee, residents_in_range=1_150)
    other_leader = MembershipFactory(committee=other_committee, role="leader").user
    with translation.override("en"):  # worked out by an English-speaking case handler
        allocations_compute(scheme=formula_scheme, actor=case_handler)
        allocations_approve(scheme=formula_scheme, actor=case_handler)
    # Written in each recipient's language (Norwegian here), the reason too.
    paid = leader.notifications.get(kind="grant.allocation_approved")
    assert "Svarstad er tildelt" in paid.body
    reserved = other_leader.notifications.get(kind="grant.allocation_approved")
    assert "kan ikke utbetales ennå" in reserved.body
    assert "(mangler registreringsdato)" in reserved.body
    assert "no registration date" not in reserved.body


def test_an_application_schemes_admin_page_has_no_allocation_list(
    client, case_handler, application_scheme
):
    client.cookies["nmu_language"] = "en"
    client.force_login(case_handler)
    page = client.get(reverse("admin:grants_grantscheme_change", args=[application_scheme.pk]))
    assert page.status_code == 200
    assert "The allocation list" not in page.content.decode()
    assert not page.context["inline_admin_formsets"]
