"""The dugnads' follow-ups are on beat's static schedule, by task name, with no arguments (each
task works out what is due from the rows, so a late or doubled run is harmless)."""

import pytest
from django.conf import settings

from larvik_nmu.celery import app

TASKS = {
    "dugnads-resource-deadlines": "dugnads.follow_up_resources",
    "dugnads-reports": "dugnads.follow_up_reports",
    "dugnads-participant-reminders": "dugnads.remind_participants",
}


@pytest.mark.parametrize(("entry", "task"), TASKS.items())
def test_each_follow_up_is_scheduled_and_registered(entry, task):
    app.loader.import_default_modules()
    scheduled = settings.CELERY_BEAT_SCHEDULE[entry]
    assert scheduled["task"] == task and task in app.tasks
    assert not scheduled.get("args") and not scheduled.get("kwargs")


def test_the_participants_reminder_runs_at_least_hourly():
    schedule = settings.CELERY_BEAT_SCHEDULE["dugnads-participant-reminders"]["schedule"]
    assert len(schedule.minute) >= 1 and len(schedule.hour) == 24
