"""The agreements' follow-ups are on beat's static schedule, by task name, with no arguments,
daily (each works out what is due from the rows, so a late or doubled run is harmless)."""

import pytest
from django.conf import settings

from larvik_nmu.celery import app

TASKS = {
    "agreements-follow-up": "agreements.follow_up",
    "agreements-payments": "agreements.follow_up_payments",
    "agreements-reports": "agreements.follow_up_reports",
}


@pytest.mark.parametrize(("entry", "task"), TASKS.items())
def test_each_follow_up_is_scheduled_daily_and_registered(entry, task):
    app.loader.import_default_modules()
    scheduled = settings.CELERY_BEAT_SCHEDULE[entry]
    assert scheduled["task"] == task and task in app.tasks
    assert not scheduled.get("args") and not scheduled.get("kwargs")
    assert len(scheduled["schedule"].hour) == 1 and len(scheduled["schedule"].minute) == 1
