"""Test run: PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set (CI), else SQLite/DB cache."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import SECRET_KEY

DEBUG = False
SECRET_KEY = SECRET_KEY or "test-only-insecure-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# whitenoise's manifest storage needs collectstatic first; tests render with plain storage.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _session_celery_folder() -> Path:
    """A new, empty folder for this test session's broker queue, control files and beat schedule.

    In the checkout (``.celery/``) the queue kept the messages every earlier run left behind, and
    the next run's worker test had to work through them first (issue 10). Made when the settings
    are imported, i.e. once per test process, before pytest reads any conftest (pytest-django sets
    Django up first), and removed when that process ends. Processes the tests start inherit it
    through the environment: under these settings they share the session's folder instead of
    making one, and under production settings (``CELERY_FOLDER``, read by ``base``) they too keep
    out of the checkout.
    """
    inherited = os.environ.get("NMU_TEST_CELERY_FOLDER")
    if inherited:
        return Path(inherited)
    folder = tempfile.mkdtemp(prefix="nmu-test-celery-")
    os.environ["NMU_TEST_CELERY_FOLDER"] = os.environ["CELERY_FOLDER"] = folder
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return Path(folder)


CELERY_FOLDER = _session_celery_folder()
CELERY_BROKER_URL = "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "data_folder_in": str(CELERY_FOLDER / "queue"),
    "data_folder_out": str(CELERY_FOLDER / "queue"),
    "control_folder": str(CELERY_FOLDER / "control"),
    "store_processed": False,
}
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_FOLDER / "beat-schedule")
# Generous limits: a browser test signs up and logs in several times within a minute.
ACCOUNT_RATE_LIMITS = False
DEMO_DATA_ALLOWED = True

# whitenoise: no collectstatic in tests; static files come from the finders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
