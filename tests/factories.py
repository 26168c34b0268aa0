import datetime

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from committees.models import (
    Committee,
    CommitteeStatus,
    Department,
    DepartmentStaff,
    Membership,
    RepresentedGroup,
    Role,
)
from committees.validators import organisation_number_check_digit

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.no")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def valid_organisation_number(seed: int) -> str:
    base = 91_000_000 + seed * 13
    while organisation_number_check_digit(str(base)) is None:
        base += 1
    return f"{base}{organisation_number_check_digit(str(base))}"


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Nærmiljø {n}")
    slug = factory.Sequence(lambda n: f"naermiljo-{n}")
    status = CommitteeStatus.ACTIVE
    organisation_number = factory.Sequence(valid_organisation_number)
    description = "Et nærmiljøutvalg."
    contact_email = factory.LazyAttribute(lambda o: f"{o.slug}@example.no")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    committee = factory.SubFactory(CommitteeFactory)
    role = Role.BOARD_MEMBER
    represents = RepresentedGroup.INDIVIDUAL
    term_start = datetime.date(2024, 1, 1)
    term_end = None


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Avdeling {n}")
    slug = factory.Sequence(lambda n: f"avdeling-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.slug}@larvik.kommune.no")


class DepartmentStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepartmentStaff

    department = factory.SubFactory(DepartmentFactory)
    user = factory.SubFactory(UserFactory, is_staff=True)


class NotificationFactory(factory.django.DjangoModelFactory):
    """A notification row as ``notify()`` would write it (for lists and delivery tests)."""

    class Meta:
        model = "notifications.Notification"

    recipient = factory.SubFactory(UserFactory)
    category = "committee"
    kind = "committee.board_added"
    subject = factory.Sequence(lambda n: f"Varsel {n}")
    body = "Noe har skjedd i nærmiljøet."
    language = "nb"
    target_url = "/nmu/"
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    channel = "immediate"
    email_status = "pending"


