"""Test run: PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set (CI), else SQLite/DB cache."""

from .base import *  # noqa: F403
from .base import CELERY_FOLDER, SECRET_KEY

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
CELERY_BROKER_URL = "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "data_folder_in": str(CELERY_FOLDER / "test-queue"),
    "data_folder_out": str(CELERY_FOLDER / "test-queue"),
    "control_folder": str(CELERY_FOLDER / "test-control"),
    "store_processed": False,
}
# Generous limits: a browser test signs up and logs in several times within a minute.
ACCOUNT_RATE_LIMITS = False
DEMO_DATA_ALLOWED = True

# whitenoise: no collectstatic in tests; static files come from the finders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
