"""Load Larvik's committees and demo accounts. Idempotent; refused where demo data is not allowed.

Facts (names, parent/child structure, verified coordinates) are Larvik's own; organisation numbers,
populations and board members are illustrative and labelled so in the data.
"""

import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from committees import notifications as committee_kinds
from committees.models import (
    Committee,
    CommitteeStatus,
    Department,
    DepartmentStaff,
    Membership,
    RepresentedGroup,
    Role,
)
from committees.services import board_terms_follow_up
from committees.validators import organisation_number_check_digit
from core.staff import ADMINISTRATOR, CASE_HANDLER, group_name
from larvik_nmu.staff import ensure_staff_groups

DEMO_PASSWORD = "demo-nmu-2026"
ILLUSTRATIVE = "Illustrativt tall (demodata)"
TERM_START = datetime.date(2025, 1, 1)
TERM_END = datetime.date(2027, 1, 1)

# slug, name, parent slug, status, (lat, lon), verified, population, aged 0-19
COMMITTEES = [
    (
        "stavern",
        "Stavern",
        None,
        CommitteeStatus.ACTIVE,
        ("58.99830", "10.03560"),
        True,
        6000,
        1150,
    ),
    (
        "kvelde",
        "Kvelde",
        None,
        CommitteeStatus.REGISTERED,
        ("59.19710", "9.96770"),
        True,
        2200,
        520,
    ),
    (
        "helgeroa-nevlunghavn",
        "Helgeroa/Nevlunghavn",
        None,
        CommitteeStatus.CONSTITUTED,
        ("58.99390", "9.86280"),
        True,
        1700,
        300,
    ),
    (
        "tjollingvollen",
        "Tjøllingvollen",
        None,
        CommitteeStatus.CONSTITUTED,
        ("59.04700", "10.12500"),
        False,
        3100,
        700,
    ),
    (
        "ostre-halsen",
        "Østre Halsen",
        None,
        CommitteeStatus.REGISTERED,
        ("59.05500", "10.06000"),
        False,
        4300,
        1000,
    ),
    (
        "larvik-sentrum",
        "Larvik sentrum",
        None,
        CommitteeStatus.ACTIVE,
        ("59.08110", "10.01640"),
        True,
        11000,
        2100,
    ),
    (
        "nanset",
        "Nanset",
        "larvik-sentrum",
        CommitteeStatus.CONSTITUTED,
        ("59.06700", "10.03000"),
        False,
        4200,
        900,
    ),
    (
        "torstrand",
        "Torstrand",
        "larvik-sentrum",
        CommitteeStatus.CONSTITUTED,
        ("59.05200", "10.04000"),
        False,
        3000,
        600,
    ),
    (
        "langestrand",
        "Langestrand",
        "larvik-sentrum",
        CommitteeStatus.FORMING,
        ("59.04600", "10.03800"),
        False,
        1800,
        350,
    ),
    (
        "svarstad",
        "Svarstad",
        None,
        CommitteeStatus.ACTIVE,
        ("59.40170", "9.96140"),
        True,
        1100,
        260,
    ),
    (
        "ostre-hedrum",
        "Østre Hedrum",
        None,
        CommitteeStatus.FORMING,
        ("59.17000", "10.08000"),
        False,
        None,
        None,
    ),
    (
        "verningen",
        "Verningen",
        None,
        CommitteeStatus.FORMING,
        ("59.07000", "10.20000"),
        False,
        None,
        None,
    ),
    (
        "hvarnes",
        "Hvarnes",
        None,
        CommitteeStatus.FORMING,
        ("59.33000", "10.00000"),
        False,
        None,
        None,
    ),
]

DESCRIPTIONS = {
    "svarstad": (
        "Svarstad nærmiljøutvalg samler lag, foreninger, næringsliv, skole og eldre i Svarstad. "
        "Vi spurte kommunen: «Kan ikke vi ta over noen av kommunens oppgaver?» – og jobber nå med "
        "flaggheising, beplanting og felles dugnader."
    ),
    "stavern": "Stavern nærmiljøutvalg jobber for møteplasser for alle og et levende sentrum.",
    "larvik-sentrum": "Larvik sentrum er delt i undergruppene Nanset, Torstrand og Langestrand.",
}

DEPARTMENTS = [
    ("kultur-og-idrett", "Kultur og idrett", "kultur@larvik.kommune.no"),
    ("park-og-friomrader", "Park og friområder", "park@larvik.kommune.no"),
]

# e-mail, full name, kind, (committee slug, role, represents) or department slug
USERS = [
    ("innbygger@example.no", "Ingrid Innbygger", "resident", None),
    (
        "leder.svarstad@example.no",
        "Sverre Svarstad",
        "leader",
        ("svarstad", Role.LEADER, RepresentedGroup.VOLUNTARY),
    ),
    (
        "leder.stavern@example.no",
        "Stine Stavern",
        "leader",
        ("stavern", Role.LEADER, RepresentedGroup.BUSINESS),
    ),
    (
        "styremedlem@example.no",
        "Bjørn Styre",
        "board",
        ("svarstad", Role.BOARD_MEMBER, RepresentedGroup.YOUTH),
    ),
    ("saksbehandler@example.no", "Kari Saksbehandler", "case_handler", "kultur-og-idrett"),
    # Park og friområder's case handler: the park tasks' agreements are with that department.
    ("park@example.no", "Per Parkvik", "case_handler", "park-og-friomrader"),
    ("admin@example.no", "Anne Administrator", "admin", None),
    # Leaders of the other registered committees (a registered committee always has one).
    (
        "leder.kvelde@example.no",
        "Kjell Kvelde",
        "leader",
        ("kvelde", Role.LEADER, RepresentedGroup.INDIVIDUAL),
    ),
    (
        "leder.ostre-halsen@example.no",
        "Hanne Halsen",
        "leader",
        ("ostre-halsen", Role.LEADER, RepresentedGroup.VOLUNTARY),
    ),
    (
        "leder.sentrum@example.no",
        "Lars Sentrum",
        "leader",
        ("larvik-sentrum", Role.LEADER, RepresentedGroup.BUSINESS),
    ),
    (
        "skole.svarstad@example.no",
        "Siri Skole",
        "board",
        ("svarstad", Role.SECRETARY, RepresentedGroup.MUNICIPAL_UNIT),
    ),
]


