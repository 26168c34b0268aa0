"""Fault tests: real Celery workers, beat, a web server, Redis and an SMTP server.

The processes run ``larvik_nmu.settings.worker_under_test`` against the pytest test database
(committed data: ``transactional_db``), a Redis server of the test's own (so stopping it leaves
the machine's Redis alone) and an SMTP server in this process that counts what arrives by
Message-ID. Each process is started in a session of its own; teardown kills every one of them
(and their children, such as gunicorn's workers) by process group before the database is
flushed. Logs go to files in ``tmp_path``; their tails are printed when a test fails.
"""

import asyncio
import contextlib
import email.parser
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from ..conftest import IN_CI

ROOT = Path(settings.BASE_DIR)
# Short leases so a killed worker's rows come back within the test. The system check wants the
# lease longer than the task time limit (the solo pool does not enforce time limits anyway).
CLAIM_SECONDS = 15
TASK_TIME_LIMIT = 10


# --- Reports and failure output -------------------------------------------------------------------


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"_fault_report_{report.when}", report)
    return report


def _failed(node) -> bool:
    return any(
        getattr(getattr(node, f"_fault_report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )


@dataclass
class DeliveryReport:
    case: str
    scheduled: int
    unique_delivered: int
    duplicates: int
    missing: int
    unexpected: int = 0
    seconds: float = 0.0
    faults: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    @property
    def line(self) -> str:
        return (
            f"[{self.case}] {self.scheduled} scheduled, {self.unique_delivered} unique delivered, "
            f"{self.duplicates} duplicates, {self.missing} missing"
            f" ({self.unexpected} unexpected; {self.seconds:.1f}s; faults {self.faults})"
        )

    def publish(self) -> None:
        """Print the line, and add this case to the JSON file named by FAULT_REPORT."""
        print("\n" + self.line)
        path = os.environ.get("FAULT_REPORT")
        if not path:
            return
        report_path = Path(path)
        cases = {}
        with contextlib.suppress(OSError, ValueError):
            cases = json.loads(report_path.read_text())
        if not isinstance(cases, dict):
            cases = {}
        cases[self.case] = {**asdict(self), "line": self.line, "at": time.time()}
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(json.dumps(cases, indent=2, default=str))


def require_binary(name: str) -> str:
    found = shutil.which(name)
    if not found:
        reason = f"needs {name} on the PATH"
        if IN_CI:
            pytest.fail(f"CI=true but this test {reason}")
        pytest.skip(reason)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


# --- Processes ------------------------------------------------------------------------------------


class Process:
    """One subprocess, its own process group, stdout and stderr in one log file."""

    def __init__(self, name: str, argv: list[str], env: dict, log_path: Path):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.started = time.monotonic()
        self.popen = subprocess.Popen(
            argv,
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def send(self, sig: int) -> None:
        if self.alive():
            os.kill(self.popen.pid, sig)

    def wait(self, timeout: float) -> int:
        return self.popen.wait(timeout=timeout)

    def kill_group(self) -> None:
        """SIGKILL the process and everything in its process group (it leads its own session)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)
        self._log.close()

    def text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.text().splitlines()[-lines:])

    def wait_for_log(self, pattern: str, *, timeout: float) -> None:
        """Wait until ``pattern`` (a regular expression) appears in the log; fail if it exits."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while not regex.search(self.text()):
            if not self.alive():
                raise RuntimeError(
                    f"{self.name} exited ({self.popen.returncode}) before /{pattern}/:\n"
                    + self.tail()
                )
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: no /{pattern}/ after {timeout}s:\n" + self.tail())
            time.sleep(0.1)


class Processes:
    """Every process a test starts; teardown kills all of them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.all: list[Process] = []
        self._names: Counter = Counter()

    def start(self, name: str, argv: list[str], env: dict) -> Process:
        self._names[name] += 1
        log_path = self.folder / f"{name}-{self._names[name]}.log"
        process = Process(f"{name}-{self._names[name]}", argv, env, log_path)
        self.all.append(process)
        return process

    def kill_all(self) -> None:
        for process in reversed(self.all):
            process.kill_group()

    def tails(self, lines: int = 40) -> str:
        return "\n\n".join(
            f"----- {p.name} (pid {p.pid}, exit {p.popen.returncode}) {p.log_path}\n"
            + p.tail(lines)
            for p in self.all
        )


@pytest.fixture
def processes(request, transactional_db, tmp_path):
    """Depends on ``transactional_db`` so its teardown (kill all) runs before the flush."""
    registry = Processes(tmp_path / "logs")
    yield registry
    registry.kill_all()
    if _failed(request.node):
        print("\n===== logs of the processes this test started =====")
        print(registry.tails())


# --- SMTP -----------------------------------------------------------------------------------------


class SmtpSink:
    """An aiosmtpd handler that counts every accepted message by its Message-ID header."""

    def __init__(self):
        self.delay = 0.0  # seconds per message, like a real relay; widens the kill window
        self._lock = threading.Lock()
        self._ids: Counter = Counter()
        self._parser = email.parser.BytesHeaderParser()
        self.port = 0

    async def handle_DATA(self, server, session, envelope):
        headers = self._parser.parsebytes(envelope.original_content or envelope.content)
        message_id = (headers.get("Message-ID") or "").strip()
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self._ids[message_id] += 1
        return "250 Message accepted for delivery"

    def counts(self) -> Counter:
        with self._lock:
            return Counter(self._ids)

    def unique(self) -> int:
        with self._lock:
            return len(self._ids)


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink = SmtpSink()
    sink.port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port, ready_timeout=10)
    controller.start()
    yield sink
    controller.stop()


# --- Redis ----------------------------------------------------------------------------------------


class RedisServer:
    """The test's own redis-server: stopping it does not disturb the machine's Redis."""

    def __init__(self, processes: Processes, folder: Path):
        self.binary = require_binary("redis-server")
        self.processes = processes
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: Process | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def ping(self) -> bool:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # No retries: redis-py's default retries a refused connection for about 4 seconds.
        client = redis.Redis(
            port=self.port, socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0)
        )
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def start(self) -> None:
        argv = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        argv += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        self.process = self.processes.start("redis", argv, dict(os.environ))
        try:
            wait_until(self.ping, timeout=15, what=f"redis-server on {self.port}")
        except TimeoutError as error:
            raise TimeoutError(f"{error}\n{self.process.tail()}") from None

    def stop(self) -> None:
        """A clean shutdown (SIGTERM); with --save "" everything queued is gone."""
        assert self.process is not None
        self.process.send(signal.SIGTERM)
        self.process.wait(timeout=15)
        wait_until(lambda: not self.ping(), timeout=5, what="redis to stop answering")

    def restart(self, down_seconds: float = 1.0) -> float:
        """Stop, stay down a moment, start again. Returns how long Redis did not answer."""
        t0 = time.monotonic()
        self.stop()
        time.sleep(down_seconds)
        self.start()
        return time.monotonic() - t0


@pytest.fixture
def redis_server(processes, tmp_path):
    server = RedisServer(processes, tmp_path / "redis")
    server.start()
    return server


# --- The environment of the processes under test --------------------------------------------------


def test_database_url() -> str:
    """The pytest test database (pytest-django has already created it and renamed NAME)."""
    from django.db import connection

    db = connection.settings_dict
    assert db["ENGINE"] == "django.db.backends.postgresql", db["ENGINE"]
    assert db["NAME"].startswith("test_"), db["NAME"]
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{quote(db['NAME'], safe='')}"


test_database_url.__test__ = False  # not a test, despite its name


@pytest.fixture
def fault_env(processes, redis_server, smtp, tmp_path) -> dict:
    celery_folder = tmp_path / "celery"  # beat's schedule file; beat does not create the folder
    celery_folder.mkdir()
    env = dict(os.environ)
    for name in ("CELERY_RESULT_BACKEND", "EMAIL_FILE_PATH", "PYTEST_CURRENT_TEST"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="larvik_nmu.settings.worker_under_test",
        DATABASE_URL=test_database_url(),
        # As in production (docker-compose.yml): one Redis, broker in db 0 and the cache in db 1.
        CELERY_BROKER_URL=redis_server.url(0),
        REDIS_URL=redis_server.url(1),
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        NOTIFICATIONS_CLAIM_SECONDS=str(CLAIM_SECONDS),
        CELERY_TASK_TIME_LIMIT=str(TASK_TIME_LIMIT),
        NOTIFICATIONS_DELIVERY_INTERVAL="1",
        CELERY_FOLDER=str(celery_folder),
        PYTHONUNBUFFERED="1",
        DJANGO_LOG_LEVEL="INFO",
    )
    return env


@contextlib.contextmanager
def in_process_broker(url: str):
    """Point this process's Celery app at ``url``: ``notify()``'s nudge then reaches the workers.

    Test settings use the filesystem broker; a nudge sent there would wait in the repository's
    .celery folder for some later test's worker.
    """
    from larvik_nmu.celery import app

    saved = app.conf.broker_url, app.conf.broker_transport_options
    app.close()  # drops the connection and producer pools made for the old broker
    app.conf.broker_url, app.conf.broker_transport_options = url, {}
    try:
        yield app
    finally:
        app.close()
        app.conf.broker_url, app.conf.broker_transport_options = saved


# --- Celery ---------------------------------------------------------------------------------------


class CeleryCluster:
    """Workers (solo pool) in numbered slots, and beat. A slot's worker can be killed and replaced."""

    def __init__(self, processes: Processes, env: dict):
        self.processes = processes
        self.env = env
        self.workers: dict[int, Process] = {}
        self.retired: list[Process] = []
        self.beat: Process | None = None
        self._generation = Counter()

    def _celery(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "celery", "-A", "larvik_nmu", *args]

    def start_all(self, workers: int) -> None:
        """Beat and ``workers`` workers, started side by side, then waited for."""
        self.start_beat(wait=False)
        started = [self.start_worker(slot, wait=False) for slot in range(workers)]
        for process in started:
            self.wait_ready(process)
        self.wait_beat()

    def start_worker(self, slot: int, *, wait: bool = True) -> Process:
        self._generation[slot] += 1
        node = f"w{slot}g{self._generation[slot]}@%h"
        argv = self._celery(
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-n",
            node,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        )
        process = self.processes.start(f"worker{slot}", argv, self.env)
        self.workers[slot] = process
        if wait:
            self.wait_ready(process)
        return process

    @staticmethod
    def wait_ready(process: Process, timeout: float = 60) -> None:
        process.wait_for_log(r"\S+@\S+ ready\.", timeout=timeout)

    def start_beat(self, *, wait: bool = True) -> Process:
        argv = self._celery("beat", "--loglevel=INFO")
        self.beat = self.processes.start("beat", argv, self.env)
        if wait:
            self.wait_beat()
        return self.beat

    def wait_beat(self) -> None:
        # Started is not enough (it can still fail to open its schedule file): wait for a send.
        assert self.beat is not None
        self.beat.wait_for_log(r"Sending due task notifications-deliver-pending", timeout=60)

    def retire(self, slot: int, sig: int) -> Process:
        """Send ``sig`` to the slot's worker; the caller replaces it once it has exited."""
        process = self.workers.pop(slot)
        process.send(sig)
        self.retired.append(process)
        return process

    def stop(self, timeout: float = 60) -> None:
        """Warm shutdown of every worker and beat, so nothing is mid-send when counting."""
        running = [*self.workers.values(), *([self.beat] if self.beat else [])]
        for process in running:
            process.send(signal.SIGTERM)
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=timeout)
            if process.alive():
                process.kill_group()


@pytest.fixture
def celery(processes, fault_env):
    return CeleryCluster(processes, fault_env)
