"""Enter in a field of the report form sends the report (the browser submits with the form's
first submit button), not "More rows", which comes first in the page."""

import re

import pytest

from .reports_helpers import duty_fixture, login, report_url  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_forms_first_submit_button_sends_the_report(client, duty, leader):
    login(client, leader)
    body = client.get(report_url(duty)).content.decode()
    form = body[body.index('id="report-form"') :]
    buttons = re.findall(r'<button[^>]*type="submit"[^>]*>', form)
    assert 'name="more_rows"' in "".join(buttons), "no More rows: this test tests nothing"
    assert 'name="more_rows"' not in buttons[0]
