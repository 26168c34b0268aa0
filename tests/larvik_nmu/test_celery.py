"""A task sent the normal way runs in a real Celery worker on the embedded filesystem broker."""

import pytest
from celery.contrib.testing.worker import start_worker

from larvik_nmu.celery import app
from larvik_nmu.tasks import ping


def test_filesystem_broker_is_the_embedded_default():
    from django.conf import settings

    assert settings.CELERY_BROKER_URL == "filesystem://"
    assert "control_folder" in settings.CELERY_BROKER_TRANSPORT_OPTIONS


# --- Each test session has its own, empty Celery folder (issue 10) ----------------------------


def test_the_session_celery_folder_is_a_new_temporary_one(request):
    """Queue, control files and beat schedule sit in a folder this session made in the system's
    temp directory, not in the checkout, and it held nothing when the session started."""
    import tempfile
    from pathlib import Path

    from django.conf import settings

    from tests.conftest import CELERY_FILES_AT_START

    folder = Path(settings.CELERY_FOLDER).resolve()
    assert folder.is_relative_to(Path(tempfile.gettempdir()).resolve())
    assert not folder.is_relative_to(Path(settings.BASE_DIR).resolve())
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for path in (
        options["data_folder_in"],
        options["data_folder_out"],
        options["control_folder"],
        settings.CELERY_BEAT_SCHEDULE_FILENAME,
    ):
        assert Path(path).resolve().is_relative_to(folder), path
    assert app.conf.broker_transport_options["data_folder_in"] == options["data_folder_in"]
    assert request.config.stash[CELERY_FILES_AT_START] == []


def test_what_a_run_leaves_in_the_queue_does_not_reach_the_next_run():
    """Two test processes one after the other, as two ``make test`` runs: the first leaves a
    message in its queue, the second starts with an empty queue of its own, and the first's
    folder is gone when it ends."""
    import json
    import os
    import subprocess
    import sys

    from tests.larvik_nmu.test_settings import ROOT

    code = (
        "import os, json, django; django.setup();"
        "from django.conf import settings;"
        "from larvik_nmu.tasks import ping;"
        "queue = settings.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in'];"
        "from larvik_nmu.celery import app; app.conf.broker_url;"  # makes the folders
        "before = len(os.listdir(queue)); ping.delay('hei');"
        "print(json.dumps([str(settings.CELERY_FOLDER), before, len(os.listdir(queue))]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "NMU_TEST_CELERY_FOLDER"}
    env["DJANGO_SETTINGS_MODULE"] = "larvik_nmu.settings.test"

    def run():
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    first_folder, first_before, first_after = run()
    second_folder, second_before, _ = run()
    assert (first_before, first_after) == (0, 1)
    assert second_folder != first_folder
    assert second_before == 0, "the second run found the first run's message"
    assert not os.path.exists(first_folder)


def test_beat_settings_are_static_and_at_least_once():
    from django.conf import settings

    assert isinstance(settings.CELERY_BEAT_SCHEDULE, dict)
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


@pytest.mark.django_db(transaction=True)
def test_ping_task_runs_in_a_worker(empty_broker):
    """The task goes through the broker to a worker thread, which leaves its mark in the cache."""
    import time

    from django.core.cache import cache

    from larvik_nmu.tasks import LAST_PING_KEY

    cache.delete(LAST_PING_KEY)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        ping.delay("hei")
        deadline = time.monotonic() + 30
        while cache.get(LAST_PING_KEY) != "hei" and time.monotonic() < deadline:
            time.sleep(0.1)
    assert cache.get(LAST_PING_KEY) == "hei"


# --- Logging: worker and beat log through Django's LOGGING ------------------------------------


@pytest.fixture
def _restore_logging():
    """The set-up under test reconfigures the root logger: put the test run's back afterwards."""
    import logging

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    app.log.already_setup = False


def test_celery_hands_logging_set_up_to_django(settings, _restore_logging):
    """Celery configures its own handlers unless a setup_logging receiver answers; ours does."""
    import logging

    from celery import signals

    from larvik_nmu.celery import _log_through_django

    assert _log_through_django in [receiver for receiver, _ in signals.setup_logging.send(None)]
    settings.LOGGING = {
        **settings.LOGGING,
        "formatters": {"marked": {"format": "from-django-logging %(message)s"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "marked"}},
        "root": {"handlers": ["console"], "level": "WARNING"},
    }
    app.log.already_setup = False
    app.log.setup(loglevel="DEBUG", redirect_stdouts=True)
    root = logging.getLogger()
    assert root.level == logging.WARNING, "LOGGING's level, not the worker's --loglevel"
    [handler] = root.handlers
    assert handler.formatter._fmt == "from-django-logging %(message)s"


def test_worker_logs_are_json_under_production_settings():
    """What the worker calls at start-up, with production settings: one JSON object a line."""
    import json
    import os
    import subprocess
    import sys

    from tests.larvik_nmu.test_settings import PRODUCTION_ENV, ROOT

    code = (
        "import django; django.setup();"
        "from larvik_nmu.celery import app; app.log.setup(loglevel='INFO', redirect_stdouts=True);"
        "from celery.utils.log import get_task_logger;"
        "get_task_logger('proposals.tasks').warning('frist passert')"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["level"], line["logger"], line["message"]) == (
        "WARNING",
        "proposals.tasks",
        "frist passert",
    )