def illustrative_organisation_number(index: int) -> str:
    """A number that passes MOD11, made up for demo data (starts with 9, like real ones)."""
    base = 92_000_000 + index * 7919
    while True:
        digits = str(base)
        check = organisation_number_check_digit(digits)
        if check is not None:
            return f"{digits}{check}"
        base += 1


class Command(BaseCommand):
    help = "Load Larvik's committees, two departments and demo users (idempotent)."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("seed_demo is not allowed with these settings (production?).")
        with transaction.atomic():
            ensure_staff_groups()  # as post_migrate does; a restored database gets them too
            self._committees()
            self._departments()
            self._users()
            self._notifications()
            self._proposals()
            self._dugnads()
            self._agreements()
            self._grants()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Demo password: {DEMO_PASSWORD}"))

    def _committees(self):
        slugs = {}
        for index, (slug, name, parent, status, (lat, lon), verified, pop, young) in enumerate(
            COMMITTEES
        ):
            registered = status in (CommitteeStatus.REGISTERED, CommitteeStatus.ACTIVE)
            committee, _ = Committee.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "parent": slugs.get(parent),
                    "status": status,
                    "organisation_number": illustrative_organisation_number(index)
                    if registered
                    else "",
                    "registered_on": datetime.date(2024, 3, 1) if registered else None,
                    "description": DESCRIPTIONS.get(slug, "")
                    + ("\n\nOrganisasjonsnummeret er fiktivt (demodata)." if registered else ""),
                    "latitude": Decimal(lat),
                    "longitude": Decimal(lon),
                    "location_verified": verified,
                    "population": pop,
                    "population_0_19": young,
                    "population_reference_date": datetime.date(2025, 1, 1) if pop else None,
                    "population_source": ILLUSTRATIVE if pop else "",
                    "contact_email": f"{slug}@nmu.example.no",
                },
            )
            slugs[slug] = committee

    def _departments(self):
        for slug, name, email in DEPARTMENTS:
            Department.objects.update_or_create(slug=slug, defaults={"name": name, "email": email})

    def _notifications(self):
        """Something in every board member's bell: a welcome, and the term reminders as they
        go out 30 days before the demo terms end (dedupe keys keep this idempotent)."""
        from notifications.services import notify

        for membership in Membership.objects.filter(role=Role.BOARD_MEMBER).select_related(
            "user", "committee"
        ):
            notify(
                recipients=[membership.user],
                kind=committee_kinds.BOARD_ADDED,
                context={"membership": membership, "actor": "Larvik kommune"},
                target=membership.committee,
                dedupe_key=f"membership:{membership.pk}:added",
            )
        board_terms_follow_up(
            today=TERM_END - datetime.timedelta(days=committee_kinds.TERM_REMINDER_DAYS)
        )

    def _users(self):
        User = get_user_model()
        for email, full_name, kind, extra in USERS:
            user, created = User.objects.get_or_create(
                email=email, defaults={"full_name": full_name}
            )
            user.full_name = full_name
            user.is_staff = kind in ("case_handler", "admin")
            user.is_superuser = kind == "admin"
            if created or not user.has_usable_password():
                user.set_password(DEMO_PASSWORD)
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if kind == "case_handler":
                user.groups.add(Group.objects.get(name=group_name(CASE_HANDLER)))
                DepartmentStaff.objects.update_or_create(
                    user=user, defaults={"department": Department.objects.get(slug=extra)}
                )
            if kind == "admin":
                user.groups.add(Group.objects.get(name=group_name(ADMINISTRATOR)))
            if isinstance(extra, tuple):
                slug, role, represents = extra
                Membership.objects.update_or_create(
                    user=user,
                    committee=Committee.objects.get(slug=slug),
                    role=role,
                    defaults={
                        "represents": represents,
                        "term_start": TERM_START,
                        "term_end": TERM_END,
                    },
                )

    def _proposals(self):
        """A dozen proposals in every state, made through the services so each has a real
        timeline. Idempotent: a title that exists is left as it is."""
        from proposals.demo import seed_proposals

        seed_proposals()

    def _dugnads(self):
        """Upcoming dugnads (one full with a waiting list, one waiting for its container, one
        born from a resident's proposal) and this year's reported ones, with hours."""
        from dugnads.demo import seed_dugnads

        seed_dugnads()

    def _agreements(self):
        """Larvik's 2024 park tasks as agreements (active with a paid and an overdue instalment,
        a returned report, one expiring) and Svarstad's flag raising awaiting the
        municipality's signature."""
        from agreements.demo import seed_agreements

        seed_agreements(password=DEMO_PASSWORD)

    def _grants(self):
        """The 2023 start-up grant's allocations (paid; the committees not yet registered
        reserved), a 2024 forskjønning grant paid after its report, this year's open schemes
        with an application awaiting an answer, and last year's annual reports in every state."""
        from grants.demo import seed_grants

        seed_grants(password=DEMO_PASSWORD)
