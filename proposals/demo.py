"""Demo proposals for ``seed_demo``: one per state, across committees, through the services.

Svarstad's own question — «Kan ikke vi ta over noen av kommunens oppgaver?» — is the take-over
proposal for flag raising. Figures for the municipal tasks are those the municipality offered in
2024 (leaf blowing in Bøkeskogen 12,000 kr/~80 h, flag raising in Stavern 6,000 kr).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from committees.models import Committee

from . import services
from .deadlines import decision_due, preliminary_due
from .models import AnswerTemplate, Kind, Proposal, ProposalEvent, State

S = State
TEMPLATES = [
    (
        "Ja – avtale om oppgaven",
        S.ACCEPTED,
        "Takk for forslaget «{title}» ({reference}) fra {committee}. Kommunen sier ja. "
        "Vi tar kontakt for å lage en avtale med oppgaver og kompensasjon.",
    ),
    (
        "Ja",
        S.ACCEPTED,
        "Takk for forslaget «{title}» ({reference}). Kommunen sier ja, og tar kontakt med "
        "utvalget om det videre arbeidet.",
    ),
    (
        "Delvis ja",
        S.PARTLY_ACCEPTED,
        "Takk for forslaget «{title}» ({reference}). Kommunen sier ja til deler av forslaget: "
        "[skriv hvilke deler og hvorfor].",
    ),
    (
        "Nei – ikke rom i budsjettet",
        S.REJECTED,
        "Takk for forslaget «{title}» ({reference}). Kommunen kan dessverre ikke prioritere "
        "dette i år, fordi det ikke er rom i budsjettet.",
    ),
]

# committee slug, author e-mail, the path through the states (after submit), fields
PROPOSALS = [
    (
        "svarstad",
        "innbygger@example.no",
        [
            S.FORWARDED,
            S.RECEIVED,
            S.IN_REVIEW,
            (
                S.INFO_REQUESTED,
                "Hvor mange flaggdager gjelder det, og hvem i utvalget har ansvaret?",
            ),
            (
                S.IN_REVIEW,
                "Det gjelder de offisielle flaggdagene. Lederen har ansvaret og har med seg to "
                "frivillige.",
            ),
            S.ACCEPTED,
            S.IN_PROGRESS,
        ],
        {
            "title": "Kan ikke vi ta over noen av kommunens oppgaver? Flaggheising i Svarstad",
            "summary": "Nærmiljøutvalget vil heise flagget i Svarstad på alle offisielle "
            "flaggdager, mot en fast årlig kompensasjon.",
            "body": "I dag kjører kommunen ut fra Larvik for å heise flagget i Svarstad. Vi bor "
            "her, og kan gjøre det selv. Vi foreslår en driftsavtale: utvalget heiser og "
            "tar ned flagget på flaggdager, og kommunen betaler en fast sum per år.",
            "kind": Kind.TAKEOVER,
            "category": "beautification",
            "location_text": "Flaggstanga ved Svarstad sentrum",
            "task": "Flaggheising på offisielle flaggdager",
            "season": "Hele året, ca. 20 flaggdager",
            "volunteer_hours_per_year": 40,
            "compensation_per_year": 6000,
            "municipality_provides": "Flagg, vimpel og nøkkel til flaggstanga",
        },
    ),
    (
        "larvik-sentrum",
        "innbygger@example.no",
        [S.FORWARDED],
        {
            "title": "Løvblåsing i Bøkeskogen",
            "summary": "Utvalget tar løvblåsingen i Bøkeskogen om høsten, slik kommunen har "
            "tilbudt frivillige.",
            "body": "Kommunen har tilbudt 12 000 kroner for løvblåsing i Bøkeskogen, omtrent "
            "80 timer. Vi har folk og vil gjerne ta oppgaven.",
            "kind": Kind.TAKEOVER,
            "category": "takeover",
            "location_text": "Bøkeskogen",
            "task": "Løvblåsing av turveier",
            "season": "Oktober–november",
            "volunteer_hours_per_year": 80,
            "compensation_per_year": 12000,
            "municipality_provides": "Løvblåsere og henting av løvhauger",
        },
    ),
    (
        "stavern",
        "innbygger@example.no",
        [S.FORWARDED, S.RECEIVED],
        {
            "title": "Flaggheising i Stavern",
            "summary": "Vi heiser flagget i Stavern sentrum mot 6 000 kroner i året.",
            "body": "Kommunen har tilbudt 6 000 kroner for flaggheising i Stavern.",
            "kind": Kind.TAKEOVER,
            "category": "beautification",
            "location_text": "Stavern sentrum",
            "task": "Flaggheising",
            "season": "Offisielle flaggdager",
            "volunteer_hours_per_year": 30,
            "compensation_per_year": 6000,
            "municipality_provides": "Flagg",
        },
    ),
    (
        "stavern",
        "innbygger@example.no",
        [],
        {
            "title": "Møteplass for alle på Tollerodden",
            "summary": "Benker, bord og en gapahuk der alle kan møtes.",
            "body": "Tollerodden brukes mye om sommeren. Vi ønsker en møteplass for alle "
            "aldre hele året.",
            "category": "meeting_places",
            "location_text": "Tollerodden",
        },
    ),
    (
        "svarstad",
        "innbygger@example.no",
        [S.COMMITTEE_REVIEW],
        {
            "title": "Felles dugnad i Svarstadparken",
            "summary": "En vårdugnad sammen med kommunen: rydding, maling og planting.",
            "body": "Vi inviterer lag, skole og kommunen til felles dugnad i mai.",
            "kind": Kind.DUGNAD,
            "category": "joint_dugnads",
            "location_text": "Svarstadparken",
        },
    ),
    (
        "kvelde",
        "innbygger@example.no",
        [S.DECLINED],
        {
            "title": "Ny fotballhall på Kvelde",
            "summary": "En stor fotballhall ved skolen.",
            "body": "Vi trenger en hall for vintertrening.",
            "category": "school_leisure",
            "location_text": "Kvelde skole",
        },
    ),
    (
        "ostre-halsen",
        "innbygger@example.no",
        [S.FORWARDED, S.RECEIVED, S.IN_REVIEW],
        {
            "title": "Benker langs turstien ved Farrisvannet",
            "summary": "Fem benker der eldre kan hvile på turen.",
            "body": "Mange eldre går turstien, men det er langt mellom hvileplassene.",
            "category": "old_age",
            "location_text": "Turstien langs Farrisvannet",
        },
    ),
    (
        "nanset",
        "innbygger@example.no",
        [
            S.FORWARDED,
            (
                S.INFO_REQUESTED,
                "Hvilke yrker tenker dere på, og hvor mange besøk i året ser dere for dere?",
            ),
        ],
        {
            "title": "Flere yrker inn i barnehage og skole",
            "summary": "Håndverkere og bønder fra nærmiljøet besøker skolen.",
            "body": "Vi har mange fagfolk i nærmiljøet som vil vise fram yrket sitt.",
            "category": "professions",
            "location_text": "Nanset skole",
        },
    ),
    (
        "torstrand",
        "innbygger@example.no",
        [S.FORWARDED, S.RECEIVED, S.PARTLY_ACCEPTED],
        {
            "title": "Beplanting og vanning ved Indre havn",
            "summary": "Utvalget planter og vanner blomsterkassene ved Indre havn.",
            "body": "Vi vil ta ansvar for blomsterkassene hele sommeren.",
            "kind": Kind.TAKEOVER,
            "category": "beautification",
            "location_text": "Indre havn",
            "task": "Planting og vanning av blomsterkasser",
            "season": "Mai–september, vanning to ganger i uka",
            "volunteer_hours_per_year": 60,
            "compensation_per_year": 8000,
            "municipality_provides": "Planter, jord og vanningsvogn",
        },
    ),
    (
        "kvelde",
        "innbygger@example.no",
        [S.FORWARDED, S.RECEIVED, S.REJECTED],
        {
            "title": "Gatelys langs hele skoleveien",
            "summary": "Lys på den mørke strekningen mellom skolen og sentrum.",
            "body": "Barna går i mørket om vinteren.",
            "category": "cooperation",
            "location_text": "Skoleveien, Kvelde",
        },
    ),
    (
        "svarstad",
        "innbygger@example.no",
        [S.FORWARDED, S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED],
        {
            "title": "Trimpark for eldre ved omsorgssenteret",
            "summary": "Enkle treningsapparater utendørs for eldre.",
            "body": "Utvalget har samlet inn penger; kommunen setter opp apparatene.",
            "category": "old_age",
            "location_text": "Svarstad omsorgssenter",
        },
    ),
    (
        "stavern",
        "innbygger@example.no",
        [S.WITHDRAWN],
        {
            "title": "Kulturkveld for alle på biblioteket",
            "summary": "En månedlig kulturkveld med musikk og fortelling.",
            "body": "Biblioteket har lokaler vi kan bruke.",
            "category": "diversity",
            "location_text": "Stavern bibliotek",
        },
    ),
]

PROPOSALS.append(
    (
        "helgeroa-nevlunghavn",
        "innbygger@example.no",
        [S.FORWARDED, S.RECEIVED, S.IN_REVIEW, S.ACCEPTED],
        {
            "title": "Felles dugnad på badeplassen i Nevlunghavn",
            "summary": "Rydding av strand og brygge før sommeren, sammen med kommunen.",
            "body": "Utvalget stiller med folk; kommunen henter søppel og leverer maling.",
            "kind": Kind.DUGNAD,
            "category": "joint_dugnads",
            "location_text": "Badeplassen i Nevlunghavn",
        },
    )
)

# Accepted and waiting for the committee to start (Nevlunghavn's accepted wish for a dugnad
# is in progress once its dugnad is published, dugnads/demo.py).
PROPOSALS.append(
    (
        "kvelde",
        "innbygger@example.no",
        [S.FORWARDED, S.RECEIVED, S.IN_REVIEW, S.ACCEPTED],
        {
            "title": "Benker langs turveien i Kvelde",
            "summary": "Fire benker langs turveien fra skolen til kirken.",
            "body": "Mange eldre går turveien og trenger et sted å hvile underveis.",
            "category": "meeting_places",
            "location_text": "Turveien i Kvelde",
        },
    )
)

DRAFT = (
    "svarstad",
    "innbygger@example.no",
    {
        "title": "Ungdomsklubb i gamle Svarstad skole",
        "summary": "Et sted for ungdom på fredagskvelder.",
        "body": "Utkast: vi må finne voksne som kan være med.",
        "category": "youth_clubs",
    },
)


def _leader_of(committee: Committee):
    from committees.models import Membership, Role

    membership = (
        Membership.objects.current()
        .filter(committee=committee, role=Role.LEADER)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def seed_proposals() -> None:
    started = timezone.now()
    User = get_user_model()
    handler = User.objects.get(email="saksbehandler@example.no")
    for name, outcome, body in TEMPLATES:
        AnswerTemplate.objects.get_or_create(name=name, defaults={"outcome": outcome, "body": body})
    templates = {t.name: t for t in AnswerTemplate.objects.filter(is_active=True)}
    _follow_committees(User)
    for slug, email, path, fields in PROPOSALS:
        committee = Committee.objects.get(slug=slug)
        if Proposal.objects.filter(committee=committee, title=fields["title"]).exists():
            continue
        author = User.objects.get(email=email)
        proposal = services.proposal_create_draft(author=author, committee=committee, **fields)
        proposal = services.proposal_submit(proposal=proposal, actor=author)
        board = _leader_of(committee) or _make_board(committee)
        for step in path:
            state, message = step if isinstance(step, tuple) else (step, None)
            proposal = _move(
                proposal,
                state,
                message=message,
                author=author,
                board=board,
                handler=handler,
                templates=templates,
            )
    slug, email, fields = DRAFT
    committee = Committee.objects.get(slug=slug)
    if not Proposal.objects.filter(committee=committee, title=fields["title"]).exists():
        services.proposal_create_draft(
            author=User.objects.get(email=email), committee=committee, **fields
        )
    _supports(User)
    _backdate_overdue()
    _history_already_read(since=started)


# Who follows a committee in the demo (before the proposals are submitted, so they hear of them):
# Stavern's leader keeps an eye on Svarstad, and finds "Nytt forslag i Svarstad" under Varsler.
FOLLOWS = [("leder.stavern@example.no", "svarstad")]


def _follow_committees(User) -> None:
    from committees.services import committee_follow

    for email, slug in FOLLOWS:
        user = User.objects.filter(email=email).first()
        if user is not None:
            committee_follow(committee=Committee.objects.get(slug=slug), user=user)


def _history_already_read(*, since) -> None:
    """The demo cases' past steps are history: their notifications count as read and are not
    e-mailed, so a demo user's bell shows what is new, and `make run` sends no flood of mail."""
    from notifications.models import EmailStatus, Notification

    Notification.objects.filter(created_at__gte=since, kind__startswith="proposal.").update(
        read_at=timezone.now(), email_status=EmailStatus.SKIPPED
    )


