"""Shared fixtures: stable fixture users (Zulip style) and the services a test needs.

A test marked ``postgres``, ``redis`` or ``browser`` is skipped with a reason when that service is
missing, and fails instead when ``CI=true``: CI must run every test.
"""

import os
import shutil

import pytest
from django.conf import settings

from committees.models import Role

from .factories import CommitteeFactory, DepartmentStaffFactory, MembershipFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() == "true"

# What the session's Celery folder (larvik_nmu/settings/test.py) held when the session started:
# nothing, since each session makes its own (tests/larvik_nmu/test_celery.py asserts it).
CELERY_FILES_AT_START = pytest.StashKey[list[str]]()


def pytest_sessionstart(session):
    folder = settings.CELERY_FOLDER
    session.config.stash[CELERY_FILES_AT_START] = sorted(
        str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()
    )


def _redis_available() -> str | None:
    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as error:  # noqa: BLE001
        return f"Redis at REDIS_URL does not answer: {error}"
    return None


def _missing_service(marker: str) -> str | None:
    if marker == "postgres":
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            return "needs PostgreSQL: set DATABASE_URL=postgres://…"
    elif marker == "redis":
        return _redis_available()
    elif marker == "browser" and not shutil.which("chromium"):
        return "needs Chromium: apt-get install chromium"
    return None


@pytest.fixture(autouse=True)
def _require_services(request):
    for marker in ("postgres", "redis", "browser"):
        if request.node.get_closest_marker(marker):
            reason = _missing_service(marker)
            if reason:
                if IN_CI:
                    pytest.fail(f"CI=true but this test {reason}")
                pytest.skip(reason)


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    """A test request in English leaves English active in this thread (the middleware activates
    a language and nothing deactivates it between tests): the next test starts in Norwegian."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_shared_cache():
    """Redis outlives a test's transaction: start each test with empty rate-limit counters."""
    if settings.REDIS_URL and not _redis_available():
        from django.core.cache import cache

        cache.clear()


@pytest.fixture
def empty_broker(tmp_path):
    """Point the Celery app at a queue of the test's own for a worker test: the session's queue
    holds every nudge the tests before it sent, which the worker would work through first."""
    from larvik_nmu.celery import app

    folder = tmp_path / "broker"
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }
    for key in ("data_folder_in", "control_folder"):
        os.makedirs(options[key], exist_ok=True)

    def drop_connections():
        """Connections made for the other folder (not ``app.close()``, which also unregisters
        the app, so tasks imported later would not join it)."""
        app.amqp._producer_pool = None
        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None

    saved = app.conf.broker_transport_options
    drop_connections()
    app.conf.broker_transport_options = options
    try:
        yield folder
    finally:
        drop_connections()
        app.conf.broker_transport_options = saved


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright cannot download its own browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
        ],
    }


# --- Fixture users ----------------------------------------------------------------------------


@pytest.fixture
def user_in_role(request):
    """``user_in_role("leader")``: the user a parametrised role names, for tests that try every
    role: "anonymous" (not logged in) or the name of a fixture user below (or an app's own, such
    as proposals' ``author``)."""
    from django.contrib.auth.models import AnonymousUser

    def user(role: str):
        return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)

    return user


@pytest.fixture
def committee(db):
    return CommitteeFactory(name="Svarstad", slug="svarstad")


@pytest.fixture
def other_committee(db):
    return CommitteeFactory(name="Stavern", slug="stavern")


@pytest.fixture
def resident(db):
    return UserFactory(email="resident@example.no", full_name="Ingrid Innbygger")


@pytest.fixture
def other_resident(db):
    return UserFactory(email="other@example.no", full_name="Ola Nordmann")


def _member(committee, role, email, full_name):
    return MembershipFactory(
        committee=committee, role=role, user__email=email, user__full_name=full_name
    ).user


@pytest.fixture
def leader(committee):
    return _member(committee, Role.LEADER, "leader@example.no", "Sverre Leder")


@pytest.fixture
def board_member(committee):
    return _member(committee, Role.BOARD_MEMBER, "board@example.no", "Bjørn Styre")


@pytest.fixture
def other_committee_leader(other_committee):
    return _member(other_committee, Role.LEADER, "leader.other@example.no", "Stine Annen")


@pytest.fixture
def case_handler(db):
    from django.contrib.auth.models import Group

    from core.staff import CASE_HANDLER, group_name

    # The group exists after migrate and after a transactional test's flush (larvik_nmu/staff.py).
    staff = DepartmentStaffFactory(
        user__email="case@larvik.kommune.no", user__full_name="Kari Saksbehandler"
    ).user
    staff.groups.add(Group.objects.get(name=group_name(CASE_HANDLER)))
    return staff


@pytest.fixture
def staff_without_group(db):
    """A municipal employee with staff access (in a department) but not in the case handler
    group: not the municipality in a case (``committees.staff.is_municipal_staff``)."""
    return DepartmentStaffFactory(
        user__email="staff@larvik.kommune.no", user__full_name="Stian Stab"
    ).user


@pytest.fixture
def municipal_contact(committee):
    """The committee's contact at the municipality: a staff user, neither on the board nor a
    case handler, so neither the committee nor the municipality in a case."""
    return MembershipFactory(
        committee=committee,
        role=Role.MUNICIPAL_CONTACT,
        user__email="contact@larvik.kommune.no",
        user__full_name="Mona Kontakt",
        user__is_staff=True,
    ).user


@pytest.fixture
def superuser(db):
    return UserFactory(
        email="admin@example.no", full_name="Anne Admin", is_staff=True, is_superuser=True
    )
