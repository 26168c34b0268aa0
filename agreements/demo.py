"""Demo agreements for ``seed_demo``, made through the services so each has a real timeline,
real signatures with their hashes, and a real economic picture.

Larvik's own 2024 offer to volunteers ("Utlysning av parkoppgaver til frivillige lag og
foreninger") as agreements with Park og friområder:

- Larvik sentrum: leaf blowing in Bøkeskogen twice a year (about 40 hours each time, with the
  municipality's blowers, 12 000 kr) — active, one instalment paid, one overdue; the spring
  report approved, the autumn report due;
- Larvik sentrum: flag raising on 18 poles in Larvik (25 000 kr) — active, its report returned
  with a comment;
- Stavern: flag raising in Stavern (6 000 kr) — expiring, in its notice period.

And Svarstad's own proposal to raise the flag becomes a draft (Kultur og idrett), signed by the
committee's leader and awaiting the municipality's signature.

Idempotent: a title that exists is left as it is. ``password`` is the demo users' password (the
signatures are real: signing asks for it).
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from committees.models import Committee, Department, Membership, Role
from proposals.models import Proposal

from . import services
from .models import Agreement, Party
from .services.payments import payment_mark_paid
from .services.renewal import agreements_follow_up
from .services.reports import report_approve, report_return, report_submit
from .services.signing import agreement_sign
from .terms import terms_hash

PARK = "park-og-friomrader"
CULTURE = "kultur-og-idrett"
SIGNERS = {PARK: "park@example.no", CULTURE: "saksbehandler@example.no"}
SVARSTAD_PROPOSAL = "Kan ikke vi ta over noen av kommunens oppgaver? Flaggheising i Svarstad"


def _leader(slug: str):
    membership = (
        Membership.objects.current()
        .filter(committee__slug=slug, role=Role.LEADER)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _signer(department_slug: str):
    """The department's case handler, with the right to sign for it (given person by person)."""
    user = get_user_model().objects.get(email=SIGNERS[department_slug])
    user.user_permissions.add(Permission.objects.get(codename="sign_agreement"))
    return get_user_model().objects.get(pk=user.pk)  # has_perm caches


def _sign_both(agreement: Agreement, *, leader, signer, password: str) -> Agreement:
    agreement = services.agreement_send(agreement=agreement, actor=signer)
    agreement_sign(
        agreement=agreement,
        actor=leader,
        party=Party.COMMITTEE,
        password=password,
        terms_sha256=terms_hash(agreement),
        role="Leder",
    )
    agreement_sign(
        agreement=agreement,
        actor=signer,
        party=Party.MUNICIPALITY,
        password=password,
        terms_sha256=terms_hash(Agreement.objects.get(pk=agreement.pk)),
        role="Saksbehandler, på vegne av virksomheten",
    )
    return Agreement.objects.get(pk=agreement.pk)


def _draft(slug, department_slug, *, title, tasks, provisions=(), plan=(), duties=(), **fields):
    committee = Committee.objects.get(slug=slug)
    if Agreement.objects.filter(committee=committee, title=title).exists():
        return None
    signer = _signer(department_slug)
    agreement = services.agreement_create(
        committee=committee,
        department=Department.objects.get(slug=department_slug),
        actor=signer,
        title=title,
        **fields,
    )
    for position, task in enumerate(tasks):
        services.task_save(agreement=agreement, actor=signer, position=position, **task)
    for provision in provisions:
        services.provision_save(agreement=agreement, actor=signer, **provision)
    for due_on, amount, description in plan:
        services.payment_plan_save(
            agreement=agreement, actor=signer, due_on=due_on, amount=amount, description=description
        )
    for due_on, title_ in duties:
        services.duty_save(agreement=agreement, actor=signer, due_on=due_on, title=title_)
    return agreement, signer


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _year_start(offset: int = 0) -> datetime.date:
    return datetime.date(timezone.localdate().year + offset, 1, 1)


