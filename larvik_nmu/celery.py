"""Celery app, wired the standard way.

https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
Settings come from Django settings with the ``CELERY_`` prefix; tasks are found in each app's
``tasks.py``. The broker defaults to the filesystem transport, whose folders must exist. Worker
and beat log through Django's ``LOGGING`` (JSON in production), not Celery's own set-up.
"""

import os
from pathlib import Path

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "larvik_nmu.settings.local")

app = Celery("larvik_nmu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def _log_through_django(*args, **kwargs):
    """With a receiver here Celery leaves logging alone: worker, beat and tasks log as the site.

    https://docs.celeryq.dev/en/stable/userguide/signals.html#setup-logging
    """
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@app.on_after_configure.connect
def _create_filesystem_broker_folders(sender, **kwargs):
    """The filesystem transport and beat's schedule file do not create their folders."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder", "processed_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    if sender.conf.beat_schedule_filename:
        Path(sender.conf.beat_schedule_filename).parent.mkdir(parents=True, exist_ok=True)
