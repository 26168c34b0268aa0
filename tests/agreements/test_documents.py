"""/avtaler/<number>/utskrift/ and /avtaler/<number>/avtale.pdf: the agreement as a document,
one template, the PDF by WeasyPrint; a draft's only for the two parties, the public's without
the personal fields."""

import io
import re

import pypdf
import pytest
from django.urls import reverse

from agreements.terms import terms_hash
from agreements.views.documents import static_path
from tests.factories import AgreementFactory, PaymentFactory, ProvisionFactory, TaskFactory

from .public_helpers import PARTIES, PHONE, ROLES, login, sign

pytestmark = pytest.mark.django_db


def print_url(agreement):
    return reverse("agreements:agreement-print", args=[agreement.number])


def pdf_url(agreement):
    return reverse("agreements:agreement-pdf", args=[agreement.number])


def pdf_text(response) -> str:
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    """The text without any whitespace (a hash wraps in its table cell; a space is a NBSP)."""
    return re.sub(r"\s+", "", text.replace("\xa0", " "))


def pdf_fonts(response) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


@pytest.fixture
def signed(committee, department, leader, signer):
    """An active agreement with two tasks, a provision, a payment and both signatures (the
    leader's with a phone number: personal data)."""
    agreement = AgreementFactory(
        committee=committee, department=department, state="active", title="Flagging i sentrum"
    )
    TaskFactory(agreement=agreement, amount=12_000, locations="Torget\nKirka")
    TaskFactory(
        agreement=agreement,
        kind="leaf_blowing",
        pricing="per_occasion",
        amount=2_500,
        occasions_per_year=2,
        description="Løvblåsing i Bøkeskogen",
    )
    ProvisionFactory(agreement=agreement, description="Løvblåsere fra parkavdelingen")
    PaymentFactory(agreement=agreement, amount=8_500)
    current = terms_hash(agreement)
    sign(agreement, signer=leader, sha=current)
    sign(agreement, signer=signer, party="municipality", phone="", sha="b" * 64)
    return agreement


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", [print_url, pdf_url])
def test_a_drafts_document_is_for_the_two_parties_only(client, user_in_role, role, url, draft):
    login(client, user_in_role(role))
    assert client.get(url(draft)).status_code == (200 if role in PARTIES else 404)


@pytest.mark.parametrize("url", [print_url, pdf_url])
def test_a_signed_agreements_document_is_for_everyone(client, url, signed):
    assert client.get(url(signed)).status_code == 200


def test_the_pdf_has_the_parties_tasks_amounts_and_signature_hashes(client, signed):
    response = client.get(pdf_url(signed))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{signed.number}.pdf"'
    text = pdf_text(response)
    flat = squeezed(text)
    assert signed.number in text
    assert "Svarstad" in text and signed.department.name in text
    assert "Torget" in text and "Kirka" in text and "Løvblåsing i Bøkeskogen" in text
    assert "Løvblåsere fra parkavdelingen" in text
    # Amounts as the site writes them (kr 12 000), the payment plan's too.
    assert "kr12000" in flat and "kr2500" in flat and "kr8500" in flat
    assert terms_hash(signed) in flat and "b" * 64 in flat
    assert "SverreLeder" in flat and "KariSaksbehandler" in flat
    # Norwegian, numbered pages: "Side 1 av N".
    assert re.search(r"Side 1 av \d+", text)


def test_the_pdf_uses_the_sites_inter_font_from_our_static_files(client, signed):
    assert any("Inter" in font for font in pdf_fonts(client.get(pdf_url(signed))))


def test_the_public_pdf_and_print_page_withhold_the_signatorys_phone(client, signed, leader):
    assert PHONE not in pdf_text(client.get(pdf_url(signed)))
    assert PHONE not in client.get(print_url(signed)).content.decode()
    # The parties' own copy has it (so the test sees the field when it is there).
    login(client, leader)
    assert PHONE in pdf_text(client.get(pdf_url(signed)))
    assert PHONE in client.get(print_url(signed)).content.decode()


def test_a_partys_copy_is_not_kept_by_a_shared_cache(client, signed, leader):
    assert "no-store" not in client.get(pdf_url(signed)).get("Cache-Control", "")
    login(client, leader)
    assert "no-store" in client.get(pdf_url(signed))["Cache-Control"]


def test_the_print_page_has_both_parties_tasks_money_and_hashes(client, signed):
    body = client.get(print_url(signed)).content.decode()
    assert 'id="doc-committee"' in body and 'id="doc-department"' in body
    assert "Løvblåsing i Bøkeskogen" in body and "kr\xa012\xa0000" in body
    assert terms_hash(signed) in body
    assert "agreement-print.css" in body
    assert "<script" not in body and "style=" not in body


def test_the_pdf_fetches_only_our_own_static_files():
    assert static_path("/static/css/agreement-print.css").endswith("agreement-print.css")
    assert static_path("http://testserver/static/vendor/inter/inter-latin-wght-normal.woff2")
    for url in [
        "https://evil.example/x.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "/static/../larvik_nmu/settings/base.py",
        "/media/agreements/reports/1/x.jpg",
        "/static/",
    ]:
        assert static_path(url) is None, url


@pytest.mark.parametrize("number", ["%00", "AVT-1999-001", "x" * 300])
def test_impossible_numbers_are_404(client, number):
    for suffix in ["utskrift/", "avtale.pdf"]:
        assert client.get(f"/avtaler/{number}/{suffix}").status_code == 404
