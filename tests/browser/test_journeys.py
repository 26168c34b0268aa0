import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.browser]


def test_visitor_browses_committees_and_switches_language(site):
    page = site.page
    site.visit("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nærmiljøutvalg i Larvik")
    page.get_by_role("link", name="Se alle utvalg").click()
    site.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nærmiljøutvalg")
    expect(page.get_by_role("link", name="Nanset")).to_be_visible()
    page.get_by_role("link", name="Svarstad", exact=True).click()
    site.check()
    expect(page).to_have_url(re.compile(r"/nmu/svarstad/$"))
    expect(page.get_by_role("cell", name="Sverre Svarstad")).to_be_visible()

    page.get_by_role("button", name="English").click()
    site.check()
    expect(page).to_have_url(re.compile(r"/nmu/svarstad/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Board")).to_be_visible()

    page.get_by_role("button", name="Norsk").click()
    site.check()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", name="Styret")).to_be_visible()

    for path in ["/tilgjengelighet/", "/personvern/", "/nmu/finnes-ikke/"]:
        site.visit(path)


def test_new_resident_signs_up_confirms_logs_in_and_follows(site, mailoutbox):
    page = site.page
    site.visit("/nmu/svarstad/")
    page.get_by_role("link", name="Opprett konto").click()
    site.check()
    page.get_by_label("E-post").fill("nora@example.no")
    page.get_by_label("Passord", exact=True).fill("Sterkt-passord-2026")
    page.get_by_label("Passord (gjenta)").fill("Sterkt-passord-2026")
    page.get_by_label("Fullt navn").fill("Nora Nyinnflyttet")
    page.get_by_role("button", name="Opprett konto").click()
    site.check()  # "verify your e-mail" page

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    site.check()
    page.get_by_role("button", name="Bekreft").click()
    site.check()

    # Confirming in the browser that signed up logs her in, back where she started (issue 10).
    expect(page).to_have_url(re.compile(r"/nmu/svarstad/$"))
    expect(page.get_by_role("link", name="Min side")).to_be_visible()

    site.visit("/nmu/svarstad/")
    page.get_by_role("button", name="Følg").click()
    expect(page.get_by_text("Du følger Svarstad.")).to_be_visible()
    # htmx swapped the form in place; keyboard focus stays on the button.
    expect(page.get_by_role("button", name="Slutt å følge")).to_be_focused()
    site.check()
    page.reload()
    expect(page.get_by_role("button", name="Slutt å følge")).to_be_visible()
    page.get_by_role("button", name="Slutt å følge").click()
    expect(page.get_by_role("button", name="Følg")).to_be_visible()
    site.check()


def test_svarstad_leader_edits_description(site):
    page = site.page
    log_in(site, "leder.svarstad@example.no")
    site.visit("/nmu/svarstad/")
    page.get_by_role("link", name="Rediger beskrivelse og kontaktinformasjon").click()
    site.check()
    page.get_by_role("textbox", name="Beskrivelse", exact=True).fill(
        "Vi tar over flaggheisingen i Svarstad fra 2027."
    )
    page.get_by_label("E-post for kontakt (valgfritt)").fill("ikke-en-adresse")
    page.get_by_role("button", name="Lagre").click()
    site.check()
    expect(page.get_by_text("Oppgi en gyldig e-postadresse", exact=True)).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="Rett opp feilene")).to_be_focused()
    # The error summary links to the field.
    page.get_by_role("link", name="E-post for kontakt: Oppgi en gyldig e-postadresse").click()
    expect(page.get_by_label("E-post for kontakt (valgfritt)")).to_be_focused()
    page.get_by_label("E-post for kontakt (valgfritt)").fill("svarstad@nmu.example.no")
    page.get_by_role("button", name="Lagre").click()
    site.check()
    expect(page.get_by_text("Vi tar over flaggheisingen i Svarstad fra 2027.")).to_be_visible()
    expect(page.get_by_text("Siden til utvalget er oppdatert.")).to_be_visible()


