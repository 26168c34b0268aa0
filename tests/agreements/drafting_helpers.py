"""The demo's take-over proposal (Svarstad's flag raising, proposals/demo.py) as a fixture, and
helpers shared by the drafting tests."""

import pytest

from tests.factories import ProposalFactory


@pytest.fixture
def takeover(committee, resident, department):
    """Svarstad's accepted proposal to take over flag raising, assigned to the case handler's
    department (as in the demo)."""
    return ProposalFactory(
        committee=committee,
        author=resident,
        kind="takeover",
        category="beautification",
        state="accepted",
        department=department,
        title="Kan ikke vi ta over noen av kommunens oppgaver? Flaggheising i Svarstad",
        summary="Nærmiljøutvalget vil heise flagget i Svarstad på alle offisielle flaggdager, "
        "mot en fast årlig kompensasjon.",
        body="I dag kjører kommunen ut fra Larvik for å heise flagget i Svarstad.",
        location_text="Flaggstanga ved Svarstad sentrum",
        task="Flaggheising på offisielle flaggdager",
        season="Hele året, ca. 20 flaggdager",
        volunteer_hours_per_year=40,
        compensation_per_year=6000,
        municipality_provides="Flagg, vimpel og nøkkel til flaggstanga",
    )