def _leaf_blowing(password: str) -> None:
    year = timezone.localdate().year
    made = _draft(
        "larvik-sentrum",
        PARK,
        title="Løvblåsing i Bøkeskogen",
        kind="maintenance",
        terms=(
            "Nærmiljøutvalget blåser løv av turveiene i Bøkeskogen to ganger i året, vår og "
            "høst, med kommunens løvblåsere. Kommunen henter løvhaugene innen en uke. Utvalget "
            "rapporterer etter hver sesong med datoer og timer."
        ),
        starts_on=_year_start(),
        ends_on=datetime.date(year + 1, 12, 31),
        notice_months=3,
        renewal="by_agreement",
        municipal_cost_per_year=Decimal(32_000),
        municipal_cost_basis=(
            "2 × 40 timer × 400 kr for parkavdelingens mannskap og maskiner (regnskapet 2023)"
        ),
        own_contribution_per_year=Decimal(1_500),
        tasks=[
            {
                "kind": "leaf_blowing",
                "description": "Blåse løv av turveiene og samle det i hauger ved veikanten.",
                "locations": "Bøkeskogen, turveiene fra Kongegata\nBøkeskogen, rundt Kongehaugen",
                "season": "April og oktober–november",
                "frequency": "To ganger i året, ca. 40 timer hver gang",
                "hours_per_year": Decimal(80),
                "pricing": "fixed",
                "amount": Decimal(12_000),
            }
        ],
        provisions=[
            {
                "kind": "equipment",
                "description": "Fire løvblåsere med drivstoff",
                "value_per_year": Decimal(2_000),
            },
            {
                "kind": "training",
                "description": "Opplæring i bruk av løvblåserne",
                "value_per_year": Decimal(500),
            },
        ],
        plan=[
            (_days(-150), Decimal(6_000), f"Vårsesongen {year}"),
            (_days(-10), Decimal(6_000), f"Høstsesongen {year}"),
            (datetime.date(year + 1, 6, 1), Decimal(6_000), f"Vårsesongen {year + 1}"),
            (datetime.date(year + 1, 11, 15), Decimal(6_000), f"Høstsesongen {year + 1}"),
        ],
        duties=[
            (_days(-120), f"Vårsesongen {year}"),
            (_days(20), f"Høstsesongen {year}"),
            (datetime.date(year + 1, 6, 30), f"Vårsesongen {year + 1}"),
            (datetime.date(year + 2, 1, 15), f"Høstsesongen {year + 1}"),
        ],
    )
    if made is None:
        return
    agreement, signer = made
    leader = _leader("larvik-sentrum")
    agreement = _sign_both(agreement, leader=leader, signer=signer, password=password)
    first = agreement.payments.order_by("due_on").first()
    payment_mark_paid(payment=first, actor=signer, paid_on=_days(-140), voucher="BILAG-2026-0412")
    spring = agreement.report_duties.order_by("due_on").first()
    task = agreement.tasks.get()
    report_submit(
        duty=spring,
        actor=leader,
        summary="Vi blåste løv av alle turveiene i to helger. Kommunen hentet haugene uka etter.",
        lines=[
            {
                "task": task,
                "done_on": _days(-135),
                "hours": Decimal(22),
                "documented_cost": 0,
                "note": "Lørdag, 8 personer",
            },
            {
                "task": task,
                "done_on": _days(-134),
                "hours": Decimal(19),
                "documented_cost": 0,
                "note": "Søndag, 7 personer",
            },
        ],
    )
    report_approve(duty=spring, actor=signer)


def _flags_larvik(password: str) -> None:
    year = timezone.localdate().year
    made = _draft(
        "larvik-sentrum",
        PARK,
        title="Flaggheising på 18 flaggstenger i Larvik",
        kind="operation",
        terms=(
            "Nærmiljøutvalget heiser og tar ned flaggene på kommunens 18 flaggstenger i Larvik "
            "sentrum på alle offisielle flaggdager. Kommunen holder flagg og snorer."
        ),
        starts_on=_year_start(),
        ends_on=datetime.date(year + 1, 12, 31),
        notice_months=2,
        renewal="automatic",
        municipal_cost_per_year=Decimal(45_000),
        municipal_cost_basis="18 stenger × ca. 20 flaggdager × 15 min, to mann med bil",
        tasks=[
            {
                "kind": "flag_raising",
                "description": "Heise flagget om morgenen og ta det ned ved solnedgang.",
                "locations": "\n".join(
                    ["Torget", "Rådhuset", "Tollboden", "Bøkeskogen", "Herregården"]
                    + [f"Kongegata {n}" for n in range(1, 14)]
                ),
                "season": "Hele året",
                "frequency": "Offisielle flaggdager, ca. 20 i året",
                "hours_per_year": Decimal(60),
                "pricing": "fixed",
                "amount": Decimal(25_000),
            }
        ],
        provisions=[
            {
                "kind": "materials",
                "description": "Flagg, vimpler og snorer",
                "value_per_year": Decimal(4_000),
            },
        ],
        plan=[
            (datetime.date(year, 12, 15), Decimal(25_000), f"Året {year}"),
            (datetime.date(year + 1, 12, 15), Decimal(25_000), f"Året {year + 1}"),
        ],
        duties=[(_days(-5), f"Første halvår {year}")],
    )
    if made is None:
        return
    agreement, signer = made
    leader = _leader("larvik-sentrum")
    agreement = _sign_both(agreement, leader=leader, signer=signer, password=password)
    duty = agreement.report_duties.get()
    report_submit(
        duty=duty,
        actor=leader,
        summary="Flagget er heist på alle flaggdagene i første halvår.",
        lines=[
            {
                "task": agreement.tasks.get(),
                "done_on": _days(-30),
                "hours": Decimal(28),
                "documented_cost": 0,
                "note": "",
            }
        ],
    )
    report_return(
        duty=duty,
        actor=signer,
        comment="Før opp datoene for hver flaggdag, så vi kan stemme dem av mot flaggkalenderen.",
    )


