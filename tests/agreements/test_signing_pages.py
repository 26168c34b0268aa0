"""The signing pages: the committee leader's (/avtaler/<number>/signer/) and the municipality's
in the admin. Who may open them, what they show (the terms' hash in full) and bad input."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from agreements.models import Agreement, Party, Signature, State
from agreements.terms import terms_hash
from core.staff import CASE_HANDLER, group_name
from tests.factories import PASSWORD, DepartmentStaffFactory

from .test_signing import fresh, sent_agreement, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(committee, department):
    return sent_agreement(committee, department)


def sign_url(agreement) -> str:
    return reverse("agreements:agreement-sign", kwargs={"number": agreement.number})


def admin_sign_url(agreement) -> str:
    return reverse("admin:agreements_agreement_sign", args=[agreement.pk])


def form_data(agreement, **overrides) -> dict:
    return {
        "terms_sha256": terms_hash(fresh(agreement)),
        "password": PASSWORD,
        "role": "Leder",
        "phone": "",
        "confirm": "on",
        **overrides,
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("resident", 404),
        ("other_committee_leader", 404),
        ("board_member", 403),
        ("case_handler", 403),
        ("leader", 200),
    ],
)
def test_the_committees_page_is_the_leaders(client, sent, who, status, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(sign_url(sent)).status_code == status
    if status != 200:
        assert client.post(sign_url(sent), form_data(sent)).status_code == status
        assert not Signature.objects.exists()


def test_anonymous_goes_to_the_login_page(client, sent):
    response = client.get(sign_url(sent))
    assert response.status_code == 302 and "/konto/" in response["Location"]


def test_an_unknown_agreement_is_404(client, leader):
    client.force_login(leader)
    assert client.get("/avtaler/AVT-1999-001/signer/").status_code == 404


def test_the_page_shows_the_hash_of_the_terms(client, sent, leader):
    client.force_login(leader)
    response = client.get(sign_url(sent))
    expected = terms_hash(fresh(sent))
    assert response.context["current_hash"] == expected
    html = response.content.decode()
    assert f'<code class="terms-hash" id="shown-hash">{expected}</code>' in html
    assert f'name="terms_sha256" value="{expected}"' in html


def test_the_leader_signs_on_the_page(client, sent, leader):
    client.force_login(leader)
    response = client.post(sign_url(sent), form_data(sent))
    assert response.status_code == 302
    assert fresh(sent).state == State.SIGNED_COMMITTEE
    assert Signature.objects.get().signer_role == "Leder"


def test_a_wrong_password_gives_the_form_back(client, sent, leader):
    client.force_login(leader)
    response = client.post(sign_url(sent), form_data(sent, password="feil-passord"))
    assert response.status_code == 400
    assert response.context["form"].errors["password"]
    assert fresh(sent).state == State.SENT and not Signature.objects.exists()


def test_a_nul_byte_in_the_password_is_a_form_error(client, sent, leader):
    client.force_login(leader)
    response = client.post(sign_url(sent), form_data(sent, password="abc\x00def"))
    assert response.status_code == 400
    assert response.context["form"].errors["password"]
    assert not Signature.objects.exists()


def test_the_box_must_be_ticked(client, sent, leader):
    client.force_login(leader)
    data = form_data(sent)
    del data["confirm"]
    response = client.post(sign_url(sent), data)
    assert response.status_code == 400 and response.context["form"].errors["confirm"]


def test_old_terms_on_the_page_are_refused_and_the_new_ones_shown(
    client, sent, leader, case_handler
):
    from agreements import services

    client.force_login(leader)
    old = form_data(sent)
    services.agreement_update(agreement=sent, actor=case_handler, terms="Endrede vilkår.")
    response = client.post(sign_url(sent), old)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert response.context["current_hash"] == terms_hash(fresh(sent)) != old["terms_sha256"]
    assert not Signature.objects.exists()


def test_too_many_wrong_passwords_is_429(client, sent, leader, settings):
    from django.core.cache import cache

    cache.clear()
    settings.ACCOUNT_RATE_LIMITS = {"reauthenticate": "2/m/user"}
    client.force_login(leader)
    for _ in range(2):
        assert client.post(sign_url(sent), form_data(sent, password="feil")).status_code == 400
    assert client.post(sign_url(sent), form_data(sent)).status_code == 429
    assert not Signature.objects.exists()
    cache.clear()


def test_a_page_not_waiting_for_the_committee_has_no_form(client, sent, leader):
    sign(sent, leader, Party.COMMITTEE)
    client.force_login(leader)
    response = client.get(sign_url(sent))
    assert response.status_code == 200 and response.context["form"] is None
    client.post(sign_url(sent), form_data(sent))
    assert Signature.objects.count() == 1


def test_the_phone_is_shown_to_the_parties_only(sent, leader):
    from django.template.loader import render_to_string

    from agreements import selectors

    sign(sent, leader, Party.COMMITTEE, phone="+47 911 22 333")
    agreement = selectors.agreement_get(number=sent.number)
    context = {"agreement": agreement, "current_hash": terms_hash(agreement)}
    assert "911 22 333" in render_to_string(
        "agreements/_signatures.html", {**context, "show_personal": True}
    )
    public = render_to_string("agreements/_signatures.html", {**context, "show_personal": False})
    assert "911 22 333" not in public
    assert 'data-status="current"' in public


def test_the_partial_says_when_the_signed_terms_are_not_the_current(sent, leader, case_handler):
    from django.template.loader import render_to_string

    from agreements import selectors, services

    sign(sent, leader, Party.COMMITTEE)
    agreement = selectors.agreement_get(number=sent.number)
    html = render_to_string(
        "agreements/_signatures.html",
        {"agreement": agreement, "current_hash": "0" * 64, "show_personal": False},
    )
    assert 'data-status="changed"' in html and 'data-status="current"' not in html
    services.task_save(agreement=sent, actor=case_handler, pk=sent.tasks.get().pk, amount=1)
    agreement = selectors.agreement_get(number=sent.number)
    html = render_to_string(
        "agreements/_signatures.html",
        {"agreement": agreement, "current_hash": terms_hash(agreement), "show_personal": False},
    )
    assert "voided-signature" in html and "no-signatures" in html


def test_the_page_costs_the_same_queries_for_few_and_many_lines(client, sent, leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PaymentFactory, ProvisionFactory, ReportDutyFactory, TaskFactory

    client.force_login(leader)
    client.get(sign_url(sent))  # the session and the caches are warm

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(sign_url(sent)).status_code == 200
        return len(captured)

    few = queries()
    TaskFactory.create_batch(20, agreement=sent)
    PaymentFactory.create_batch(20, agreement=sent)
    ProvisionFactory.create_batch(20, agreement=sent)
    ReportDutyFactory.create_batch(20, agreement=sent)
    assert queries() == few


# --- the municipality's page in the admin ----------------------------------------------------


@pytest.fixture
def signed_by_committee(sent, leader):
    sign(sent, leader, Party.COMMITTEE)
    return fresh(sent)


def other_department_signer():
    other = DepartmentStaffFactory(user__email="other.dept@larvik.kommune.no").user
    other.groups.add(Group.objects.get(name=group_name(CASE_HANDLER)))
    other.user_permissions.add(Permission.objects.get(codename="sign_agreement"))
    return type(other).objects.get(pk=other.pk)


def test_the_admin_page_needs_a_login(client, signed_by_committee):
    response = client.get(admin_sign_url(signed_by_committee))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["case_handler", "other_department", "leader"])
def test_the_admin_page_refuses_who_may_not_sign(client, signed_by_committee, who, request):
    user = other_department_signer() if who == "other_department" else request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(admin_sign_url(signed_by_committee))
    # The leader is not staff: the admin sends them to its log-in.
    assert response.status_code in ({302} if who == "leader" else {403})
    client.post(admin_sign_url(signed_by_committee), form_data(signed_by_committee))
    assert fresh(signed_by_committee).state == State.SIGNED_COMMITTEE


def test_the_case_handler_who_may_sign_signs_in_the_admin(client, signed_by_committee, signer):
    client.force_login(signer)
    url = admin_sign_url(signed_by_committee)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["current_hash"] == terms_hash(fresh(signed_by_committee))
    wrong = client.post(url, form_data(signed_by_committee, password="feil"))
    assert wrong.status_code == 400 and wrong.context["form"].errors["password"]
    response = client.post(url, form_data(signed_by_committee))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:agreements_agreement_change", args=[signed_by_committee.pk]
    )
    agreement = Agreement.objects.get(pk=signed_by_committee.pk)
    assert agreement.state == State.SIGNED_MUNICIPALITY
    assert Signature.objects.filter(party=Party.MUNICIPALITY, signer=signer).exists()


def test_the_change_page_links_to_the_signing_page(client, signed_by_committee, signer):
    client.force_login(signer)
    url = reverse("admin:agreements_agreement_change", args=[signed_by_committee.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert admin_sign_url(signed_by_committee) in response.content.decode()
