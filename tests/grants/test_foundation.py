"""The grants app's foundation: a draft application, its steps through the step table, a grant
payment on the agreements' payment table."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import Payment
from grants.models import ApplicationEvent
from grants.services.lifecycle import application_create, application_transition
from grants.services.payments import grant_payment_create

pytestmark = pytest.mark.django_db


def test_the_board_creates_a_numbered_draft(committee, board_member, application_scheme):
    application = application_create(
        scheme=application_scheme,
        committee=committee,
        actor=board_member,
        title="Benker i parken",
        description="To nye benker.",
        place="Parken",
        participants="Styret",
        starts_on=datetime.date.today(),
        ends_on=datetime.date.today(),
        amount_requested=Decimal(5000),
    )
    assert application.number.startswith("TSK-")
    assert application.events.get().to_state == "draft"


def test_an_outsider_cannot_apply(committee, resident, application_scheme):
    with pytest.raises(ValidationError):
        application_create(
            scheme=application_scheme,
            committee=committee,
            actor=resident,
            title="x",
            description="x",
            place="x",
            participants="x",
            starts_on=datetime.date.today(),
            ends_on=datetime.date.today(),
            amount_requested=Decimal(5000),
        )


def test_the_board_submits_and_the_department_is_told(application, board_member, case_handler):
    application_transition(application=application, actor=board_member, to_state="submitted")
    application.refresh_from_db()
    assert application.state == "submitted"
    assert ApplicationEvent.objects.filter(application=application, to_state="submitted").exists()
    assert case_handler.notifications.filter(kind="grant.application_submitted").exists()


def test_more_than_the_scheme_gives_is_refused(application):
    application.amount_requested = Decimal(50_001)
    with pytest.raises(ValidationError) as error:
        application.full_clean()
    assert "amount_requested" in error.value.message_dict


def test_a_grant_payment_names_both_parties(committee, department):
    payment = grant_payment_create(
        committee=committee,
        department=department,
        amount=Decimal(167_000),
        due_on=datetime.date.today(),
        description="Oppstartstilskudd 2023",
    )
    assert payment.payee == committee
    assert payment.payer == department
    assert payment.reference == "Oppstartstilskudd 2023"


def test_a_payment_is_an_agreements_or_a_grants_never_neither(committee):
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(due_on=datetime.date.today(), amount=1, committee=committee)
