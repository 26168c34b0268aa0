"""The dugnads journey (issue 11), in Norwegian and in English: the Svarstad leader makes a
resident's wish for a joint dugnad into a dugnad from the board's inbox, asking the municipality
for a container and for 10 people to rake, with 2 places; the case handler confirms the
container in the admin's work list; two residents take the 2 places and a guest, signed up by
name and e-mail, confirms from the link in the e-mail and lands on the waiting list; a resident
cancels and the guest gets the place and an e-mail; after the event the leader reports the hours,
and the dugnad's page, the committee page and the front page show the hours, then their value.
axe-core runs on every page visited, the admin's included (``site.check``).

The dugnads' words are new and translated at the end of the issue, so the test finds them by
their English text run through gettext in the page's language (``Words``): the same test holds
before and after the Norwegian translation is written.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from .conftest import switch_person

pytestmark = [pytest.mark.browser]

LEADER = "leder.svarstad@example.no"
RESIDENT_A = "innbygger@example.no"  # Ingrid Innbygger, of the demo
CASE_HANDLER = "saksbehandler@example.no"  # Kultur og idrett's case handler, of the demo
DEPARTMENT = "Kultur og idrett"
PROPOSAL_TITLE = "Felles dugnad i Svarstadparken"  # the demo's wish, left for "Lag dugnad"
NEED = "Raking"
HOURS = 6
# The admin's button that runs the chosen action (Django's own words, translated upstream).
ADMIN_RUN_ACTION = {"nb": "Utfør", "en": "Go"}
GUEST_PATH = re.compile(r"/dugnad/pamelding/[^/\s\"<>]+/")


class Words:
    """The page's words in ``language``: gettext of the English msgid, as the page says it."""

    def __init__(self, language: str):
        self.language = language

    def __call__(self, text: str, **values) -> str:
        with translation.override(self.language):
            words = translation.gettext(text)
        return words % values if values else words

    def optional(self, text: str) -> str:
        """An optional field's label, as the form renderer writes it: "Places (optional)"."""
        return f"{self(text)} ({self('optional')})"

    def starting(self, text: str) -> re.Pattern:
        """A label that starts with ``text`` (a field with a note after it)."""
        return re.compile(rf"^{re.escape(self(text))}\b")

    def p(self, context: str, text: str) -> str:
        with translation.override(self.language):
            return translation.pgettext(context, text)


def kroner(amount, language: str = "nb") -> re.Pattern:
    """``kr 2 100`` (``NOK 2,100`` in English) as core.formatting.money writes it (non-breaking
    spaces)."""
    if language.startswith("en"):
        return re.compile(rf"NOK\s{int(amount):,}(?!\d)")
    grouped = f"{int(amount):,}".replace(",", r"\s")
    return re.compile(rf"kr\s{grouped}(?!\d)")


def in_language(site, words: Words):
    """A visitor with no account chooses the language with the header's switch."""
    if words.language != settings.LANGUAGE_CODE:
        site.page.get_by_role("button", name="English").click()
        site.check()
    expect(site.page.locator("html")).to_have_attribute("lang", words.language)


@pytest.fixture(autouse=True)
def hourly_rates(site):
    """The hourly values migration 0002 seeds: a transactional test's flush empties the table
    and the demo does not fill it, so they are put back as the migration puts them (and, in a
    year after the seed's, that value for this year too)."""
    import importlib

    from django.apps import apps

    from dugnads.models import HourlyRate

    importlib.import_module("dugnads.migrations.0002_hourly_rate_seed").seed(apps, None)
    latest = HourlyRate.objects.order_by("-year").first()
    HourlyRate.objects.get_or_create(
        year=timezone.localdate().year,
        defaults={"nok_per_hour": latest.nok_per_hour, "source": latest.source},
    )


@pytest.fixture
def resident_b(site):
    """Resident B: a new account next to the demo's people (e-mail, password)."""
    from tests.factories import PASSWORD, UserFactory

    user = UserFactory(email="berit.beboer@example.no", full_name="Berit Beboer")
    return user.email, PASSWORD


