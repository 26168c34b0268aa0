"""Developer machine: the embedded default (SQLite, filesystem broker, e-mail to the console)."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY

DEBUG = True
SECRET_KEY = SECRET_KEY or "local-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
DEMO_DATA_ALLOWED = True
# make run's demo accounts reach the admin with their password alone (README); production asks
# staff for a second factor.
STAFF_MFA_REQUIRED = False
