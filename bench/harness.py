"""What every benchmark needs: Django set up, a throw-away test database, a timed page render.

Imported first by each bench script (it calls ``django.setup()``).
"""

import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "larvik_nmu.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

REPEAT = 15


def measure(client, path) -> tuple[int, float]:
    """Query count of one render, and the median time of REPEAT more, in milliseconds."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    queries = len(ctx.captured_queries)  # read now: the next request resets the log
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    return queries, statistics.median(times)


@contextlib.contextmanager
def test_database():
    """A fresh test database (DATABASE_URL when set, else SQLite), removed afterwards."""
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
