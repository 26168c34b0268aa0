"""Demo grants for ``seed_demo``, made through the services so each has a real timeline, real
payments on the agreements' payment machinery and real notifications.

- **Oppstartstilskudd for nærmiljøutvalg 2023** (Kultur og idrett): Larvik's start-up grant,
  80 000 kr per committee + 87 kr per resident aged 0–19, from a 1 000 000 kr pot. Population
  figures for the seven areas (1 January 2023, illustrative numbers in SSB's shape), the list
  worked out and approved; the registered committees' payments are marked paid, the committees
  not yet registered in Frivillighetsregisteret are shown as reserved, not payable.
- **Tilskudd til forskjønning i distriktene 2024** (paid afterwards, a 200 000 kr pot): Stavern's
  flower boxes and benches, granted, reported (actual costs with receipts, hours with a linked
  reported dugnad, photos before and after), approved and paid.
- **Tilskudd til forskjønning i distriktene** this year, open for applications (the browser
  journey's leader applies to it).
- **Aktivitetstilskudd** this year (up to 5 000 kr, priority to those under 19, paid in
  advance): Kvelde's application submitted, awaiting the municipality's answer.
- **Annual reports** for last year in every state: Svarstad's approved, Stavern's returned with a
  comment, Larvik sentrum's submitted, Kvelde's still open (its deadline passed).

Idempotent: a scheme (year and name), an application (committee and title) or an annual report
past "open" that exists is left as it is. The files (photos, receipts, documents) are made here,
tiny, in memory: the demo must stay fast, it runs before every browser test.
"""

import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agreements.services.payments import payment_mark_paid
from committees.models import Committee, Department, Membership, Role
from dugnads.models import Dugnad

from .models import (
    AllocationState,
    AnnualReportState,
    DocumentKind,
    GrantScheme,
    OverPotRule,
    PaymentRule,
    PopulationFigure,
    SchemeKind,
)
from .services import allocations as allocation_services
from .services import annual_reports, application_reports, applications
from .services.figures import population_figure_save
from .services.lifecycle import annual_report_get_or_open
from .services.schemes import scheme_create, scheme_update

CULTURE = "kultur-og-idrett"
HANDLER = "saksbehandler@example.no"  # Kultur og idrett's case handler (seed_demo)

START_UP = "Oppstartstilskudd for nærmiljøutvalg"
START_UP_YEAR = 2023
BEAUTIFY = "Tilskudd til forskjønning i distriktene"
BEAUTIFY_YEAR = 2024
ACTIVITY = "Aktivitetstilskudd"

FIGURES_ON = datetime.date(2023, 1, 1)
FIGURES_SOURCE = "SSB, befolkning etter grunnkrets 1.1.2023 (illustrative tall, demodata)"
# slug: (residents in all, aged 0–19) — the seven areas Larvik adopted in 2023: together
# 7 × 80 000 + 87 × 4 860 = 982 820 kr. The list has every top-level committee, though
# (services.allocations): the three still forming (Østre Hedrum, Verningen, Hvarnes) have no
# figures and are reserved their 80 000 kr base each, so the formula gives 1 222 820 kr and the
# scheme's rule scales every allocation down to the 1 000 000 kr pot (pro rata).
FIGURES = {
    "stavern": (5_600, 950),
    "kvelde": (2_100, 430),
    "helgeroa-nevlunghavn": (1_650, 240),
    "tjollingvollen": (2_900, 560),
    "ostre-halsen": (4_100, 820),
    "larvik-sentrum": (8_600, 1_650),
    "svarstad": (1_050, 210),
}

STAVERN_FLOWERS = "Blomsterkasser og benker i Stavern sentrum"
STAVERN_DUGNAD = "Sommerdugnad i Stavern sentrum"  # dugnads.demo: reported, 36 hours
KVELDE_ACTIVITY = "Aktivitetskvelder for ungdom i Kvelde"


def _handler():
    return get_user_model().objects.get(email=HANDLER)


