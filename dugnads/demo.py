"""Demo dugnads for ``seed_demo``, made through the services so each has a real timeline.

Upcoming: Stavern's beach clean-up is full with a waiting list; Svarstad's school dugnad waits
for the municipality to confirm its container; Nevlunghavn's beach dugnad was born from a
resident's proposal and has its container confirmed. Past: reported dugnads with hours this
year (so the committee pages and the front page show hours and their value), and one held but
not reported yet (its organiser has a reminder). Svarstad's own wish for a dugnad in the park is
left as a proposal, so a demo leader can try "Lag dugnad" from the inbox.

Idempotent: a title that exists is left as it is.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from committees.models import Committee, Department, Membership, Role
from proposals.models import Proposal

from . import services
from .models import Dugnad, DugnadEvent, HourlyRate, Need, Resource, State
from .services.resources import resource_answer

# Residents who sign up in the demo (besides the demo resident).
PARTICIPANTS = [
    ("ola.deltaker@example.no", "Ola Deltaker"),
    ("kari.deltaker@example.no", "Kari Deltaker"),
    ("per.deltaker@example.no", "Per Deltaker"),
    ("anne.deltaker@example.no", "Anne Deltaker"),
    ("jonas.deltaker@example.no", "Jonas Deltaker"),
]


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _saturday(weeks: int) -> int:
    """Days from today to the Saturday ``weeks`` weeks after the coming one (dugnads are on
    Saturdays)."""
    today = timezone.localdate()
    return (5 - today.weekday()) % 7 + 7 * weeks


def _leader(slug: str):
    membership = (
        Membership.objects.current()
        .filter(committee__slug=slug, role=Role.LEADER)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _people():
    User = get_user_model()
    people = [User.objects.get(email="innbygger@example.no")]
    for email, name in PARTICIPANTS:
        user, _ = User.objects.get_or_create(email=email, defaults={"full_name": name})
        people.append(user)
    return people


def _plan(slug, *, title, days, hours=(10, 14), needs=(), resources=(), proposal=None, **fields):
    committee = Committee.objects.get(slug=slug)
    if Dugnad.objects.filter(committee=committee, title=title).exists():
        return None
    leader = _leader(slug)
    if leader is None:
        return None
    dugnad = services.dugnad_create(
        committee=committee,
        actor=leader,
        proposal=proposal,
        title=title,
        starts_at=_at(days, hours[0]),
        ends_at=_at(days, hours[1]),
        **fields,
    )
    for order, (what, people) in enumerate(needs):
        Need.objects.create(dugnad=dugnad, title=what, people=people, order=order)
    for kind, department, details in resources:
        Resource.objects.create(
            dugnad=dugnad,
            kind=kind,
            department=Department.objects.get(slug=department),
            details=details,
        )
    return dugnad, leader


def _sign_up(dugnad, people, sizes=()):
    needs = list(dugnad.needs.all())
    for index, person in enumerate(people):
        services.signup_create(
            dugnad=dugnad,
            user=person,
            party_size=sizes[index] if index < len(sizes) else 1,
            need=needs[index % len(needs)] if needs else None,
        )


def _into_the_past(dugnad, *, days_ago: int, hours=(10, 14)) -> Dugnad:
    """Demo only: a dugnad published weeks ago that took place ``days_ago`` days ago."""
    starts, ends = _at(-days_ago, hours[0]), _at(-days_ago, hours[1])
    published = starts - datetime.timedelta(days=21)
    Dugnad.objects.filter(pk=dugnad.pk).update(
        starts_at=starts,
        ends_at=ends,
        published_at=published,
        resources_due=timezone.localdate(starts) - datetime.timedelta(days=7),
    )
    DugnadEvent.objects.filter(dugnad=dugnad).update(created_at=published)
    return Dugnad.objects.get(pk=dugnad.pk)


def _rates() -> None:
    """This year's and the next's hourly value (the migration seeds 2025–2027; a demo database
    restored or flushed, as the browser tests do, gets them back)."""
    year = timezone.localdate().year
    for each in (year - 1, year, year + 1):
        HourlyRate.objects.get_or_create(
            year=each,
            defaults={"nok_per_hour": Decimal("350"), "source": "Kulturminnefondet, dugnadssats"},
        )


def _history_already_read(*, since) -> None:
    """The demo dugnads' past notices are history: read, and not e-mailed, so a demo user's bell
    shows what is new and `make run` sends no flood of mail (as proposals' demo does)."""
    from notifications.models import EmailStatus, Notification

    # A proposal made into a dugnad moves on too (in progress): that notice is history as well.
    Notification.objects.filter(
        Q(kind__startswith="dugnad.") | Q(kind__startswith="proposal."), created_at__gte=since
    ).update(read_at=timezone.now(), email_status=EmailStatus.SKIPPED)


@transaction.atomic
def seed_dugnads() -> None:
    started = timezone.now()
    _rates()
    User = get_user_model()
    handler = User.objects.get(email="saksbehandler@example.no")
    people = _people()

    # Full, with a waiting list: 6 places, parties of 2, 1, 2 and 1 fill it; two more wait.
    planned = _plan(
        "stavern",
        title="Strandrydding i Stavern",
        days=_saturday(0) or 7,
        meeting_point="Stavern strand, ved livredderbua",
        description="Vi rydder stranda før vinteren. Ta med varme klær; hansker og sekker får du.",
        capacity=6,
        needs=[("Plukke søppel", 6)],
        resources=[("gloves", "park-og-friomrader", "Hansker og sekker til 10 personer")],
    )
    if planned:
        dugnad, leader = planned
        services.dugnad_publish(dugnad=dugnad, actor=leader)
        _sign_up(dugnad, people, sizes=(2, 1, 2, 1, 1, 2))

    # Waiting for the municipality: the container is requested, not yet confirmed.
    planned = _plan(
        "svarstad",
        title="Dugnad ved Svarstad skole",
        days=_saturday(1),
        hours=(9, 13),
        meeting_point="Skolegården, Svarstad skole",
        description="Raking, maling av benker og planting i bedene. Kaffe og vafler til alle.",
        capacity=30,
        needs=[("Raking", 10), ("Henger og bil", 2), ("Kaffe og vafler", 1)],
        resources=[
            ("container", "park-og-friomrader", "En container, 10 m³, for hageavfall"),
            ("tools", "park-og-friomrader", "Raker og river til 10 personer"),
        ],
    )
    if planned:
        dugnad, leader = planned
        services.dugnad_publish(dugnad=dugnad, actor=leader)
        _sign_up(dugnad, people[:3])

    # Born from a resident's proposal; the container confirmed by the municipality.
    proposal = Proposal.objects.filter(title="Felles dugnad på badeplassen i Nevlunghavn").first()
    if proposal is not None and not Dugnad.objects.filter(origin_proposal=proposal).exists():
        planned = _plan(
            "helgeroa-nevlunghavn",
            title="Dugnad på badeplassen i Nevlunghavn",
            days=_saturday(2),
            meeting_point="Badeplassen i Nevlunghavn",
            description=proposal.body,
            proposal=proposal,
            needs=[("Rydde stranda", 8), ("Male brygga", 4)],
            resources=[("container", "kultur-og-idrett", "En container til søppel fra stranda")],
        )
        if planned:
            dugnad, leader = planned
            services.dugnad_publish(dugnad=dugnad, actor=leader)
            for resource in dugnad.resources.all():
                resource_answer(
                    resource=resource,
                    actor=handler,
                    confirmed=True,
                    answer="Containeren står på plassen fra fredag kveld.",
                )
            _sign_up(dugnad, people[3:])

    # This year's reported dugnads, with hours: what the figures count.
    for slug, title, days_ago, hours_total in [
        ("svarstad", "Høstdugnad i Svarstadparken", 60, Decimal("42")),
        ("kvelde", "Løvrydding ved Kvelde kirke", 45, Decimal("24")),
        ("stavern", "Sommerdugnad i Stavern sentrum", 120, Decimal("36")),
    ]:
        planned = _plan(
            slug, title=title, days=30, meeting_point="Ved kirken" if "kirke" in title else "Torget"
        )
        if not planned:
            continue
        dugnad, leader = planned
        services.dugnad_publish(dugnad=dugnad, actor=leader)
        _sign_up(dugnad, people)
        dugnad = _into_the_past(dugnad, days_ago=days_ago)
        services.dugnad_transition(dugnad=dugnad, actor=None, to_state=State.COMPLETED)
        _report(dugnad, leader, participants=len(people) + 6, hours_total=hours_total)

    # Held, not reported yet: the organiser is reminded to report.
    planned = _plan(
        "svarstad",
        title="Rydding langs Lågen",
        days=30,
        meeting_point="Brua over Lågen",
        needs=[("Plukke søppel", 8)],
    )
    if planned:
        dugnad, leader = planned
        services.dugnad_publish(dugnad=dugnad, actor=leader)
        _sign_up(dugnad, people[:4])
        dugnad = _into_the_past(dugnad, days_ago=2)
        services.dugnad_transition(dugnad=dugnad, actor=None, to_state=State.COMPLETED)
    _history_already_read(since=started)


def _report(dugnad, leader, *, participants: int, hours_total: Decimal) -> None:
    from .services.reports import dugnad_report

    dugnad_report(
        dugnad=dugnad,
        actor=leader,
        participant_count=participants,
        hours_total=hours_total,
        report="Vi raket, plukket søppel og plantet blomster. Kommunen hentet avfallet dagen etter.",
    )