def _make_board(committee):
    """Sub-committees without their own leader act through a demo leader."""
    from committees.models import Membership, Role

    User = get_user_model()
    user, _ = User.objects.get_or_create(
        email=f"leder.{committee.slug}@example.no",
        defaults={"full_name": f"Leder {committee.name}"},
    )
    Membership.objects.get_or_create(user=user, committee=committee, role=Role.LEADER)
    return user


# What each step says when the path gives no text of its own.
MESSAGES = {
    S.DECLINED: "Utvalget prioriterer mindre tiltak i år. En hall må tas opp i kommunens "
    "investeringsbudsjett.",
    S.RECEIVED: "Foreløpig svar: Vi har mottatt forslaget og tar sikte på å gi svar innen "
    "åtte uker.",
    S.WITHDRAWN: "Biblioteket har selv startet kulturkvelder.",
}


def _template_for(state, proposal, templates):
    if state == S.ACCEPTED:
        name = "Ja – avtale om oppgaven" if proposal.kind == Kind.TAKEOVER else "Ja"
    else:
        name = {S.PARTLY_ACCEPTED: "Delvis ja", S.REJECTED: "Nei – ikke rom i budsjettet"}[state]
    return templates[name]


def _move(proposal, state, *, message, author, board, handler, templates):
    if state in (S.ACCEPTED, S.PARTLY_ACCEPTED, S.REJECTED):
        template = _template_for(state, proposal, templates)
        body = services.answer_template_fill(template=template, proposal=proposal)
        body = body.replace(
            "[skriv hvilke deler og hvorfor]",
            "kommunen leverer planter og jord, men vanningsvogna er i bruk andre steder i "
            "sommer, så vanningen må utvalget ordne selv",
        )
        services.answer_save_draft(proposal=proposal, actor=handler, outcome=state, body=body)
        services.answer_publish(proposal=proposal, actor=handler)
        return Proposal.objects.get(pk=proposal.pk)
    actor = {
        S.FORWARDED: board,
        S.COMMITTEE_REVIEW: board,
        S.DECLINED: board,
        S.WITHDRAWN: author,
        S.IN_PROGRESS: board,
        S.COMPLETED: board,
    }.get(state, handler)
    message = message if message is not None else MESSAGES.get(state, "")
    if state == S.IN_REVIEW:
        # Back to review is the committee's answer to a question; a first review needs no text.
        if proposal.state == S.INFO_REQUESTED:
            actor = board
        else:
            message = ""
    return services.proposal_transition(
        proposal=proposal, actor=actor, to_state=state, message=message
    )


