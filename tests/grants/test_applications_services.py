"""The application's services: the board writes, sends, sends again and withdraws; staff ask
for more, refuse and grant (the amount's rules, the pot, the advance payment once)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from agreements.models import Payment
from grants.models import Application, ApplicationEvent, ApplicationPhoto
from grants.services import applications as services
from tests.factories import ApplicationFactory

from .test_applications_helpers import (
    BUDGET,
    advance,
    fields,
    not_a_photo,
    photo,
    submitted,
    with_budget,
)

pytestmark = pytest.mark.django_db
today = timezone.localdate


def refusal(call) -> str:
    with override("en"), pytest.raises(ValidationError) as error:
        call()
    return " ".join(error.value.messages)


# --- writing ------------------------------------------------------------------------------------


def test_the_board_writes_a_draft_with_budget_and_photos(
    committee, board_member, application_scheme
):
    application = services.application_new(
        scheme=application_scheme,
        committee=committee,
        actor=board_member,
        fields=fields(latitude=Decimal("59.05"), longitude=Decimal("10.03")),
        budget_lines=BUDGET,
        photos=[(photo(), "Parken i dag")],
    )
    assert application.state == "draft" and application.number.startswith("TSK-")
    assert services.budget_total(application.budget_lines.all()) == Decimal(8000)
    (stored,) = application.photos.all()
    assert stored.kind == "before" and stored.description == "Parken i dag"
    assert b"GPS" not in stored.image.read()


def test_an_outsider_cannot_write(committee, resident, application_scheme):
    assert "board" in refusal(
        lambda: services.application_new(
            scheme=application_scheme, committee=committee, actor=resident, fields=fields()
        )
    )


def test_a_closed_scheme_takes_no_new_application(committee, board_member, application_scheme):
    application_scheme.application_deadline = today() - datetime.timedelta(days=1)
    application_scheme.save()
    assert "deadline was" in refusal(
        lambda: services.application_new(
            scheme=application_scheme, committee=committee, actor=board_member, fields=fields()
        )
    )
    application_scheme.application_deadline = None
    application_scheme.opens_on = today() + datetime.timedelta(days=1)
    application_scheme.save()
    assert "opens for applications" in refusal(
        lambda: services.application_new(
            scheme=application_scheme, committee=committee, actor=board_member, fields=fields()
        )
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latitude": Decimal("59.05")}, "longitude"),
        ({"amount_requested": Decimal(50_001)}, "amount_requested"),
        ({"title": "x\x00y"}, "title"),
        ({"ends_on": today() - datetime.timedelta(days=400)}, "ends_on"),
    ],
)
def test_bad_fields_write_nothing(committee, board_member, application_scheme, changes, field):
    with pytest.raises(ValidationError) as error:
        services.application_new(
            scheme=application_scheme,
            committee=committee,
            actor=board_member,
            fields=fields(**changes),
            budget_lines=BUDGET,
        )
    assert field in error.value.message_dict
    assert not Application.objects.exists()


def test_bad_budget_lines_and_photos_write_nothing(committee, board_member, application_scheme):
    with pytest.raises(ValidationError) as error:
        services.application_new(
            scheme=application_scheme,
            committee=committee,
            actor=board_member,
            fields=fields(),
            budget_lines=[{"description": "", "amount": Decimal(-1)}],
            photos=[(not_a_photo(), "Parken")],
        )
    problems = error.value.message_dict
    assert "budget_lines" in problems and "photos" in problems
    assert not Application.objects.exists() and not ApplicationPhoto.objects.exists()


def test_a_budget_has_at_most_its_lines(application, board_member):
    lines = [{"description": f"Linje {n}", "amount": Decimal(1)} for n in range(31)]
    with pytest.raises(ValidationError) as error:
        services.application_update(
            application=application, actor=board_member, fields={}, budget_lines=lines
        )
    assert "budget_lines" in error.value.message_dict


def test_photos_are_limited(application, board_member, settings):
    settings.GRANTS = {**settings.GRANTS, "MAX_PHOTOS_PER_APPLICATION": 1}
    with pytest.raises(ValidationError) as error:
        services.application_update(
            application=application,
            actor=board_member,
            fields={},
            photos=[(photo(), "En"), (photo("to.jpg"), "To")],
        )
    assert "photos" in error.value.message_dict
    assert not application.photos.exists()


def test_update_replaces_the_budget_and_removes_photos(application, board_member):
    services.application_update(
        application=application,
        actor=board_member,
        fields={"title": "Nye blomster"},
        budget_lines=BUDGET,
        photos=[(photo(), "Før")],
    )
    (kept,) = application.photos.all()
    services.application_update(
        application=application,
        actor=board_member,
        fields={},
        budget_lines=BUDGET[:1],
        remove_photos=[kept.pk],
    )
    application.refresh_from_db()
    assert application.title == "Nye blomster"
    assert [line.description for line in application.budget_lines.all()] == ["Materialer"]
    assert not application.photos.exists()


def test_only_a_draft_or_more_info_can_be_changed(application, board_member):
    submitted(application, board_member)
    assert "can only be changed" in refusal(
        lambda: services.application_update(
            application=application, actor=board_member, fields={"title": "Ny"}
        )
    )


def test_the_other_committee_cannot_change_it(application, other_committee_leader):
    assert "board" in refusal(
        lambda: services.application_update(
            application=application, actor=other_committee_leader, fields={"title": "Ny"}
        )
    )


# --- sending ------------------------------------------------------------------------------------


def test_sending_sets_the_municipality_deadline_and_tells_the_department(
    application, board_member, case_handler
):
    submitted(application, board_member)
    application.refresh_from_db()
    assert application.state == "submitted" and application.submitted_at is not None
    assert application.answer_due == today() + datetime.timedelta(
        days=application.scheme.answer_days
    )
    assert case_handler.notifications.filter(kind="grant.application_submitted").exists()
    assert not board_member.notifications.filter(kind="grant.application_submitted").exists()


def test_sending_needs_a_budget_covering_the_amount(application, board_member):
    assert "budget" in refusal(
        lambda: services.application_submit(application=application, actor=board_member)
    )
    with_budget(application, amount=Decimal(1000))
    assert "more than the budget" in refusal(
        lambda: services.application_submit(application=application, actor=board_member)
    )


def test_an_application_for_nothing_cannot_be_sent(application, board_member):
    """Found by a walk: a draft asking for kr 0 was sent."""
    with_budget(application)
    application.amount_requested = Decimal(0)
    application.save()
    assert "more than zero" in refusal(
        lambda: services.application_submit(application=application, actor=board_member)
    )
    application.refresh_from_db()
    assert application.state == "draft"


def test_a_closed_scheme_takes_no_draft(application, board_member):
    with_budget(application)
    scheme = application.scheme
    scheme.application_deadline = today() - datetime.timedelta(days=1)
    scheme.save()
    assert "deadline was" in refusal(
        lambda: services.application_submit(application=application, actor=board_member)
    )
    application.refresh_from_db()
    assert application.state == "draft"


def test_an_outsider_cannot_send(application, resident, case_handler):
    with_budget(application)
    for actor in (resident, case_handler):
        refusal(
            lambda actor=actor: services.application_submit(application=application, actor=actor)
        )
    application.refresh_from_db()
    assert application.state == "draft"


def test_more_info_then_sent_again_after_the_deadline(application, board_member, case_handler):
    submitted(application, board_member)
    services.application_ask_more(
        application=application, actor=case_handler, message="Hvor står benkene?"
    )
    application.refresh_from_db()
    assert application.state == "more_info" and application.answer_due is None
    assert application.committee_due == today() + datetime.timedelta(
        days=application.scheme.info_days
    )
    assert board_member.notifications.filter(kind="grant.application_more_info").exists()
    scheme = application.scheme
    scheme.application_deadline = today() - datetime.timedelta(days=1)
    scheme.save()
    services.application_resubmit(application=application, actor=board_member)
    application.refresh_from_db()
    assert application.state == "submitted" and application.committee_due is None
    assert application.answer_due is not None


def test_asking_for_more_needs_a_message_and_staff(application, board_member, case_handler):
    submitted(application, board_member)
    assert "must add" in refusal(
        lambda: services.application_ask_more(
            application=application, actor=case_handler, message="  "
        )
    )
    assert "municipal staff" in refusal(
        lambda: services.application_ask_more(
            application=application, actor=board_member, message="Mer"
        )
    )


def test_withdrawn_until_answered(application, board_member, case_handler):
    submitted(application, board_member)
    services.application_withdraw(application=application, actor=board_member)
    application.refresh_from_db()
    assert application.state == "withdrawn" and application.answer_due is None
    assert refusal(
        lambda: services.application_withdraw(application=application, actor=board_member)
    )


# --- answering ----------------------------------------------------------------------------------


def test_refusal_needs_a_reason_and_tells_the_board(application, board_member, case_handler):
    submitted(application, board_member)
    assert "refused" in refusal(
        lambda: services.application_refuse(application=application, actor=case_handler, reason="")
    )
    services.application_refuse(
        application=application, actor=case_handler, reason="Utenfor ordningen."
    )
    application.refresh_from_db()
    assert application.state == "refused" and application.decided_at is not None
    notice = board_member.notifications.get(kind="grant.application_refused")
    assert notice is not None
    assert application.events.filter(to_state="refused", message="Utenfor ordningen.").exists()


def test_a_grant_paid_afterwards_asks_for_the_report(application, board_member, case_handler):
    submitted(application, board_member)
    services.application_grant(
        application=application, actor=case_handler, amount=Decimal(12_000), conditions="Bilder"
    )
    application.refresh_from_db()
    assert application.state == "granted" and application.amount_granted == Decimal(12_000)
    assert application.conditions == "Bilder" and application.payment is None
    assert application.committee_due == application.ends_on + datetime.timedelta(days=30)
    assert board_member.notifications.filter(kind="grant.application_granted").exists()
    assert not Payment.objects.exists()


def test_the_scheme_report_deadline_wins(application, board_member, case_handler):
    scheme = application.scheme
    scheme.report_deadline = today() + datetime.timedelta(days=200)
    scheme.save()
    submitted(application, board_member)
    services.application_grant(application=application, actor=case_handler, amount=Decimal(1))
    application.refresh_from_db()
    assert application.committee_due == scheme.report_deadline


def test_a_grant_paid_in_advance_creates_the_payment_once(application, board_member, case_handler):
    advance(application)
    submitted(application, board_member)
    services.application_grant(application=application, actor=case_handler, amount=Decimal(9000))
    application.refresh_from_db()
    assert application.state == "payable"
    payment = application.payment
    assert payment.amount == Decimal(9000) and payment.committee == application.committee
    assert payment.due_on == today() + datetime.timedelta(days=application.scheme.payment_days)
    assert payment.description == f"{application.number} {application.title}"
    kinds = list(application.events.order_by("pk").values_list("kind", "to_state", "actor_party"))
    assert kinds[-2:] == [
        ("transition", "payable", "system"),
        (ApplicationEvent.Kind.PAYMENT_CREATED, "payable", "system"),
    ]
    assert board_member.notifications.filter(kind="grant.application_payable").exists()
    # Not twice: the application is no longer submitted.
    refusal(
        lambda: services.application_grant(
            application=application, actor=case_handler, amount=Decimal(9000)
        )
    )
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "said"),
    [
        (Decimal(0), "more than 0"),
        (Decimal(-5), "more than 0"),
        (Decimal(15_001), "more than the amount applied for"),
        (Decimal("10.001"), "two decimals"),
    ],
)
def test_the_amount_rules(application, board_member, case_handler, amount, said):
    submitted(application, board_member)
    assert said in refusal(
        lambda: services.application_grant(
            application=application, actor=case_handler, amount=amount
        )
    )
    application.refresh_from_db()
    assert application.state == "submitted"


def test_at_most_the_schemes_max_amount(application, board_member, case_handler):
    submitted(application, board_member)
    scheme = application.scheme
    scheme.max_amount = Decimal(10_000)
    scheme.save()
    assert "at most" in refusal(
        lambda: services.application_grant(
            application=application, actor=case_handler, amount=Decimal(12_000)
        )
    )


def test_the_pot_cannot_be_exceeded(application, board_member, case_handler, committee):
    scheme = application.scheme
    ApplicationFactory(
        scheme=scheme, committee=committee, state="payable", amount_granted=Decimal(190_000)
    )
    ApplicationFactory(  # refused: not counted
        scheme=scheme, committee=committee, state="refused", amount_granted=Decimal(100_000)
    )
    submitted(application, board_member)
    said = refusal(
        lambda: services.application_grant(
            application=application, actor=case_handler, amount=Decimal(10_001)
        )
    )
    assert "pot is exceeded" in said and "NOK\u00a010,000 is left" in said
    services.application_grant(application=application, actor=case_handler, amount=Decimal(10_000))
    application.refresh_from_db()
    assert application.state == "granted"


def test_only_staff_who_answer_can_grant(application, board_member, staff_without_group):
    submitted(application, board_member)
    for actor in (board_member, staff_without_group):
        assert "municipal staff" in refusal(
            lambda actor=actor: services.application_grant(
                application=application, actor=actor, amount=Decimal(100)
            )
        )


def test_a_draft_cannot_be_granted(application, case_handler):
    assert "Only a submitted application" in refusal(
        lambda: services.application_grant(
            application=application, actor=case_handler, amount=Decimal(100)
        )
    )


def test_a_withdrawal_tells_the_department_and_not_the_board(
    application, board_member, leader, case_handler
):
    submitted(application, board_member)
    services.application_withdraw(application=application, actor=board_member, message="Avlyst")
    assert case_handler.notifications.filter(kind="grant.application_submitted").count() == 2
    assert not leader.notifications.filter(kind="grant.application_submitted").exists()


def test_the_answer_tells_the_board_not_the_staff(application, board_member, leader, case_handler):
    submitted(application, board_member)
    services.application_grant(application=application, actor=case_handler, amount=Decimal(100))
    assert leader.notifications.filter(kind="grant.application_granted").exists()
    assert not case_handler.notifications.filter(kind="grant.application_granted").exists()