def test_dugnad_from_wish_to_hours_and_value(site, resident_b, mailoutbox):
    from dugnads.guest_mail import guest_mail_send
    from dugnads.models import Dugnad, GuestMail, ResourceState, Signup, SignupState
    from dugnads.notifications import PROMOTED
    from proposals.models import Proposal

    language = "nb"
    t = Words(language)
    page = site.page
    proposal = Proposal.objects.get(title=PROPOSAL_TITLE)
    guest = ("Gunnar Gjest", "gunnar.gjest@example.net")
    day = timezone.localdate() + datetime.timedelta(days=14)

    # 1. The leader finds the wish in the board's inbox and makes it a dugnad.
    switch_person(site, LEADER)
    expect(page.locator("html")).to_have_attribute("lang", language)
    site.visit("/nmu/svarstad/innboks/")
    row = page.get_by_role("row").filter(has_text=proposal.reference)
    expect(row).to_contain_text(PROPOSAL_TITLE)
    row.get_by_role("link", name=f"{t('Make a dugnad')} {proposal.reference}").click()
    site.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("New dugnad for %(name)s", name="Svarstad")
    )
    expect(page.locator("#from-proposal")).to_contain_text(proposal.reference)
    expect(page.get_by_label(t("Title"), exact=True)).to_have_value(PROPOSAL_TITLE)
    page.get_by_label(t("Date"), exact=True).fill(day.isoformat())
    page.get_by_label(t("Starts at"), exact=True).fill("10:00")
    page.get_by_label(t("Ends at"), exact=True).fill("14:00")
    page.get_by_label(t("Meeting point"), exact=True).fill("Lekeplassen i Svarstadparken")
    page.get_by_label(t.optional("Places"), exact=True).fill("2")
    need = page.get_by_role("group", name=f"{t('Need')} 1", exact=True)
    need.get_by_label(t("What"), exact=True).fill(NEED)
    need.get_by_label(t("How many people"), exact=True).fill("10")
    resource = page.get_by_role("group", name=f"{t('Resource')} 1", exact=True)
    resource.get_by_label(t("Resource"), exact=True).select_option(value="container")
    resource.get_by_label(t("Responsible department")).select_option(label=DEPARTMENT)
    resource.get_by_label(t.optional("Quantity and notes")).fill(
        "En container, 10 m³, for hageavfall"
    )
    page.get_by_role("button", name=t("Save as draft")).click()
    site.check()
    dugnad = Dugnad.objects.get(origin_proposal=proposal)
    expect(page).to_have_url(re.compile(rf"/dugnad/{dugnad.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PROPOSAL_TITLE)
    expect(page.locator("#draft-notice")).to_be_visible()
    manage = page.get_by_role("group", name=t("Manage the dugnad"))
    manage.get_by_role("link", name=t("Publish the dugnad")).click()
    site.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Publish the dugnad"))
    page.get_by_role("button", name=t("Publish the dugnad")).click()
    site.check()
    expect(page.get_by_text(t("The dugnad has been published."))).to_be_visible()
    expect(page.locator("#places")).to_contain_text("2")
    needs = page.get_by_role("region", name=t("What is needed"))
    expect(needs.get_by_role("row", name=re.compile(f"^{NEED} "))).to_contain_text("10")
    resources = page.get_by_role("region", name=t("From the municipality"))
    expect(resources.locator("[data-state=requested]")).to_contain_text(
        t.p("resource", "Requested")
    )
    dugnad_path = f"/dugnad/{dugnad.pk}/"
    # Linked both ways: the proposal's page names the dugnad it became.
    page.get_by_role("link", name=f"{PROPOSAL_TITLE} ({proposal.reference})").click()
    site.check()
    expect(page).to_have_url(re.compile(rf"/forslag/{proposal.reference}/$"))
    became = page.locator("#proposal-dugnad")
    expect(became).to_contain_text(t("This proposal became the dugnad"))
    expect(became.get_by_role("link", name=PROPOSAL_TITLE)).to_have_attribute("href", dugnad_path)

    # 2. The case handler confirms the container from the department's work list.
    switch_person(site, CASE_HANDLER)
    page.get_by_role("navigation", name=t("Main menu")).get_by_role(
        "link", name=t("Case handling")
    ).click()
    site.check()
    page.get_by_role("rowheader", name=capfirst(t("municipal resources")), exact=True).get_by_role(
        "link"
    ).click()
    site.check()
    listed = page.locator("#result_list tbody tr").filter(has_text=PROPOSAL_TITLE)
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(DEPARTMENT)
    listed.get_by_role("link", name=PROPOSAL_TITLE, exact=True).click()
    site.check()
    page.get_by_role("combobox", name=t("Action")).select_option(label=t("Confirm"))
    page.get_by_role("button", name=ADMIN_RUN_ACTION[language]).click()
    site.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Confirm the resource requests"))
    page.get_by_label(t("Note to the committee (optional)")).fill(
        "Containeren står ved lekeplassen fra fredag."
    )
    page.get_by_role("button", name=t("Confirm"), exact=True).click()
    site.check()
    expect(page.locator(".messagelist")).to_contain_text(
        t("%(count)d resource request confirmed.", count=1)
    )
    assert dugnad.resources.get().state == ResourceState.CONFIRMED

    # 3. Two residents take the two places; a guest signs up and confirms from the e-mail.
    for email, password in [(RESIDENT_A, "demo-nmu-2026"), resident_b]:
        switch_person(site, email, password)
        site.visit(dugnad_path)
        expect(resources.locator("[data-state=confirmed]")).to_contain_text(
            t.p("resource", "Confirmed")
        )
        resident_signs_up(site, t, PROPOSAL_TITLE)
    expect(page.locator("#signup-places")).to_contain_text(t("The dugnad is full."))
    # The swap renews the panel only: the page's needs say 2 raking once it is loaded again.
    page.reload()
    expect(needs.locator(".need-signed")).to_have_text("2")
    expect(needs.locator(".need-missing")).to_have_text("8")

    guest_signs_up_and_confirms(site, t, dugnad_path, *guest)
    expect(page.locator("#guest-state")).to_contain_text(
        t("You are on the waiting list, number %(position)s.", position=1)
    )
    guest_signup = Signup.objects.get(dugnad=dugnad, guest_email=guest[1])
    assert guest_signup.state == SignupState.WAITLISTED

    # 4. Resident A cancels; the guest gets the place and is told by e-mail.
    switch_person(site, RESIDENT_A)
    site.visit(dugnad_path)
    signup = page.get_by_role("region", name=t("Sign up"))
    signup.get_by_role("button", name=t("Cancel my sign-up")).click()
    expect(signup.get_by_role("status")).to_contain_text(
        t("Your sign-up for %(title)s is cancelled.", title=PROPOSAL_TITLE)
    )
    expect(signup.locator("#signup-message")).to_be_focused()
    site.check()
    guest_signup.refresh_from_db()
    assert guest_signup.state == SignupState.CONFIRMED
    assert GuestMail.objects.filter(signup=guest_signup, kind=PROMOTED).count() == 1
    mail.outbox.clear()
    assert guest_mail_send()["sent"] == 1
    (promoted_mail,) = mail.outbox
    assert promoted_mail.to == [guest[1]]
    assert PROPOSAL_TITLE in promoted_mail.subject + promoted_mail.body

    # The link in the new e-mail opens the guest's page: the place is theirs.
    page.context.clear_cookies()
    site.visit(GUEST_PATH.search(promoted_mail.body).group(0))
    in_language(site, t)
    expect(page.locator("#guest-state")).to_have_text(t("You are signed up."))

    # The leader's participant list: resident B and the guest have the places.
    switch_person(site, LEADER)
    site.visit(dugnad_path)
    page.get_by_role("link", name=t("Participant list")).click()
    site.check()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Berit Beboer")
    expect(main).to_contain_text(guest[0])
    expect(main).not_to_contain_text("Ingrid Innbygger")

    # 5. The dugnad has taken place, and the leader reports the hours.
    figures = held_and_reported(site, t, dugnad, participants=2)

    # 6. The committee page and the front page: the hours first, then their value.
    committee_and_front_page(site, t, figures)


def resident_signs_up(site, t, title):
    """A logged-in resident signs up on the dugnad's page, for the raking; htmx swaps the
    panel in place."""
    signup = site.page.get_by_role("region", name=t("Sign up"))
    signup.get_by_label(t.optional("I would like to help with")).select_option(label=NEED)
    signup.get_by_role("button", name=t("Sign up"), exact=True).click()
    expect(signup.locator("#my-signup-state")).to_have_text(t("You are signed up."))
    expect(signup.get_by_role("status")).to_contain_text(
        t("You are signed up for %(title)s.", title=title)
    )
    # Keyboard focus goes to what happened, not back to the page's start.
    expect(signup.locator("#signup-message")).to_be_focused()
    site.check()


def guest_signs_up_and_confirms(site, t, dugnad_path, name, email) -> str:
    """A visitor with no account signs up (the dugnad is full: for the waiting list), gets the
    e-mail, opens its link and confirms. Returns the link's path."""
    from dugnads.guest_mail import guest_mail_send

    page = site.page
    page.context.clear_cookies()
    site.visit(dugnad_path)
    in_language(site, t)
    signup = page.get_by_role("region", name=t("Sign up"))
    signup.get_by_label(t("Your name")).fill(name)
    signup.get_by_label(t("Your e-mail address")).fill(email)
    signup.get_by_role("button", name=t("Sign up for the waiting list")).click()
    expect(signup.locator("#guest-sent")).to_be_visible()
    site.check()
    mail.outbox.clear()
    assert guest_mail_send()["sent"] == 1
    (confirm_mail,) = mail.outbox
    assert confirm_mail.to == [email]
    assert confirm_mail.extra_headers["Content-Language"] == t.language
    path = GUEST_PATH.search(confirm_mail.body).group(0)
    site.visit(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your sign-up"))
    expect(page.locator("#guest-state")).to_contain_text(t("Not confirmed yet."))
    page.get_by_role("button", name=t("Confirm the sign-up")).click()
    site.check()
    expect(page.get_by_text(t("You are on the waiting list."), exact=True)).to_be_visible()
    return path


def held_and_reported(site, t, dugnad, *, participants: int):
    """Moves the dugnad into the past (as the demo does: the municipality's day moves with the
    start, a dugnad is valid only with its resources answered by then), marks it held as the
    portal does within the hour, and the leader (logged in) reports ``HOURS`` hours. Returns
    the year's figures before the report: Svarstad's, all committees', the hourly value."""
    from dugnads import services
    from dugnads.figures import dugnad_year_figures
    from dugnads.models import Dugnad, HourlyRate
    from dugnads.rules import default_resources_due

    page = site.page
    starts = timezone.now() - datetime.timedelta(hours=5)
    Dugnad.objects.filter(pk=dugnad.pk).update(
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
        resources_due=default_resources_due(starts),
    )
    assert services.dugnads_mark_held() == 1
    year = timezone.localdate(starts).year
    before = {
        "year": year,
        "svarstad": dugnad_year_figures(year=year, committee=dugnad.committee).hours,
        "all": dugnad_year_figures(year=year).hours,
        "rate": HourlyRate.objects.get(year=year).nok_per_hour,
    }
    assert before["rate"] == Decimal(350)  # the seed (a migration): 6 hours are kr 2 100

    dugnad_path = dugnad.get_absolute_url()
    site.visit(dugnad_path)
    page.get_by_role("link", name=t("Report hours and what was done")).click()
    site.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Report the dugnad"))
    page.get_by_label(t("How many took part")).fill(str(participants))
    page.get_by_role("radio", name=t("In total for the dugnad")).check()
    page.get_by_label(t.starting("Hours in total")).fill(str(HOURS))
    page.get_by_label(t("What was done"), exact=True).fill(
        "Vi raket hele parken og fylte containeren med løv."
    )
    page.get_by_role("button", name=t("Send the report")).click()
    site.check()
    expect(page).to_have_url(re.compile(rf"{dugnad_path}#report-heading$"))
    expect(page.get_by_text(t("Thank you! The dugnad has been reported."))).to_be_visible()
    report = page.get_by_role("region", name=t("After the dugnad"))
    expect(report.locator("#report-participants")).to_have_text(str(participants))
    expect(report.locator("#report-hours")).to_have_text(str(HOURS))
    expect(report.locator("#report-value")).to_have_text(
        kroner(HOURS * 350, t.language)
    )  # kr 2 100
    return before


def committee_and_front_page(site, t, before):
    """From the dugnad's page to its committee's page, then the front page: this year's hours
    with the new report's, then their value."""
    page = site.page
    page.get_by_role("link", name="Svarstad", exact=True).first.click()
    site.check()
    expect(page).to_have_url(re.compile(r"/nmu/svarstad/$"))
    hours = before["svarstad"] + HOURS
    expect_hours_then_value(page, t, before["year"], hours, hours * before["rate"])

    page.get_by_role("banner").locator(".site-header__brand").click()
    site.check()
    hours = before["all"] + HOURS
    expect_hours_then_value(page, t, before["year"], hours, hours * before["rate"])


def expect_hours_then_value(page, t, year, hours, value):
    """The figures' line names the hours first and their value second."""
    figures = page.get_by_role("region", name=t("Dugnads in %(year)s", year=year))
    line = figures.locator("#dugnad-figures-hours")
    expect(line).to_contain_text(kroner(value, t.language))
    text = line.inner_text().replace("\xa0", " ")
    first_number = re.search(r"\d+(?: \d{3})*", text).group(0)
    assert first_number.replace(" ", "") == str(int(hours)), text
    assert text.index(first_number) < kroner(value, t.language).search(text).start(), text


ENGLISH_TITLE = "Vårrydding ved Svarstad kirke"


@pytest.fixture
def in_english(site):
    """The demo's resident and the Svarstad leader prefer English: their pages are English once
    they are logged in. The visitor chooses English with the header's switch."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(email__in=[LEADER, RESIDENT_A]).update(preferred_language="en")


def published_dugnad(*, capacity: int):
    """A Svarstad dugnad in two weeks, published, asking for 10 rakers and a container (which
    the municipality has confirmed): made through the services, as the Norwegian journey
    makes its dugnad through the pages."""
    from django.contrib.auth import get_user_model

    from committees.models import Committee, Department
    from dugnads import services
    from dugnads.services.planning import NeedLine, ResourceLine, dugnad_plan_create
    from dugnads.services.resources import resource_answer

    User = get_user_model()
    leader = User.objects.get(email=LEADER)
    starts = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate() + datetime.timedelta(days=14), datetime.time(10)
        )
    )
    dugnad = dugnad_plan_create(
        committee=Committee.objects.get(slug="svarstad"),
        actor=leader,
        title=ENGLISH_TITLE,
        description="Vi raker løv og rydder rundt kirken.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        meeting_point="Kirkebakken",
        capacity=capacity,
        needs=[NeedLine(title=NEED, people=10)],
        resources=[
            ResourceLine(
                kind="container",
                department=Department.objects.get(name=DEPARTMENT),
                details="En container for hageavfall",
            )
        ],
    )
    dugnad = services.dugnad_publish(dugnad=dugnad, actor=leader)
    resource_answer(
        resource=dugnad.resources.get(),
        actor=User.objects.get(email=CASE_HANDLER),
        confirmed=True,
    )
    return dugnad


def test_dugnad_in_english(site, in_english, mailoutbox):
    """The dugnad's page, signing up (a resident with one place, then a guest: the e-mail, the
    guest's page, the waiting list) and the report, in English; then the committee page's and
    the front page's hours and value. The board's own words stay Norwegian, marked so."""
    t = Words("en")
    page = site.page
    dugnad = published_dugnad(capacity=1)
    dugnad_path = dugnad.get_absolute_url()

    # A visitor reads the dugnad's page in English.
    site.visit(dugnad_path)
    in_language(site, t)
    expect(page.get_by_role("heading", level=1)).to_have_text(ENGLISH_TITLE)
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "nb")
    needs = page.get_by_role("region", name=t("What is needed"))
    expect(needs.get_by_role("row", name=re.compile(f"^{NEED} "))).to_contain_text("10")
    resources = page.get_by_role("region", name=t("From the municipality"))
    expect(resources.locator("[data-state=confirmed]")).to_contain_text(
        t.p("resource", "Confirmed")
    )
    expect(page.locator("#signup-places")).to_contain_text(
        t("%(counter)s place left of %(capacity)s.", counter=1, capacity=1)
    )

    # The resident takes the one place; the guest goes on the waiting list.
    switch_person(site, RESIDENT_A)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    site.visit(dugnad_path)
    resident_signs_up(site, t, ENGLISH_TITLE)
    expect(page.locator("#signup-places")).to_contain_text(t("The dugnad is full."))
    guest_signs_up_and_confirms(site, t, dugnad_path, "Grace Guest", "grace.guest@example.net")
    expect(page.locator("#guest-state")).to_contain_text(
        t("You are on the waiting list, number %(position)s.", position=1)
    )

    # After the dugnad the leader reports the hours.
    switch_person(site, LEADER)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    figures = held_and_reported(site, t, dugnad, participants=1)
    committee_and_front_page(site, t, figures)
