import pytest
from django.core.management import CommandError, call_command

from committees.models import Committee, CommitteeStatus, Membership, Role

pytestmark = pytest.mark.django_db

LARVIK = {
    "Stavern",
    "Kvelde",
    "Helgeroa/Nevlunghavn",
    "Tjøllingvollen",
    "Østre Halsen",
    "Larvik sentrum",
    "Nanset",
    "Torstrand",
    "Langestrand",
    "Svarstad",
    "Østre Hedrum",
    "Verningen",
    "Hvarnes",
}


def test_seed_demo_is_idempotent_and_complete():
    call_command("seed_demo", verbosity=0)
    counts = (Committee.objects.count(), Membership.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Committee.objects.count(), Membership.objects.count()) == counts
    assert set(Committee.objects.values_list("name", flat=True)) == LARVIK
    sentrum = Committee.objects.get(slug="larvik-sentrum")
    assert {c.name for c in sentrum.children.all()} == {"Nanset", "Torstrand", "Langestrand"}
    forming = set(
        Committee.objects.filter(status=CommitteeStatus.FORMING, parent=None).values_list(
            "name", flat=True
        )
    )
    assert {"Østre Hedrum", "Verningen", "Hvarnes"} <= forming
    svarstad = Committee.objects.get(slug="svarstad")
    assert (float(svarstad.latitude), float(svarstad.longitude)) == (59.4017, 9.9614)
    assert svarstad.location_verified
    assert not Committee.objects.get(slug="tjollingvollen").location_verified
    assert "Illustrativt" in svarstad.population_source


def test_registered_demo_committees_obey_the_registration_rule():
    call_command("seed_demo", verbosity=0)
    for committee in Committee.objects.filter(
        status__in=[CommitteeStatus.REGISTERED, CommitteeStatus.ACTIVE]
    ):
        assert committee.organisation_number
        assert Membership.objects.current().filter(committee=committee, role=Role.LEADER).exists()
        committee.full_clean()


def test_demo_users_can_log_in(client):
    call_command("seed_demo", verbosity=0)
    for email in ["innbygger@example.no", "leder.svarstad@example.no", "saksbehandler@example.no"]:
        response = client.post("/konto/login/", {"login": email, "password": "demo-nmu-2026"})
        assert response.status_code == 302, email
        client.logout()


def test_seed_demo_refuses_where_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
    assert not Committee.objects.exists()


def test_demo_proposals_cover_every_state_with_real_timelines():
    from proposals.models import Kind, Proposal, State

    call_command("seed_demo", verbosity=0)
    count = Proposal.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Proposal.objects.count() == count >= 13
    assert set(Proposal.objects.values_list("state", flat=True)) == set(State.values)
    flags = Proposal.objects.get(title__startswith="Kan ikke vi ta over noen av kommunens")
    assert flags.kind == Kind.TAKEOVER and flags.committee.slug == "svarstad"
    assert flags.events.count() >= 6 and flags.answer.is_published
    for proposal in Proposal.objects.exclude(state=State.DRAFT):
        assert proposal.events.filter(to_state=proposal.state).exists(), proposal
    overdue = Proposal.objects.get(title="Løvblåsing i Bøkeskogen")
    assert overdue.is_overdue
