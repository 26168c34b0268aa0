""" "Forny avtale" (``agreements:agreement-renew``): the page explains, its button makes the
draft for the next period through ``services.renewal.agreement_renew``; municipal staff who may
draft only (the leader asks the department), refusals shown on the page."""

import pytest
from django.urls import reverse

from agreements.models import Agreement, State
from agreements.views.manage import admin_url
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "other_committee_leader",
    "board_member",
    "leader",
    "case_handler",
]


def renew_url(agreement) -> str:
    return reverse("agreements:agreement-renew", kwargs={"number": agreement.number})


def login(client, user):
    client.cookies["nmu_language"] = "en"
    if user.is_authenticated:
        client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
def test_renewing_is_staffs(client, active, user_in_role, role):
    login(client, user_in_role(role))
    expected = {"anonymous": 302, "case_handler": 200}.get(role, 403)  # active: public
    assert client.get(renew_url(active)).status_code == expected
    client.post(renew_url(active))
    assert Agreement.objects.filter(renews=active).exists() is (expected == 200)


@pytest.mark.parametrize("role", ["resident", "other_committee_leader"])
def test_an_unsigned_agreements_page_is_a_404_to_outsiders(client, draft, user_in_role, role):
    login(client, user_in_role(role))
    assert client.get(renew_url(draft)).status_code == 404


def test_the_button_makes_the_next_periods_draft(client, active, case_handler):
    login(client, case_handler)
    page = client.get(renew_url(active))
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    response = client.post(renew_url(active))
    renewal = Agreement.objects.get(renews=active)
    assert renewal.state == State.DRAFT and renewal.starts_on > active.ends_on
    assert response.status_code == 302 and response.url == admin_url(renewal)


def test_a_refusal_is_shown_on_the_page(client, active, draft, case_handler):
    login(client, case_handler)
    client.post(renew_url(active))
    again = client.post(renew_url(active))  # one renewal draft per agreement
    assert again.status_code == 400 and again.context["errors"]
    not_signed = client.post(renew_url(draft))
    assert not_signed.status_code == 400 and not_signed.context["errors"]
    assert Agreement.objects.filter(renews__isnull=False).count() == 1


def test_a_crafted_number_is_a_404(client, case_handler):
    login(client, case_handler)
    for number in ["AVT-2000-001", "AVT\x00-2026-001", "x" * 40]:
        url = renew_url(AgreementFactory.build(number="AVT-2026-001")).replace(
            "AVT-2026-001", number
        )
        assert client.get(url).status_code == 404
