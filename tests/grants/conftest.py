"""Shared fixtures for the grants tests: the Svarstad committee (tests/conftest.py's
``committee``, ``leader``, ``board_member``) and the case handler's department, which runs the
schemes."""

import pytest

from tests.factories import (
    ApplicationFactory,
    ApplicationSchemeFactory,
    GrantSchemeFactory,
    PopulationFigureFactory,
)


@pytest.fixture
def department(case_handler):
    """The case handler's department: it runs the schemes and pays the grants."""
    return case_handler.department_staff.department


@pytest.fixture
def formula_scheme(department):
    """Larvik 2023: 80 000 kr + 87 kr per resident aged 0–19, pot 1 000 000 kr."""
    return GrantSchemeFactory(department=department, name="Oppstartstilskudd")


@pytest.fixture
def figures(committee, other_committee):
    """Residents aged 0–19: Svarstad 1 000, Stavern 2 000 (1 January 2023)."""
    return [
        PopulationFigureFactory(committee=committee, residents_in_range=1_000),
        PopulationFigureFactory(committee=other_committee, residents_in_range=2_000),
    ]


@pytest.fixture
def application_scheme(department):
    """Tilskudd til forskjønning, this year: 200 000 kr pot, at most 50 000 kr, paid afterwards."""
    return ApplicationSchemeFactory(department=department, name="Tilskudd til forskjønning")


@pytest.fixture
def application(committee, application_scheme):
    """A draft application from Svarstad for 15 000 kr."""
    return ApplicationFactory(committee=committee, scheme=application_scheme)
