"""A Celery worker (or web server) started by the fault tests: test settings, real services.

The test starts these processes itself with DATABASE_URL pointing at the test database and
CELERY_BROKER_URL, EMAIL_URL and NOTIFICATIONS_* set to the Redis and SMTP servers it runs; unlike
``test``, this module keeps what ``base`` read from that environment.
"""

from . import base
from .test import *  # noqa: F403

CELERY_BROKER_URL = base.CELERY_BROKER_URL
CELERY_BROKER_TRANSPORT_OPTIONS = getattr(base, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
CELERY_BEAT_SCHEDULE_FILENAME = base.CELERY_BEAT_SCHEDULE_FILENAME  # under the test's CELERY_FOLDER
MAILERS = base.MAILERS
NOTIFICATIONS = base.NOTIFICATIONS