def _leader(slug: str):
    membership = (
        Membership.objects.current()
        .filter(committee__slug=slug, role=Role.LEADER)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _today() -> datetime.date:
    return timezone.localdate()


# --- small files, made in memory ---------------------------------------------------------------


def png(name: str, colour: tuple[int, int, int], *, size=(48, 32)) -> SimpleUploadedFile:
    """A small PNG of one colour with a lighter band (a photo as the demo needs one)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, colour)
    lighter = tuple(min(255, c + 60) for c in colour)
    ImageDraw.Draw(image).rectangle((0, size[1] * 2 // 3, size[0], size[1]), fill=lighter)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name: str, text: str) -> SimpleUploadedFile:
    """A minimal valid one-page PDF that says ``text`` (ASCII), its cross-reference table right."""
    safe = text.encode("ascii", "replace").replace(b"\\", b"\\\\")
    safe = safe.replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 12 Tf 36 100 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return SimpleUploadedFile(name, bytes(out), content_type="application/pdf")


# --- the 2023 start-up grant --------------------------------------------------------------------


def _scheme(*, year: int, name: str, **fields) -> GrantScheme | None:
    """The scheme, made by the case handler; ``None`` if it exists (left as it is)."""
    if GrantScheme.objects.filter(year=year, name=name).exists():
        return None
    return scheme_create(
        actor=_handler(),
        year=year,
        name=name,
        department=Department.objects.get(slug=CULTURE),
        **fields,
    )


def _start_up() -> None:
    scheme = _scheme(
        year=START_UP_YEAR,
        name=START_UP,
        kind=SchemeKind.FORMULA,
        description=(
            "Oppstartstilskudd til de sju nærmiljøene kommunestyret vedtok i 2023: et likt "
            "grunnbeløp til hvert utvalg og et beløp per innbygger under 20 år i nærmiljøet. "
            "Tilskuddet betales ut når utvalget er registrert i Frivillighetsregisteret."
        ),
        pot=Decimal(1_000_000),
        source="Larvik kommune, kommunestyret 2023",
        base_amount=Decimal(80_000),
        rate_per_resident=Decimal(87),
        age_from=0,
        age_to=19,
        population_date=FIGURES_ON,
        over_pot_rule=OverPotRule.PRO_RATA,
        requires_registration=True,
        payment_rule=PaymentRule.ADVANCE,
        payment_days=30,
    )
    if scheme is None:
        return
    handler = _handler()
    committees = Committee.objects.in_bulk(list(FIGURES), field_name="slug")
    for slug, (residents, young) in FIGURES.items():
        population_figure_save(
            figure=PopulationFigure(
                committee=committees[slug],
                reference_date=FIGURES_ON,
                age_from=0,
                age_to=19,
                residents=residents,
                residents_in_range=young,
                source=FIGURES_SOURCE,
            ),
            actor=handler,
        )
    allocation_services.allocations_compute(scheme=scheme, actor=handler)
    approved = allocation_services.allocations_approve(scheme=scheme, actor=handler)
    for number, allocation in enumerate(approved, start=1):
        if allocation.state == AllocationState.PAYABLE:
            payment_mark_paid(
                payment=allocation.payment,
                actor=handler,
                paid_on=_today(),
                voucher=f"BILAG-OPPSTART-{number:03d}",
            )


# --- applications -------------------------------------------------------------------------------


BEAUTIFY_DESCRIPTION = (
    "Tilskudd til beplanting, rydding og pynting av offentlige steder i distriktene. "
    "Tilskuddet betales ut etterpå, mot regnskap for faktiske kostnader, dugnadstimene og "
    "bilder før og etter."
)


def _beautify_2024() -> None:
    # Made open (no dates yet) so Stavern can apply through the services today; the scheme's
    # 2024 dates are set once the application is in, as the year had them.
    scheme = _scheme(
        year=BEAUTIFY_YEAR,
        name=BEAUTIFY,
        kind=SchemeKind.APPLICATION,
        description=BEAUTIFY_DESCRIPTION,
        pot=Decimal(200_000),
        max_amount=Decimal(50_000),
        source="Larvik kommune, Kultur og idrett: retningslinjer for forskjønningstilskudd 2024",
        requires_registration=True,
        payment_rule=PaymentRule.AFTERWARDS,
    )
    if scheme is None:
        return
    committee = Committee.objects.get(slug="stavern")
    leader = _leader("stavern")
    handler = _handler()
    application = applications.application_new(
        scheme=scheme,
        committee=committee,
        actor=leader,
        fields={
            "title": STAVERN_FLOWERS,
            "description": (
                "Vi setter ut ti blomsterkasser med sommerblomster og to benker langs Torvet og "
                "Kongens gate, og holder dem vedlike gjennom sommeren."
            ),
            "place": "Torvet og Kongens gate, Stavern",
            "latitude": Decimal("58.998300"),
            "longitude": Decimal("10.035600"),
            "participants": "Styret, Stavern vel og elever fra Stavern ungdomsskole",
            "starts_on": datetime.date(BEAUTIFY_YEAR, 5, 1),
            "ends_on": datetime.date(BEAUTIFY_YEAR, 9, 30),
            "planned_hours": Decimal(60),
            "amount_requested": Decimal(30_000),
        },
        budget_lines=[
            {"description": "Ti blomsterkasser", "amount": Decimal(16_000)},
            {"description": "Sommerblomster og jord", "amount": Decimal(5_000)},
            {"description": "To parkbenker", "amount": Decimal(9_000)},
        ],
        photos=[(png("for-torvet.png", (150, 130, 110)), "Torvet før: grå asfalt uten benker")],
    )
    applications.application_submit(application=application, actor=leader)
    application = applications.application_grant(
        application=application,
        actor=handler,
        amount=Decimal(25_000),
        conditions=(
            "Tilskuddet betales ut etter rapport med kvitteringer for faktiske kostnader og "
            "bilder av resultatet."
        ),
    )
    dugnad = Dugnad.objects.filter(committee=committee, title=STAVERN_DUGNAD).first()
    application_reports.report_save(
        application=application,
        actor=leader,
        report_text=(
            "Ti blomsterkasser og to benker er satt ut og vannet hele sommeren. Elevene "
            "plantet, styret og Stavern vel tok vanningen på omgang."
        ),
        actual_hours=Decimal(18),
        dugnads=[dugnad] if dugnad else [],
        lines=[
            {
                "description": "Ti blomsterkasser i cortenstål",
                "amount": Decimal("14950.00"),
                "receipt": pdf("kvittering-blomsterkasser.pdf", "Kvittering blomsterkasser"),
            },
            {
                "description": "Sommerblomster og jord",
                "amount": Decimal("4380.50"),
                "receipt": pdf("kvittering-blomster.pdf", "Kvittering sommerblomster"),
            },
            {
                "description": "To parkbenker",
                "amount": Decimal("8200.00"),
                "receipt": png("kvittering-benker.png", (235, 235, 225)),
            },
        ],
        photos=[
            (
                png("etter-torvet.png", (60, 140, 70)),
                "Torvet etter: blomsterkasser i full blomst og to nye benker",
            )
        ],
    )
    application_reports.report_submit(application=application, actor=leader)
    application = application_reports.report_approve(application=application, actor=handler)
    payment_mark_paid(
        payment=application.payment, actor=handler, paid_on=_today(), voucher="BILAG-TSK-0001"
    )
    scheme_update(
        scheme=scheme,
        actor=handler,
        opens_on=datetime.date(BEAUTIFY_YEAR, 1, 15),
        application_deadline=datetime.date(BEAUTIFY_YEAR, 4, 30),
        report_deadline=datetime.date(BEAUTIFY_YEAR, 11, 30),
    )


def _beautify_this_year() -> None:
    year = _today().year
    _scheme(
        year=year,
        name=BEAUTIFY,
        kind=SchemeKind.APPLICATION,
        description=BEAUTIFY_DESCRIPTION,
        pot=Decimal(200_000),
        max_amount=Decimal(50_000),
        source=f"Larvik kommune, Kultur og idrett: retningslinjer for forskjønningstilskudd {year}",
        requires_registration=True,
        payment_rule=PaymentRule.AFTERWARDS,
        opens_on=datetime.date(year, 1, 1),
        application_deadline=datetime.date(year, 12, 31),
        report_deadline=datetime.date(year + 1, 11, 30),
    )


def _activity() -> None:
    year = _today().year
    scheme = _scheme(
        year=year,
        name=ACTIVITY,
        kind=SchemeKind.APPLICATION,
        description=(
            "Inntil 5 000 kr til lavterskelaktiviteter i nærmiljøet, åpne for alle. Aktiviteter "
            "for barn og unge under 19 år prioriteres. Tilskuddet betales ut på forhånd."
        ),
        pot=Decimal(60_000),
        max_amount=Decimal(5_000),
        priority="Aktiviteter for barn og unge under 19 år",
        source=f"Larvik kommune, Kultur og idrett: aktivitetstilskudd {year}",
        requires_registration=True,
        payment_rule=PaymentRule.ADVANCE,
        opens_on=datetime.date(year, 1, 1),
        application_deadline=datetime.date(year, 12, 31),
    )
    if scheme is None:
        return
    leader = _leader("kvelde")
    application = applications.application_new(
        scheme=scheme,
        committee=Committee.objects.get(slug="kvelde"),
        actor=leader,
        fields={
            "title": KVELDE_ACTIVITY,
            "description": (
                "Åpen hall en fredag i måneden for ungdom fra 13 år: fotball, bordtennis og "
                "kiosk som ungdommene driver selv, med voksne fra utvalget til stede."
            ),
            "place": "Kvelde flerbrukshall",
            "participants": "Ungdom 13–18 år i Kvelde; foreldre og styret som vakter",
            "starts_on": _today() + datetime.timedelta(days=30),
            "ends_on": _today() + datetime.timedelta(days=200),
            "planned_hours": Decimal(24),
            "amount_requested": Decimal(5_000),
        },
        budget_lines=[
            {"description": "Leie av hallen, seks kvelder", "amount": Decimal(3_600)},
            {"description": "Baller og bordtennisutstyr", "amount": Decimal(1_900)},
        ],
    )
    applications.application_submit(application=application, actor=leader)


# --- annual reports -----------------------------------------------------------------------------

# slug: (the state it ends in, the board the annual meeting elected: name, e-mail, role)
ANNUAL_REPORTS = {
    "svarstad": (
        AnnualReportState.APPROVED,
        [
            ("Sverre Svarstad", "leder.svarstad@example.no", Role.LEADER),
            ("Bjørn Styre", "styremedlem@example.no", Role.BOARD_MEMBER),
            ("Siri Skole", "skole.svarstad@example.no", Role.SECRETARY),
        ],
    ),
    "stavern": (
        AnnualReportState.RETURNED,
        [("Stine Stavern", "leder.stavern@example.no", Role.LEADER)],
    ),
    "larvik-sentrum": (
        AnnualReportState.SUBMITTED,
        [("Lars Sentrum", "leder.sentrum@example.no", Role.LEADER)],
    ),
    # Kvelde's is still open, its deadline passed: the board is reminded, the department told.
    "kvelde": (AnnualReportState.OPEN, []),
}
RETURN_COMMENT = (
    "Regnskapet mangler revisors underskrift. Last opp det signerte regnskapet og send "
    "årsrapporten igjen."
)
DOCUMENTS = {
    DocumentKind.PROTOCOL: ("arsmoteprotokoll.pdf", "Arsmoteprotokoll"),
    DocumentKind.ANNUAL_REPORT: ("arsmelding.pdf", "Arsmelding"),
    DocumentKind.ACCOUNTS: ("regnskap.pdf", "Regnskap"),
    DocumentKind.BUDGET: ("budsjett.pdf", "Budsjett"),
}


def _annual_reports() -> None:
    from .services.annual_reports import Elected

    today = _today()
    year = today.year - 1
    # The annual meetings were held in March (or yesterday, early in the year).
    meeting_on = min(datetime.date(today.year, 3, 15), today - datetime.timedelta(days=1))
    handler = _handler()
    for slug, (state, elected) in ANNUAL_REPORTS.items():
        report = annual_report_get_or_open(committee=Committee.objects.get(slug=slug), year=year)
        if state == AnnualReportState.OPEN or report.state != AnnualReportState.OPEN:
            continue  # left open, or made already
        leader = _leader(slug)
        for kind, (name, title) in DOCUMENTS.items():
            annual_reports.document_upload(
                report=report,
                actor=leader,
                kind=kind,
                uploaded_file=pdf(name, f"{title} {year} - {report.committee.name}"),
            )
        annual_reports.elected_board_save(
            report=report,
            actor=leader,
            meeting_on=meeting_on,
            members=[
                Elected(name=name, email=email, role=role, term_ends_on=None)
                for name, email, role in elected
            ],
        )
        report = annual_reports.annual_report_submit(report=report, actor=leader)
        if state == AnnualReportState.APPROVED:
            annual_reports.annual_report_approve(report=report, actor=handler)
        elif state == AnnualReportState.RETURNED:
            annual_reports.annual_report_return(
                report=report, actor=handler, comment=RETURN_COMMENT
            )
    # The other registered committees owe theirs too, as the daily follow-up opens them: the
    # admin's "overdue" filter finds them from the start.
    from .annual_report_deadlines import open_reports

    open_reports(year=year)


# --- the demo's past notices --------------------------------------------------------------------


def _history_already_read(*, since) -> None:
    """The demo's past notices are history: read, and not e-mailed (as the other demos do)."""
    from notifications.models import EmailStatus, Notification

    Notification.objects.filter(
        Q(kind__startswith="grant.") | Q(kind__startswith="agreement."), created_at__gte=since
    ).update(read_at=timezone.now(), email_status=EmailStatus.SKIPPED)


@transaction.atomic
def seed_grants(*, password: str) -> None:
    """``password`` is the demo users' password (unused today: nothing in grants is signed)."""
    started = timezone.now()
    _start_up()
    _beautify_2024()
    _beautify_this_year()
    _activity()
    _annual_reports()
    _history_already_read(since=started)
