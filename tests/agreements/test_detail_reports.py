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
