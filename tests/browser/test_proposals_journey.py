"""The proposals journey: a resident writes a take-over proposal, the committee forwards it, the
municipality asks a question in the admin, the committee answers, the municipality decides with
an official answer, and the resident reads the outcome and the notifications. axe-core runs on
every page visited, the admin's included."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.browser]

TITLE = "Vi tar over vanningen av blomsterkassene"
QUESTION = "Hvor mange blomsterkasser gjelder det, og trenger dere slange fra kommunen?"
ANSWER = "Det gjelder de 14 kassene langs Storgata. Vi har egne kanner, men trenger nøkkel."
OFFICIAL_ANSWER = "Kommunen låner ut nøkkel til vannposten ved rådhuset fra 1. mai."
REFERENCE = re.compile(r"/forslag/(NMU-\d{4}-\d{4})/$")


def main_menu(page):
    return page.get_by_role("navigation", name="Hovedmeny")


def switch_person(site, email):
    """Each person gets a clean session: no cookies from the one before."""
    site.page.context.clear_cookies()
    log_in(site, email)
    site.check()


def write_takeover_proposal(site) -> str:
    """The resident writes, previews and submits; returns the proposal's reference."""
    page = site.page
    main_menu(page).get_by_role("link", name="Forslag", exact=True).click()
    site.check()
    page.get_by_role("link", name="Skriv et forslag").click()
    site.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt forslag")

    page.get_by_label("Utvalg", exact=True).select_option(label="Svarstad")
    page.get_by_role("radio", name="Overta en kommunal oppgave").check()
    page.get_by_label("Tema").select_option(label="Overta kommunale oppgaver")
    page.get_by_label("Tittel").fill(TITLE)
    page.get_by_label("Kort sammendrag").fill(
        "Utvalget vanner blomsterkassene i sentrum hele sommeren."
    )
    page.get_by_role("textbox", name="Beskrivelse").fill(
        "Vi er en gjeng pensjonister som gjerne vil vanne blomsterkassene i Svarstad sentrum.\n\n"
        "Da slipper kommunen å kjøre ut fra Larvik flere ganger i uka."
    )
    # A take-over proposal cannot be previewed without the details of the task.
    page.get_by_role("button", name="Forhåndsvis").click()
    site.check()
    summary = page.get_by_role("alert").filter(has_text="Rett opp feilene nedenfor.")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Skriv hvilken oppgave utvalget vil overta.")
    expect(page.get_by_text("Skriv hvilken oppgave utvalget vil overta.").last).to_be_visible()
    # What was written is kept.
    expect(page.get_by_label("Tittel")).to_have_value(TITLE)

    page.get_by_label(re.compile(r"^Sted")).fill("Storgata i Svarstad sentrum")
    page.get_by_label(re.compile(r"^Hvilken oppgave")).fill(
        "Vanning av blomsterkassene langs Storgata"
    )
    page.get_by_label(re.compile(r"^Sesong eller hyppighet")).fill(
        "To ganger i uka fra mai til september"
    )
    page.get_by_label(re.compile(r"^Anslått antall dugnadstimer per år")).fill("80")
    page.get_by_label(re.compile(r"^Ønsket kompensasjon")).fill("5000")
    page.get_by_label(re.compile(r"^Hva kommunen må bidra med")).fill(
        "Nøkkel til vannposten ved rådhuset."
    )
    page.get_by_role("button", name="Forhåndsvis").click()
    site.check()
    expect(page).to_have_url(re.compile(r"/forslag/utkast/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Se over forslaget ditt")
    expect(page.get_by_text(TITLE).first).to_be_visible()

    page.get_by_role("button", name="Send inn til utvalget").click()
    expect(page).to_have_url(REFERENCE)
    site.check()
    reference = REFERENCE.search(page.url).group(1)
    assert reference.startswith(f"NMU-{timezone.localdate().year}-")
    return reference


def expect_state(page, text):
    expect(page.locator(".page-head")).to_contain_text(text)


def test_takeover_proposal_from_resident_to_decision(site):
    page = site.page

    # 1. The resident writes a take-over proposal and submits it.
    log_in(site, "innbygger@example.no")
    site.check()
    reference = write_takeover_proposal(site)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    meta = page.locator(".proposal-meta")
    expect(meta.get_by_role("term").first).to_have_text("Saksnummer")
    expect(meta.get_by_role("definition").first).to_have_text(reference)
    expect_state(page, "Sendt til utvalget")
    deadlines = page.get_by_role("region", name="Frister")
    committee_due = timezone.localdate() + datetime.timedelta(
        days=settings.PROPOSALS["COMMITTEE_DAYS"]
    )
    expect(deadlines.get_by_role("term")).to_have_text("Utvalget behandler forslaget")
    expect(deadlines.get_by_role("definition")).to_contain_text(f"{committee_due:%d.%m.%Y}")
    expect(deadlines.get_by_role("definition")).to_contain_text("Utvalget må følge opp")
    detail_path = f"/forslag/{reference}/"

    # 2. The Svarstad leader finds it in the inbox and forwards it to the municipality.
    switch_person(site, "leder.svarstad@example.no")
    main_menu(page).get_by_role("link", name="Utvalg", exact=True).click()
    site.check()
    page.get_by_role("link", name="Svarstad", exact=True).click()
    site.check()
    page.get_by_role("link", name="Innboksen til styret").click()
    site.check()
    expect(page).to_have_url(re.compile(r"/nmu/svarstad/innboks/$"))
    awaiting = page.get_by_role("region", name=re.compile("^Forslag som venter på utvalget"))
    awaiting.get_by_role("link", name=re.compile(f"^{reference} ")).click()
    site.check()
    expect(page).to_have_url(re.compile(detail_path + "$"))
    page.get_by_role("group", name="Behandle forslaget").get_by_role(
        "link", name="Send videre til kommunen"
    ).click()
    site.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send videre til kommunen")
    page.get_by_role("button", name="Send videre til kommunen").click()
    expect(page).to_have_url(re.compile(detail_path + "$"))
    site.check()
    expect(page.get_by_text("Forslaget er sendt videre til kommunen.")).to_be_visible()
    expect_state(page, "Sendt videre til kommunen")

    # 3. The case handler asks the committee a question from the admin's review queue.
    switch_person(site, "saksbehandler@example.no")
    main_menu(page).get_by_role("link", name="Saksbehandling").click()
    site.check()
    # The review queue is the "Forslag" model in the "Forslag" app.
    page.get_by_role("rowheader", name="Forslag", exact=True).get_by_role("link").click()
    site.check()
    search = page.get_by_role("search", name="Søk i forslag")
    search.get_by_role("textbox").fill(reference)
    search.get_by_role("button", name="Søk").click()
    site.check()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.get_by_role("link", name=reference, exact=True).click()
    site.check()
    run_admin_action(site, "Be utvalget om mer informasjon")
    expect(page.get_by_role("heading", level=1)).to_have_text("Be utvalget om mer informasjon")
    # The intermediate page shows a missing question as an error, in Norwegian.
    page.get_by_role("button", name="Send spørsmålet").click()
    site.check()
    expect(page.get_by_role("alert")).to_contain_text("Rett opp feilen nedenfor.")
    expect(page.locator(".field-question .errorlist")).to_have_text(
        "Skriv spørsmålet til utvalget."
    )
    page.get_by_label("Spørsmål til utvalget").fill(QUESTION)
    due = timezone.localdate() + datetime.timedelta(days=10)
    page.get_by_label("Svarfrist").fill(due.isoformat())
    page.get_by_role("button", name="Send spørsmålet").click()
    site.check()
    expect(page.locator(".messagelist")).to_contain_text("Ba om mer informasjon om 1 forslag.")
    expect(page.locator(".field-state")).to_contain_text("Kommunen ber om mer informasjon")

    # 4. The leader answers the municipality's question.
    switch_person(site, "leder.svarstad@example.no")
    site.visit("/nmu/svarstad/innboks/")
    questions = page.get_by_role("region", name=re.compile("^Spørsmål fra kommunen"))
    expect(questions.get_by_role("row").filter(has_text=reference)).to_contain_text(
        f"{due:%d.%m.%Y}"
    )
    questions.get_by_role("link", name=re.compile(f"^{reference} ")).click()
    expect(page).to_have_url(re.compile(detail_path + "$"))
    site.check()
    expect_state(page, "Kommunen ber om mer informasjon")
    page.get_by_role("link", name="Svar på spørsmålet fra kommunen").click()
    site.check()
    expect(page.locator(".case-question")).to_contain_text(QUESTION)
    expect(page.get_by_text(f"Svar innen {due:%d.%m.%Y}.", exact=False)).to_be_visible()
    page.get_by_label("Svar på spørsmålet").fill(ANSWER)
    page.get_by_role("button", name="Svar på spørsmålet fra kommunen").click()
    expect(page).to_have_url(re.compile(detail_path + "$"))
    site.check()
    expect(page.get_by_text("Svaret ditt er sendt til kommunen.")).to_be_visible()
    expect_state(page, "Til behandling i kommunen")

    # 5. The case handler decides with an official answer from a template.
    switch_person(site, "saksbehandler@example.no")
    site.visit(f"/admin/proposals/proposal/?q={reference}")
    page.get_by_role("link", name=reference, exact=True).click()
    site.check()
    run_admin_action(site, "Fatt vedtak med offisielt svar")
    page.get_by_label("Svarmal").select_option(label="Ja – avtale om oppgaven (Innvilget)")
    page.get_by_role("button", name="Fyll ut svarmalen").click()
    site.check()
    body = page.get_by_label("Offisielt svar")
    expect(body).to_have_value(re.compile(re.escape(f"«{TITLE}» ({reference}) fra Svarstad")))
    body.fill(body.input_value() + "\n\n" + OFFICIAL_ANSWER)
    page.get_by_label("Vedtak").select_option(label="Innvilget")
    # The answer is shown exactly as it will be published; only "Publiser" publishes it.
    page.get_by_role("button", name="Forhåndsvis").click()
    site.check()
    preview = page.locator(".proposal-answer-text")
    expect(preview).to_have_count(1)
    expect(preview).to_contain_text(f"Takk for forslaget «{TITLE}» ({reference}) fra Svarstad.")
    expect(preview).to_contain_text(OFFICIAL_ANSWER)
    expect(page.locator(".messagelist")).to_have_count(0)
    page.get_by_role("button", name="Publiser", exact=True).click()
    site.check()
    expect(page.locator(".messagelist")).to_contain_text("Vedtak er fattet i 1 forslag")
    expect(page.locator(".field-state")).to_contain_text("Innvilget")

    # 6. The resident reads the answer, the whole case and the notifications.
    switch_person(site, "innbygger@example.no")
    bell = page.locator("#notification-bell")
    # The demo's older notifications are read: these are the receipt and the four steps after it.
    expect(bell).to_contain_text("Varsler 5 uleste")
    site.visit(detail_path)
    expect_state(page, "Innvilget")
    answer = page.get_by_role("region", name="Svar fra kommunen")
    expect(answer).to_contain_text("Innvilget")
    expect(answer).to_contain_text(f"Takk for forslaget «{TITLE}» ({reference}) fra Svarstad.")
    expect(answer).to_contain_text(OFFICIAL_ANSWER)
    steps = page.get_by_role("region", name="Saksgang").get_by_role("listitem")
    expect(steps).to_have_count(5)
    # The first step says what happened, not that it left the draft.
    expect(steps.nth(0).locator(".timeline__what")).to_have_text("Sendt til utvalget")
    expect(steps.nth(0)).to_contain_text("Ingrid Innbygger (forslagsstilleren)")
    expect(steps.nth(1)).to_contain_text("Sendt til utvalget → Sendt videre til kommunen")
    expect(steps.nth(1)).to_contain_text("(utvalget)")
    expect(steps.nth(2)).to_contain_text(
        "Sendt videre til kommunen → Kommunen ber om mer informasjon"
    )
    expect(steps.nth(2)).to_contain_text(QUESTION)
    expect(steps.nth(3)).to_contain_text(
        "Kommunen ber om mer informasjon → Til behandling i kommunen"
    )
    expect(steps.nth(3)).to_contain_text(ANSWER)
    expect(steps.nth(4)).to_contain_text("Til behandling i kommunen → Innvilget")
    expect(steps.nth(4)).to_contain_text("(kommunen)")

    bell.get_by_role("link").click()
    site.check()
    expect(page).to_have_url(re.compile(r"/min-side/varsler/$"))
    unread = page.locator(".notification--unread")
    expect(unread).to_have_count(5)
    expect(unread.get_by_role("link", name=re.compile(reference))).to_have_count(5)
    for subject in [
        f"Kvittering: Forslaget ditt {reference} er sendt inn",
        f"Kommunen har svart på {reference}: Innvilget",
        f"{reference}: Til behandling i kommunen",
        f"{reference}: Kommunen ber om mer informasjon",
        f"{reference}: Sendt videre til kommunen",
    ]:
        expect(page.get_by_role("link", name=subject, exact=True)).to_be_visible()
    # Opening a notification goes to the proposal and marks it read.
    page.get_by_role("link", name=f"Kommunen har svart på {reference}: Innvilget").click()
    expect(page).to_have_url(re.compile(detail_path + "$"))
    site.check()
    expect(bell).to_contain_text("Varsler 4 uleste")


def run_admin_action(site, label):
    """Choose an action on the case's change page and run it (Django 6.1 shows them there)."""
    page = site.page
    page.get_by_role("combobox", name="Handling").select_option(label=label)
    page.get_by_role("button", name="Utfør").click()
    site.check()


def test_proposal_page_in_english(site):
    """The header's language button shows the case page in English; the resident's own text
    stays Norwegian and is marked ``lang="nb"``."""
    from proposals.models import Proposal

    proposal = Proposal.objects.get(title__startswith="Kan ikke vi ta over noen av kommunens")
    page = site.page
    log_in(site, "innbygger@example.no")
    site.check()
    site.visit(f"/forslag/{proposal.reference}/")
    expect(page.get_by_role("heading", name="Saksgang")).to_be_visible()

    page.get_by_role("button", name="English").click()
    site.check()
    expect(page).to_have_url(re.compile(f"/forslag/{proposal.reference}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect_state(page, "In progress")
    meta = page.locator(".proposal-meta")
    for term in ["Reference", "Kind", "Topic", "Committee", "Proposed by", "Submitted"]:
        expect(meta.get_by_role("term").filter(has_text=re.compile(f"^{term}$"))).to_be_visible()
    expect(meta).to_contain_text("Take over a municipal task")
    for heading in [
        "The municipality's answer",
        "The proposal",
        "The task the committee offers to take over",
        "What has happened",
        "Dialogue between the committee and the municipality",
        "Support",
        "Follow",
        "Deadlines",
    ]:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    steps = page.get_by_role("region", name="What has happened").get_by_role("listitem")
    expect(steps.first.locator(".timeline__what")).to_have_text("Submitted to the committee")
    expect(steps.filter(has_text="→ Accepted")).to_have_count(1)
    expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("Notifications")
    expect(page.locator(".proposal-summary")).to_have_attribute("lang", "nb")
    expect(page.get_by_text("Saksgang")).to_have_count(0)