def test_leader_adds_a_board_member(site):
    """Adding a board member is an invitation the person accepts (issue 10): the leader sees it
    waiting; the sending task puts it in Ingrid's bell (her address is confirmed in the demo
    data); she reads what it means, accepts and is on the board; the leader is told."""
    from django.contrib.auth import get_user_model

    from committees.tasks import send_board_invitations
    from notifications.models import Notification

    page = site.page
    log_in(site, "leder.svarstad@example.no")
    site.visit("/nmu/svarstad/")
    page.get_by_role("link", name="Legg til styremedlem").click()
    site.check()
    page.get_by_label("E-postadresse").fill("innbygger@example.no")
    page.get_by_label("Rolle").select_option("treasurer")
    page.get_by_label("Representerer").select_option("elderly")
    page.get_by_role("button", name="Lagre").click()
    site.check()
    expect(
        page.get_by_text(
            "Invitasjonen er sendt til innbygger@example.no. Personen blir med i styret når hen "
            "godtar den."
        )
    ).to_be_visible()
    waiting = page.get_by_role("table", name="Invitasjoner som venter på svar")
    row = waiting.get_by_role("row").filter(has_text="innbygger@example.no")
    expect(row.get_by_role("cell", name="Kasserer", exact=True)).to_be_visible()
    # Not on the board before she has said yes.
    expect(page.get_by_role("cell", name="Ingrid Innbygger", exact=True)).to_have_count(0)

    # The worker's turn, in this process (as beat or the nudge would run it).
    assert send_board_invitations.apply().get() == {"sent": 1, "failed": 0, "deleted": 0}
    site.visit("/konto/logout/")
    page.get_by_role("button", name="Logg ut").click()
    site.check()

    log_in(site, "innbygger@example.no")
    ingrid = get_user_model().objects.get(email="innbygger@example.no")
    unread = Notification.objects.filter(recipient=ingrid, read_at__isnull=True).count()
    bell = page.locator("#notification-bell")
    expect(bell).to_contain_text(f"Varsler {unread} uleste")
    bell.get_by_role("link").click()
    site.check()
    page.get_by_role("link", name="Svarstad inviterer deg til styret", exact=True).click()
    page.wait_for_url("**/nmu/svarstad/invitasjon/*/")
    site.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitasjon til styret")
    expect(
        page.get_by_text(
            "Sverre Svarstad, leder i Svarstad, inviterer deg til styret som kasserer."
        )
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Hva det betyr")).to_be_visible()
    page.get_by_role("button", name="Godta og bli med i styret").click()
    page.wait_for_url("**/nmu/svarstad/")
    site.check()
    expect(page.get_by_text("Velkommen i styret i Svarstad. Du er nå kasserer.")).to_be_visible()
    expect(page.get_by_role("cell", name="Ingrid Innbygger", exact=True)).to_be_visible()
    site.visit("/konto/logout/")
    page.get_by_role("button", name="Logg ut").click()
    site.check()

    log_in(site, "leder.svarstad@example.no")
    site.visit("/min-side/varsler/")
    expect(
        page.get_by_role("link", name="Ingrid Innbygger er med i styret i Svarstad", exact=True)
    ).to_be_visible()
    site.visit("/nmu/svarstad/")
    expect(page.get_by_role("cell", name="Ingrid Innbygger", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Invitasjoner som venter på svar")).to_have_count(0)


# Every page a journey visits is measured at 320 px by site.check(); these pages are measured
# again with the web font blocked, so the layout reflows with whatever font a machine falls back to.
REFLOW_PAGES = [
    "/",
    "/nmu/",
    "/nmu/svarstad/",
    "/nmu/larvik-sentrum/",
    "/nmu/finnes-ikke/",
    "/forslag/",
    "published proposal",
    "/konto/login/",
    "/konto/signup/",
    "/tilgjengelighet/",
    "/personvern/",
]
INTER_LOADED = (
    "[...document.fonts].some(f => f.family.replaceAll('\"', '') === 'Inter'"
    " && f.status === 'loaded')"
)


@pytest.mark.parametrize("font", ["inter", "fallback"])
def test_layout_holds_at_320px(site, font):
    """No sideways scrolling on a small phone (WCAG 1.4.10 reflow), with Inter and without it."""
    from proposals.models import Proposal

    proposal = Proposal.objects.published().order_by("-submitted_at").first()
    site.page.unroute("**/vendor/inter/*")  # WEB_FONT=blocked does not apply here
    if font == "fallback":
        site.page.route("**/vendor/inter/*", lambda route: route.abort())
    site.page.set_viewport_size({"width": 320, "height": 640})
    too_wide = []
    for path in REFLOW_PAGES:
        if path == "published proposal":
            path = proposal.get_absolute_url()
        site.visit(path)
        width = site.page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide.append(f"{path} is {width}px wide")
        assert site.page.evaluate(INTER_LOADED) is (font == "inter"), path
    assert too_wide == [], f"with the {font} font: {too_wide}"


def test_inter_is_self_hosted_and_used(site):
    """The pages are set in Inter from our own static files (woff2, allowed by font-src 'self'),
    whatever fonts the machine has; the status tags in the front page's cards are not clipped."""
    site.page.unroute("**/vendor/inter/*")  # WEB_FONT=blocked does not apply here
    fonts = []
    site.page.on(
        "response",
        lambda response: fonts.append(response) if response.request.resource_type == "font" else 0,
    )
    site.visit("/")
    assert site.page.evaluate(INTER_LOADED)
    family = site.page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Inter"') or family.startswith("Inter"), family
    assert fonts, "no font was fetched"
    for response in fonts:
        assert response.url.startswith(site.base_url + "/static/vendor/inter/"), response.url
        assert response.url.endswith(".woff2") and response.status == 200
    csp = site.page.evaluate("fetch('/').then(r => r.headers.get('content-security-policy'))")
    assert "font-src 'self';" in csp + ";"
    clipped = site.page.evaluate(
        """[...document.querySelectorAll('.card-grid .ds-tag')].filter(tag => {
            const card = tag.closest('.ds-card').getBoundingClientRect();
            const box = tag.getBoundingClientRect();
            return box.right > card.right || tag.scrollWidth > tag.clientWidth;
        }).map(tag => tag.textContent)"""
    )
    assert clipped == []


def test_account_pages_are_accessible(site):
    """allauth's pages in our frame: styled, Norwegian, and WCAG 2.1 AA clean."""
    page = site.page
    for path in ["/konto/login/", "/konto/signup/", "/konto/password/reset/"]:
        site.visit(path)
        expect(page.locator("link[href$='designsystemet.css']")).to_have_count(1)
    log_in(site, "innbygger@example.no")
    for path in ["/min-side/", "/konto/email/", "/konto/password/change/", "/konto/2fa/"]:
        site.visit(path)
        expect(page.get_by_role("navigation", name="Kontoinnstillinger")).to_be_visible()
    site.visit("/konto/logout/")
    page.get_by_role("button", name="Logg ut").click()
    site.check()
    expect(page.get_by_role("link", name="Logg inn")).to_be_visible()


def test_board_member_reads_notifications_and_chooses_a_weekly_summary(site):
    """The bell shows the count; opening one goes to its page; marking read updates the bell;
    the e-mail choice is saved."""
    page = site.page
    log_in(site, "styremedlem@example.no")
    bell = page.locator("#notification-bell")
    expect(bell).to_contain_text("Varsler 2 uleste")
    bell.get_by_role("link").click()
    site.check()
    expect(page.get_by_role("heading", name="Varsler", exact=True)).to_be_visible()
    reminder = page.locator(".notification", has_text="Styreperioden din i Svarstad går ut")
    reminder.get_by_role("button", name="Merk som lest").click()
    expect(bell).to_contain_text("Varsler 1 uleste")
    expect(page.locator("#notification-status")).to_contain_text(
        "Merket som lest: Styreperioden din"
    )
    expect(reminder.get_by_role("button", name="Merk som lest")).to_have_count(0)
    expect(reminder.get_by_role("link")).to_be_focused()  # keyboard users stay where they were
    site.check()
    page.get_by_role("link", name="Du er lagt til i styret i Svarstad").click()
    page.wait_for_url("**/nmu/svarstad/")
    site.check()
    expect(page.locator("#notification-bell .bell__count")).to_have_count(0)
    site.visit("/min-side/varsler/innstillinger/")
    group = page.get_by_role("group", name="Utvalg og styreverv")
    group.get_by_label("Ukentlig oppsummering").check()
    page.get_by_role("button", name="Lagre").click()
    site.check()
    expect(page.get_by_text("Varselinnstillingene dine er lagret.")).to_be_visible()
    expect(
        page.get_by_role("group", name="Utvalg og styreverv").get_by_label("Ukentlig oppsummering")
    ).to_be_checked()
    site.visit("/min-side/varsler/")
    expect(page.get_by_text("Du har ingen varsler ennå.")).to_have_count(0)


def test_resident_stops_emails_from_the_link_in_an_email(site):
    """The e-mail's "stop e-mails like this one" link works without logging in."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from notifications.models import NotificationPreference
    from notifications.unsubscribe import make_token

    user = get_user_model().objects.get(email="styremedlem@example.no")
    token = make_token(user_id=user.pk, categories=["committee"])
    site.visit(reverse("notifications:unsubscribe", args=[token]))
    page = site.page
    expect(page.get_by_text("Vil du stoppe e-post om «Utvalg og styreverv»?")).to_be_visible()
    page.get_by_role("button", name="Stopp disse e-postene").click()
    site.check()
    expect(page.get_by_role("heading", name="Du får ikke flere e-poster om dette")).to_be_visible()
    assert NotificationPreference.objects.get(user=user).frequency == "in_app"