class ProposalFactory(factory.django.DjangoModelFactory):
    """A submitted proposal (``state="draft"`` and ``reference=None`` for a draft)."""

    class Meta:
        model = "proposals.Proposal"

    committee = factory.SubFactory(CommitteeFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Forslag {n}")
    summary = "Et forslag fra nærmiljøet."
    body = "Vi foreslår at utvalget og kommunen samarbeider om dette."
    kind = "idea"
    category = "meeting_places"
    state = "submitted"
    # Year 2000 never clashes with the references the services hand out.
    reference = factory.Sequence(lambda n: f"NMU-2000-{n + 1:04d}")
    submitted_at = factory.LazyFunction(timezone.now)


def proposal_form_data(committee, /, **overrides) -> dict:
    """What the proposal form posts for a plain idea, every field there (the optional ones empty),
    so a test changes only the field it is about."""
    return {
        "committee": committee.pk,
        "kind": "idea",
        "category": "meeting_places",
        "title": "Benker langs elva",
        "summary": "Flere benker langs turstien.",
        "body": "Vi foreslår fem nye benker langs elva.",
        "location_text": "Svarstad",
        "latitude": "",
        "longitude": "",
        "task": "",
        "season": "",
        "volunteer_hours_per_year": "",
        "compensation_per_year": "",
        "municipality_provides": "",
        **overrides,
    }


def _in_days(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class DugnadFactory(factory.django.DjangoModelFactory):
    """A published dugnad three weeks from now, 10:00–14:00 (``state="draft"`` for a draft)."""

    class Meta:
        model = "dugnads.Dugnad"

    committee = factory.SubFactory(CommitteeFactory)
    title = factory.Sequence(lambda n: f"Dugnad {n}")
    description = "Vi rydder og planter sammen med kommunen."
    starts_at = factory.LazyFunction(lambda: _in_days(21, 10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=4))
    meeting_point = "Parkeringsplassen ved skolen"
    state = "published"
    published_at = factory.LazyFunction(timezone.now)
    resources_due = factory.LazyAttribute(
        lambda o: timezone.localdate(o.starts_at) - datetime.timedelta(days=7)
    )


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dugnads.Need"

    dugnad = factory.SubFactory(DugnadFactory)
    title = "Raking"
    people = 10


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dugnads.Resource"

    dugnad = factory.SubFactory(DugnadFactory)
    kind = "container"
    department = factory.SubFactory(DepartmentFactory)
    details = "En container, 10 m³"
    requested_at = factory.LazyFunction(timezone.now)


class SignupFactory(factory.django.DjangoModelFactory):
    """A resident's confirmed sign-up (give ``user=None, guest_name=…, guest_email=…`` for a guest)."""

    class Meta:
        model = "dugnads.Signup"

    dugnad = factory.SubFactory(DugnadFactory)
    user = factory.SubFactory(UserFactory)
    party_size = 1
    state = "confirmed"
    confirmed_at = factory.LazyFunction(timezone.now)


_agreement_numbers = iter(range(1, 1_000_000))


class AgreementFactory(factory.django.DjangoModelFactory):
    """An active agreement for this year (``state="draft"`` for a draft), numbered
    AVT-<year>-9NNNNN so it never meets a number the counter gives out."""

    class Meta:
        model = "agreements.Agreement"

    number = factory.LazyFunction(
        lambda: f"AVT-{timezone.localdate().year}-9{next(_agreement_numbers):05d}"
    )
    committee = factory.SubFactory(CommitteeFactory)
    department = factory.SubFactory(DepartmentFactory)
    title = factory.Sequence(lambda n: f"Avtale {n}")
    kind = "operation"
    terms = "Utvalget utfører oppgavene under. Kommunen betaler etter betalingsplanen."
    starts_on = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on.replace(month=12, day=31))
    notice_months = 3
    renewal = "by_agreement"
    state = "active"
    municipal_cost_per_year = 20_000
    municipal_cost_basis = "40 timer × 500 kr for parkavdelingens mannskap"


class TaskFactory(factory.django.DjangoModelFactory):
    """Flag raising, a fixed 6 000 kr a year, 40 hours."""

    class Meta:
        model = "agreements.Task"

    agreement = factory.SubFactory(AgreementFactory)
    kind = "flag_raising"
    description = "Heise og ta ned flagget på offisielle flaggdager."
    locations = "Flaggstanga ved torget"
    season = "Hele året"
    frequency = "Ca. 20 flaggdager"
    hours_per_year = 40
    pricing = "fixed"
    amount = 6_000


class ProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "agreements.Provision"

    agreement = factory.SubFactory(AgreementFactory)
    kind = "equipment"
    description = "Flagg og vimpel"
    value_per_year = 1_500


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "agreements.Payment"

    agreement = factory.SubFactory(AgreementFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    amount = 3_000
    description = "Første halvår"


class ReportDutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "agreements.ReportDuty"

    agreement = factory.SubFactory(AgreementFactory)
    title = factory.LazyFunction(lambda: f"Året {timezone.localdate().year}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))


# --- grants ----------------------------------------------------------------------------------


class GrantSchemeFactory(factory.django.DjangoModelFactory):
    """Larvik's 2023 start-up grant: 80 000 kr per committee + 87 kr per resident aged 0–19,
    from a 1 000 000 kr pot, paid in advance to registered committees."""

    class Meta:
        model = "grants.GrantScheme"

    year = 2023
    name = factory.Sequence(lambda n: f"Oppstartstilskudd {n}")
    kind = "formula"
    department = factory.SubFactory(DepartmentFactory)
    pot = 1_000_000
    source = "Kommunestyrets vedtak 2023, sak 45/23"
    base_amount = 80_000
    rate_per_resident = 87
    age_from = 0
    age_to = 19
    requires_registration = True
    payment_rule = "advance"


class ApplicationSchemeFactory(GrantSchemeFactory):
    """Tilskudd til forskjønning i distriktene: a 200 000 kr pot, paid afterwards."""

    name = factory.Sequence(lambda n: f"Tilskudd til forskjønning {n}")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    kind = "application"
    pot = 200_000
    base_amount = 0
    rate_per_resident = 0
    max_amount = 50_000
    payment_rule = "afterwards"


class PopulationFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.PopulationFigure"

    committee = factory.SubFactory(CommitteeFactory)
    reference_date = datetime.date(2023, 1, 1)
    age_from = 0
    age_to = 19
    residents = 4_000
    residents_in_range = 1_000
    source = "SSB, befolkning etter grunnkrets 1. januar 2023"


_application_numbers = iter(range(1, 1_000_000))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application to a forskjønning scheme, numbered TSK-<year>-9NNNNN (never a number
    the counter gives out)."""

    class Meta:
        model = "grants.Application"

    number = factory.LazyFunction(
        lambda: f"TSK-{timezone.localdate().year}-9{next(_application_numbers):05d}"
    )
    scheme = factory.SubFactory(ApplicationSchemeFactory)
    committee = factory.SubFactory(CommitteeFactory)
    state = "draft"
    title = "Blomsterkasser ved busstoppet"
    description = "Vi planter sommerblomster i seks kasser og holder dem vedlike."
    place = "Busstoppet ved Svarstad skole"
    participants = "Styret og naboer, barn fra skolen"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    planned_hours = 40
    amount_requested = 15_000


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.AnnualReport"

    committee = factory.SubFactory(CommitteeFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year - 1)
    due_on = factory.LazyAttribute(lambda o: datetime.date(o.year + 1, 5, 1))
