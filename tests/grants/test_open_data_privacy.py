"""Open data holds no personal data and no row that is not public: every file of every dataset
is searched for every user's e-mail address and name, the committees' contact addresses, a
signatory's name and phone, a guest's name and address, what residents wrote, and the private
rows (a draft proposal, a draft dugnad, a draft agreement, an unpaid grant)."""

import pytest
from django.contrib.auth import get_user_model

from committees.models import Committee
from grants import open_data

from .open_data_helpers import download, make_world, read_json


@pytest.fixture
def world(
    committee,
    other_committee,
    resident,
    other_resident,
    leader,
    board_member,
    other_committee_leader,
    case_handler,
    department,
    application_scheme,
):
    return make_world(
        committee=committee,
        other_committee=other_committee,
        resident=resident,
        other_resident=other_resident,
        department=department,
        scheme=application_scheme,
    )


def every_file(client) -> str:
    texts = []
    for slug in open_data.DATASETS:
        for fmt in open_data.FORMATS:
            response, text = download(client, slug, fmt)
            assert response.status_code == 200
            texts.append(text)
    return "\n".join(texts)


def test_no_name_or_address_of_a_person_is_in_any_file(client, world):
    text = every_file(client).casefold()
    people = list(get_user_model().objects.values_list("email", "full_name"))
    assert len(people) >= 6
    for email, name in people:
        assert email.casefold() not in text
        assert name.casefold() not in text
    for address in Committee.objects.values_list("contact_email", flat=True):
        assert address and address.casefold() not in text
    for private in ("Signe Signatar", "912 34 567", "Gjest Gjestesen", "gjest@example.no"):
        assert private.casefold() not in text
    assert "@" not in text


def test_what_residents_wrote_is_not_in_the_files(client, world):
    text = every_file(client)
    proposal = world["public_proposal"]
    for words in (proposal.title, proposal.summary, proposal.body, "Vi gjør det."):
        assert words not in text


def test_private_rows_are_not_in_the_files(client, world):
    text = every_file(client)
    assert "Hemmelig utkast" not in text
    assert world["draft_dugnad"].title not in text
    assert world["draft_agreement"].number not in text
    assert world["draft_agreement"].title not in text
    assert "4321" not in text  # the unpaid grant's amount
    assert "Ikke betalt" not in text


def test_each_dataset_has_exactly_its_public_rows(client, world):
    def rows(slug):
        return read_json(download(client, slug, "json")[1])["rows"]

    assert [r["reference"] for r in rows("proposals")] == [world["public_proposal"].reference]
    assert [r["id"] for r in rows("dugnads")] == [world["held_dugnad"].pk]
    assert [r["number"] for r in rows("agreements")] == [world["signed_agreement"].number]
    assert sorted(r["payment_id"] for r in rows("grants_paid")) == sorted(
        [world["paid_grant"].pk, world["application_payment"].pk]
    )


@pytest.mark.parametrize("state", ["draft", "sent", "signed_committee"])
def test_an_unsigned_agreement_is_never_open_data(client, world, state):
    agreement = world["signed_agreement"]
    agreement.state = state
    agreement.save()
    assert read_json(download(client, "agreements", "json")[1])["rows"] == []


def test_a_cancelled_dugnad_never_published_is_not_open_data(client, world):
    dugnad = world["draft_dugnad"]
    dugnad.state = "cancelled"
    dugnad.save()
    ids = [r["id"] for r in read_json(download(client, "dugnads", "json")[1])["rows"]]
    assert dugnad.pk not in ids


def test_a_cancelled_payment_never_paid_is_not_a_grant_paid(client, world):
    unpaid = world["unpaid_grant"]
    unpaid.cancelled = True
    unpaid.save()
    ids = [r["payment_id"] for r in read_json(download(client, "grants_paid", "json")[1])["rows"]]
    assert unpaid.pk not in ids


def test_an_agreements_payment_is_not_a_grant(client, world):
    from tests.factories import PaymentFactory

    payment = PaymentFactory(agreement=world["signed_agreement"], amount=999)
    payment.paid_on = payment.due_on
    payment.save()
    ids = [r["payment_id"] for r in read_json(download(client, "grants_paid", "json")[1])["rows"]]
    assert payment.pk not in ids


def test_the_demo_data_gives_no_person_away(client, db):
    """The demo (``seed_demo``: committees, boards, residents, proposals, dugnads, agreements,
    grants): no demo account's e-mail address or name is in any file."""
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    text = every_file(client).casefold()
    people = list(get_user_model().objects.values_list("email", "full_name"))
    assert people
    for email, name in people:
        assert email.casefold() not in text
        if name:
            assert name.casefold() not in text
    assert "@" not in text
