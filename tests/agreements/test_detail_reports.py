"""The agreement's page shows what each approved report reported (the reports' own context is
part of the page's): its hours and the link to the written report for the parties only."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from agreements.models import ReportLine
from tests.factories import ReportDutyFactory

pytestmark = pytest.mark.django_db


def test_an_approved_reports_hours_are_on_the_page(client, active, leader):
    duty = ReportDutyFactory(agreement=active, state="approved", title="Våren")
    ReportLine.objects.create(
        duty=duty,
        task=active.tasks.get(),
        done_on=timezone.localdate() - datetime.timedelta(days=3),
        hours=Decimal("12.5"),
    )
    body = client.get(active.get_absolute_url()).content.decode()
    assert '<span class="report-hours">12,5</span>' in body
    # The public sees the figures, not the link to the report itself.
    assert f"/rapport/{duty.pk}/" not in body
    client.force_login(leader)
    assert f"/rapport/{duty.pk}/" in client.get(active.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("state", "says"),
    [("draft", "drafting"), ("sent", "leader to sign"), ("signed_committee", "municipality (")],
)
def test_an_unsigned_agreement_says_whom_it_waits_for(client, draft, leader, state, says):
    from agreements.models import Agreement

    Agreement.objects.filter(pk=draft.pk).update(state=state)
    client.cookies["nmu_language"] = "en"
    client.force_login(leader)
    body = client.get(draft.get_absolute_url()).content.decode()
    waiting = body[body.index('id="waiting-for"') :]
    assert says in waiting[: waiting.index("</p>")]


def test_an_approved_reports_photos_are_on_the_public_page(client, active):
    from agreements.models import ReportPhoto

    approved = ReportDutyFactory(agreement=active, state="approved", title="Våren")
    submitted = ReportDutyFactory(agreement=active, state="submitted", title="Høsten")
    shown = ReportPhoto.objects.create(
        duty=approved, token="a" * 32, extension="jpg", caption="Flagget heist"
    )
    hidden = ReportPhoto.objects.create(
        duty=submitted, token="b" * 32, extension="jpg", caption="Ikke ennå"
    )
    body = client.get(active.get_absolute_url()).content.decode()
    assert shown.get_absolute_url() in body and 'alt="Flagget heist"' in body
    assert hidden.get_absolute_url() not in body