def _supports(User) -> None:
    people = list(User.objects.filter(is_staff=False).order_by("pk")[:6])
    for index, proposal in enumerate(
        Proposal.objects.filter(state__in=services.COMMITTEE_STATES | services.MUNICIPAL_STATES)
    ):
        for person in people[: 2 + index % 4]:
            services.proposal_support(proposal=proposal, user=person)


def _backdate_overdue() -> None:
    """Demo only: the leaf-blowing case was forwarded 40 days ago and has had no answer, so the
    portal shows what an overdue municipal deadline looks like."""
    proposal = Proposal.objects.filter(title="Løvblåsing i Bøkeskogen", state=S.FORWARDED).first()
    if proposal is None:
        return
    forwarded = timezone.localdate() - datetime.timedelta(days=40)
    submitted_at = timezone.now() - datetime.timedelta(days=45)
    forwarded_at = timezone.now() - datetime.timedelta(days=40)
    events = ProposalEvent.objects.filter(proposal=proposal)
    events.filter(to_state=S.SUBMITTED).update(created_at=submitted_at)
    events.filter(to_state=S.FORWARDED).update(created_at=forwarded_at)
    Proposal.objects.filter(pk=proposal.pk).update(
        submitted_at=submitted_at,
        committee_due=submitted_at.date() + datetime.timedelta(days=21),
        forwarded_at=forwarded_at,
        preliminary_due=preliminary_due(forwarded),
        decision_due=decision_due(forwarded),
        next_due=preliminary_due(forwarded),
    )
