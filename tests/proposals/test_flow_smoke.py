import pytest

from proposals import services
from proposals.models import State
from tests.factories import ProposalFactory


@pytest.mark.django_db
def test_whole_case_smoke(resident, leader, case_handler, committee):
    p = services.proposal_create_draft(
        author=resident,
        committee=committee,
        title="Flagg",
        summary="S",
        body="B",
        kind="takeover",
        category="beautification",
        location_text="Svarstad",
        task="Flaggheising",
        season="Høytidsdager",
        volunteer_hours_per_year=40,
        compensation_per_year=6000,
        municipality_provides="Flagg",
    )
    p = services.proposal_submit(proposal=p, actor=resident)
    assert p.reference.startswith("NMU-")
    p = services.proposal_transition(proposal=p, actor=leader, to_state=State.FORWARDED)
    p = services.proposal_transition(
        proposal=p, actor=case_handler, to_state=State.INFO_REQUESTED, message="Hvor mange?"
    )
    p = services.proposal_transition(
        proposal=p, actor=leader, to_state=State.IN_REVIEW, message="Atten"
    )
    services.answer_save_draft(proposal=p, actor=case_handler, outcome=State.ACCEPTED, body="Ja")
    services.answer_publish(proposal=p, actor=case_handler)
    p.refresh_from_db()
    assert p.state == State.ACCEPTED
    assert p.events.count() == 5
    services.proposal_support(proposal=ProposalFactory(committee=committee), user=resident)
    print(services.deadlines_follow_up())