def _flags_stavern(password: str) -> None:
    starts = _days(-300)
    made = _draft(
        "stavern",
        PARK,
        title="Flaggheising i Stavern",
        kind="operation",
        terms="Nærmiljøutvalget heiser flagget i Stavern sentrum på offisielle flaggdager.",
        starts_on=starts,
        ends_on=starts.replace(year=starts.year + 1) - datetime.timedelta(days=1),
        notice_months=3,
        renewal="by_agreement",
        municipal_cost_per_year=Decimal(10_000),
        municipal_cost_basis="20 flaggdager × 1 time × 500 kr",
        tasks=[
            {
                "kind": "flag_raising",
                "locations": "Flaggstanga på Torvet i Stavern\nFlaggstanga ved Stavern kirke",
                "season": "Hele året",
                "frequency": "Offisielle flaggdager",
                "hours_per_year": Decimal(30),
                "pricing": "fixed",
                "amount": Decimal(6_000),
            }
        ],
        plan=[(starts + datetime.timedelta(days=180), Decimal(6_000), "Hele perioden")],
        duties=[(starts.replace(year=starts.year + 1) + datetime.timedelta(days=30), "Året")],
    )
    if made is None:
        return
    agreement, signer = made
    agreement = _sign_both(agreement, leader=_leader("stavern"), signer=signer, password=password)
    payment_mark_paid(
        payment=agreement.payments.get(),
        actor=signer,
        paid_on=starts + datetime.timedelta(days=185),
        voucher="BILAG-2026-0188",
    )


def _svarstad(password: str) -> None:
    proposal = Proposal.objects.filter(committee__slug="svarstad", title=SVARSTAD_PROPOSAL).first()
    if proposal is None or Agreement.objects.filter(origin_proposal=proposal).exists():
        return
    signer = _signer(CULTURE)
    agreement = services.agreement_create_from_proposal(
        proposal=proposal, actor=signer, department=Department.objects.get(slug=CULTURE)
    )
    year = agreement.starts_on.year
    services.agreement_update(agreement=agreement, actor=signer, title="Flaggheising i Svarstad")
    services.payment_plan_save(
        agreement=agreement,
        actor=signer,
        due_on=agreement.starts_on + datetime.timedelta(days=180),
        amount=Decimal(6_000),
        description=f"Året {year}",
    )
    services.duty_save(
        agreement=agreement,
        actor=signer,
        due_on=agreement.ends_on + datetime.timedelta(days=30),
        title="Årsrapport",
    )
    agreement = services.agreement_send(agreement=agreement, actor=signer)
    agreement_sign(
        agreement=agreement,
        actor=_leader("svarstad"),
        party=Party.COMMITTEE,
        password=password,
        terms_sha256=terms_hash(agreement),
        role="Leder",
    )


def _history_already_read(*, since) -> None:
    """The demo's past notices are history: read, and not e-mailed (as the other demos do)."""
    from notifications.models import EmailStatus, Notification

    Notification.objects.filter(
        Q(kind__startswith="agreement.") | Q(kind__startswith="proposal."), created_at__gte=since
    ).update(read_at=timezone.now(), email_status=EmailStatus.SKIPPED)


@transaction.atomic
def seed_agreements(*, password: str) -> None:
    started = timezone.now()
    _leaf_blowing(password)
    _flags_larvik(password)
    _flags_stavern(password)
    _svarstad(password)
    agreements_follow_up()  # Stavern's is in its notice period: expiring
    _history_already_read(since=started)
