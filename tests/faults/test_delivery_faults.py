"""Fault tests of e-mail delivery against real services (PostgreSQL, Redis, SMTP, Celery, gunicorn).

They prove what ``notifications/delivery.py`` promises:

* a worker killed with SIGKILL, restarted, again and again, and Redis restarted (losing every
  queued message) still ends with every notification sent and none missing; duplicates are
  possible (at most one batch per kill) and reported;
* warm shutdowns (SIGTERM) lose nothing and send nothing twice;
* with Redis down, residents can still use the site: the requests that write work for the
  workers (a leader's board invitations) succeed quickly, nothing they wrote is lost, and the
  invitations and their e-mails go out once, each, when Redis and a worker are back.
"""

import http.client
import re
import signal
import sys
import time
from collections import Counter
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committees.models import BoardInvitation, InvitationStatus, RepresentedGroup, Role
from committees.notifications import BOARD_INVITATION
from committees.selectors import invitation_account
from notifications.models import EmailStatus, Notification
from notifications.services import notify

from ..factories import MembershipFactory, UserFactory
from .conftest import DeliveryReport, free_port, in_process_broker, wait_until

pytestmark = [
    pytest.mark.faults,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

User = get_user_model()
KIND = "committee.board_added"
MESSAGE_ID = re.compile(r"^<nmu-notification-(\d+)@[^>]+>$")


# --- Helpers --------------------------------------------------------------------------------------


def schedule(n: int, *, tag: str, per_call: int = 500) -> list[int]:
    """``n`` immediate notifications through ``notify()``, ``per_call`` recipients at a time."""
    actor = UserFactory(full_name="Sverre Leder")
    membership = MembershipFactory(user=actor, role=Role.LEADER)
    people = User.objects.bulk_create(
        User(email=f"{tag}-{i}@example.no", full_name=f"Beboer {i}")
        for i in range(min(n, per_call))
    )
    written = call = 0
    while written < n:
        written += notify(
            recipients=people[: n - written],
            kind=KIND,
            context={"membership": membership, "actor": actor},
            target=membership.committee,
            dedupe_key=f"{tag}:{call}",
        )
        call += 1
    ids = list(Notification.objects.filter(dedupe_key__startswith=f"{tag}:").values_list("pk"))
    ids = [pk for (pk,) in ids]
    assert len(ids) == n
    return ids


def statuses(ids) -> Counter:
    return Counter(
        Notification.objects.filter(pk__in=ids).values_list("email_status", flat=True).iterator()
    )


def tally(smtp, ids) -> dict:
    """What the SMTP server received for these rows, by Message-ID."""
    wanted = set(ids)
    delivered: dict[int, int] = {}
    unexpected = 0
    for message_id, count in smtp.counts().items():
        match = MESSAGE_ID.match(message_id)
        if match and int(match[1]) in wanted:
            delivered[int(match[1])] = count
        else:
            unexpected += count
    return {
        "unique": len(delivered),
        "duplicates": sum(count - 1 for count in delivered.values()),
        "duplicated_rows": sorted(pk for pk, count in delivered.items() if count > 1),
        "missing": sorted(wanted - delivered.keys()),
        "unexpected": unexpected,
    }


_TASK_LINE = re.compile(r"Task notifications\.deliver_pending\[([0-9a-f-]+)\] (\w+)")


def running_task(process) -> str | None:
    """The deliver_pending task this worker has started but not finished (from its log)."""
    running = None
    for task_id, what in _TASK_LINE.findall(process.text()):
        if what == "received":
            running = task_id
        elif task_id == running:
            running = None
    return running


def run_with_faults(*, celery, redis_server, smtp, ids, plan, timeout) -> dict:
    """Deliver ``ids`` while applying ``plan``: (fraction delivered, "kill" | "term" | "redis").

    Fractions are of what is left when this starts (the first worker is already busy while the
    others start). A killed or terminated worker is replaced as soon as it has exited.
    """
    n = len(ids)
    base = smtp.unique()
    plan = sorted((base + fraction * (n - base), action) for fraction, action in plan)
    events: list[dict] = []
    replacing: list[tuple[int, object, dict]] = []
    rotation = 0
    started = time.monotonic()
    deadline = started + timeout
    next_db_check = 0.0
    left = n
    timed_out = False
    while True:
        now = time.monotonic()
        delivered = smtp.unique()
        due = plan and delivered >= plan[0][0]
        if due and plan[0][1] == "redis":
            plan.pop(0)
            event = {"action": "redis", "at_delivered": delivered, "t": round(now - started, 2)}
            event["down_seconds"] = round(redis_server.restart(), 2)
            events.append(event)
        elif due:
            # Only a worker that is running a delivery task: a fault while it idles proves little.
            busy = [slot for slot, process in celery.workers.items() if running_task(process)]
            if busy:
                action = plan.pop(0)[1]
                slot = busy[rotation % len(busy)]
                rotation += 1
                process = celery.workers[slot]
                event = {
                    "action": action,
                    "at_delivered": delivered,
                    "t": round(now - started, 2),
                    "slot": slot,
                    "pid": process.pid,
                    "task": running_task(process),
                }
                celery.retire(slot, signal.SIGKILL if action == "kill" else signal.SIGTERM)
                event["signal_sent"] = time.monotonic()
                replacing.append((slot, process, event))
                events.append(event)
        for item in list(replacing):
            slot, process, event = item
            if not process.alive():
                event["exit_code"] = process.popen.returncode
                event["exit_seconds"] = round(time.monotonic() - event.pop("signal_sent"), 2)
                if event["action"] == "term" and event["task"]:
                    event["task_finished"] = bool(
                        re.search(
                            rf"deliver_pending\[{event['task']}\] (succeeded|raised)",
                            process.text(),
                        )
                    )
                celery.start_worker(slot, wait=False)
                replacing.remove(item)
        if now >= next_db_check:
            left = (
                Notification.objects.filter(pk__in=ids).exclude(email_status=EmailStatus.SENT)
            ).count()
            next_db_check = now + 0.5
        if not replacing and left == 0:  # a plan left over fails the caller's fault count
            break
        if now > deadline:
            timed_out = True
            break
        time.sleep(0.05)
    seconds = time.monotonic() - started
    if not timed_out:
        # Every replacement came up (after a kill, a restart must work too).
        for process in celery.workers.values():
            celery.wait_ready(process, timeout=60)
    celery.stop()
    return {
        "events": events,
        "seconds": seconds,
        "delivered_before_faults": base,
        "timed_out": timed_out,
        "plan_left": plan,
    }


def delivery_report(case: str, *, ids, smtp, outcome: dict, started: float, **extra):
    result = tally(smtp, ids)
    report = DeliveryReport(
        case=case,
        scheduled=len(ids),
        unique_delivered=result["unique"],
        duplicates=result["duplicates"],
        missing=len(result["missing"]),
        unexpected=result["unexpected"],
        seconds=round(outcome["seconds"], 1),
        faults=dict(Counter(event["action"] for event in outcome["events"])),
        extra={
            "test_seconds": round(time.monotonic() - started, 1),
            "delivered_before_faults": outcome["delivered_before_faults"],
            "duplicated_rows": result["duplicated_rows"],
            "missing_rows": result["missing"][:100],
            "statuses": dict(statuses(ids)),
            "events": outcome["events"],
            **extra,
        },
    )
    report.publish()
    print(f"    whole test {report.extra['test_seconds']}s; faults:")
    for event in outcome["events"]:
        print("   ", event)
    return report, result


# --- 1. SIGKILL and a Redis restart ---------------------------------------------------------------


def test_sigkill_and_redis_restart_lose_nothing(celery, redis_server, smtp):
    """Every row ends up sent and at the SMTP server, whatever is killed on the way."""
    started = time.monotonic()
    n = 2000
    with in_process_broker(redis_server.url(0)):
        t0 = time.monotonic()
        ids = schedule(n, tag="kill")
        scheduling = time.monotonic() - t0
    celery.start_all(workers=3)

    plan = [(0.10, "kill"), (0.25, "kill"), (0.40, "redis"), (0.55, "kill"), (0.70, "kill")]
    outcome = run_with_faults(
        celery=celery, redis_server=redis_server, smtp=smtp, ids=ids, plan=plan, timeout=150
    )
    report, result = delivery_report(
        "sigkill_redis_restart",
        ids=ids,
        smtp=smtp,
        outcome=outcome,
        started=started,
        scheduling_seconds=round(scheduling, 1),
    )

    assert not outcome["timed_out"], f"not all sent in time: {report.extra['statuses']}"
    assert report.faults == {"kill": 4, "redis": 1}
    assert all(event["at_delivered"] < n for event in outcome["events"]), "not during delivery"
    assert result["missing"] == [], f"never delivered: {result['missing'][:50]}"
    assert statuses(ids) == {EmailStatus.SENT: n}
    assert result["unexpected"] == 0
    # "At most one batch per kill" (delivery.py).
    assert result["duplicates"] <= report.faults["kill"] * settings.NOTIFICATIONS["BATCH_SIZE"]


# --- 2. Warm shutdowns -------------------------------------------------------------------------


def test_sigterm_restarts_send_everything_exactly_once(celery, redis_server, smtp):
    """A warm shutdown lets the running task finish: nothing lost, nothing sent twice."""
    started = time.monotonic()
    n = 800
    with in_process_broker(redis_server.url(0)):
        ids = schedule(n, tag="term")
    smtp.delay = 0.02  # a relay's pace: a task (8 batches of 25) takes a few seconds
    celery.start_all(workers=3)

    plan = [(0.05, "term"), (0.2, "term"), (0.35, "term"), (0.5, "term")]
    outcome = run_with_faults(
        celery=celery, redis_server=redis_server, smtp=smtp, ids=ids, plan=plan, timeout=90
    )
    report, result = delivery_report(
        "sigterm", ids=ids, smtp=smtp, outcome=outcome, started=started
    )

    assert not outcome["timed_out"], f"not all sent in time: {report.extra['statuses']}"
    assert report.faults == {"term": 4}
    assert all(event["at_delivered"] < n for event in outcome["events"]), "not during delivery"
    assert result["missing"] == []
    assert result["duplicates"] == 0, f"sent twice: {result['duplicated_rows']}"
    assert statuses(ids) == {EmailStatus.SENT: n}
    assert result["unexpected"] == 0
    assert all(event["exit_code"] == 0 for event in outcome["events"]), outcome["events"]
    # A warm shutdown finishes the task it is running.
    assert all(event.get("task_finished", True) for event in outcome["events"])


# --- 3. Redis down while residents use the site ---------------------------------------------------


class Browser:
    """Just enough of a browser: cookies, no redirects followed, each request timed."""

    def __init__(self, port: int, cookies: dict[str, str]):
        self.port = port
        self.cookies = dict(cookies)

    def request(self, method: str, path: str, form: dict | None = None) -> dict:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        t0 = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
        seconds = time.monotonic() - t0
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return {
            "method": method,
            "status": response.status,
            "seconds": round(seconds, 3),
            "location": response.headers.get("Location", ""),
            "text": text,
        }

    def add_board_member(self, path: str, email: str) -> list[dict]:
        """What a leader does: open the form, fill it in, submit it."""
        page = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page["text"])
        if not match:
            return [page]
        posted = self.request(
            "POST",
            path,
            form={
                "csrfmiddlewaretoken": match[1],
                "email": email,
                "role": Role.BOARD_MEMBER,
                "represents": RepresentedGroup.INDIVIDUAL,
                "term_start": timezone.localdate().isoformat(),
                "term_end": "",
            },
        )
        return [page, posted]


def _serves(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/")
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except OSError:
        return False


def test_site_works_while_redis_is_down(
    processes, celery, fault_env, redis_server, smtp, leader, committee
):
    """A leader adds board members with Redis down; the invitations follow once it is back.

    Adding a board member writes a ``BoardInvitation`` in the request and nudges the sending task
    (``committees.send_board_invitations``) on commit. While Redis is down the nudge fails and
    the request must not: it saves the row and redirects. When Redis returns, beat or the next
    nudge sends every invitation (to these people, who have confirmed addresses, as the
    ``committee.board_invitation`` notification) and each one's e-mail arrives exactly once.

    The web server gets REDIS_URL (the cache) and the broker on the test's Redis, as in
    production (docker-compose.yml), so the outage hits everything that uses Redis.
    """
    port = free_port()
    web = processes.start(
        "web",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "larvik_nmu.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "60",
            "--preload",  # workers start warm: a cold first request is not what this measures
            "--access-logfile",
            "-",
            "--access-logformat",
            '%(p)s "%(r)s" %(s)s %(L)ss',
        ],
        fault_env,
    )
    try:
        # Several times: the first request of each gunicorn worker imports half the project.
        for _ in range(4):
            wait_until(lambda: _serves(port), timeout=60, what="gunicorn to serve /")
    except TimeoutError as error:
        raise TimeoutError(f"{error}\n{web.tail()}") from None
    celery.start_beat()  # beat stays up through the outage, as it would in production

    up_before, during, up_after = (
        [UserFactory(email=f"styre-{phase}-{i}@example.no") for i in range(count)]
        for phase, count in (("before", 1), ("down", 6), ("after", 1))
    )
    everyone = [*up_before, *during, *up_after]
    # UserFactory confirms each address (allauth EmailAddress, verified and primary), so the
    # task invites these people by notification, not by a sign-up e-mail.
    assert all(invitation_account(email=person.email) == person for person in everyone)
    client = Client()
    client.force_login(leader)  # writes the session row; the web server reads it
    browser = Browser(port, {settings.SESSION_COOKIE_NAME: client.cookies["sessionid"].value})
    path = reverse("committees:membership-add", kwargs={"slug": committee.slug})
    requests: dict[str, list[dict]] = {"before": [], "down": [], "after": []}

    def add(phase, people):
        for person in people:
            requests[phase] += browser.add_board_member(path, person.email)

    def invitations(people):
        return BoardInvitation.objects.filter(
            committee=committee, email__in=[person.email for person in people]
        )

    add("before", up_before)  # the web process now holds a broker connection
    redis_server.stop()
    add("down", during)
    # What the requests wrote while Redis was down: an invitation each, waiting to be sent
    # (no worker has run yet); the notifications are the task's to write, later.
    rows_while_down = Counter(
        (status, sent_at is None)
        for status, sent_at in invitations(during).values_list("status", "sent_at")
    )
    notifications_while_down = Notification.objects.filter(recipient__in=during).count()
    redis_server.start()
    back = time.monotonic()
    celery.start_worker(0)
    add("after", up_after)

    ids: list[int] = []
    try:
        # Beat sends the invitations within its minute; the "after" request's nudge sooner.
        wait_until(
            lambda: (
                not invitations(everyone).filter(sent_at__isnull=True).exists()
                and Notification.objects.filter(
                    recipient__in=everyone, kind=BOARD_INVITATION
                ).count()
                == len(everyone)
            ),
            timeout=90,
            what="the board invitations to be sent",
        )
        ids = list(
            Notification.objects.filter(recipient__in=everyone, kind=BOARD_INVITATION).values_list(
                "pk", flat=True
            )
        )
        wait_until(
            lambda: (
                statuses(ids) == {EmailStatus.SENT: len(everyone)}
                and tally(smtp, ids)["unique"] == len(everyone)
            ),
            timeout=60,
            what="the board invitation notifications to be delivered",
        )
    finally:
        delivery_seconds = time.monotonic() - back  # from Redis back, worker start included
        celery.stop()
    result = tally(smtp, ids)
    web_log = web.text()
    timings = {
        phase: [(r["method"], r["status"], r["seconds"]) for r in made]
        for phase, made in requests.items()
    }
    report = DeliveryReport(
        case="redis_down_web",
        scheduled=len(ids),
        unique_delivered=result["unique"],
        duplicates=result["duplicates"],
        missing=len(result["missing"]),
        unexpected=result["unexpected"],
        seconds=round(delivery_seconds, 1),
        faults={"redis_stopped": 1},
        extra={
            "requests": timings,
            "invitations_while_down": {
                f"{status}{' unsent' if unsent else ' sent'}": n
                for (status, unsent), n in rows_while_down.items()
            },
            "notifications_while_down": notifications_while_down,
            "nudge_failures_logged": web_log.count("Could not queue board invitations"),
            "server_errors_logged": web_log.count("Internal Server Error"),
        },
    )
    report.publish()
    for phase, made in timings.items():
        print(f"    {phase}: {made}")
    print(f"    invitations while Redis was down: {report.extra['invitations_while_down']}")
    print(f"    nudge failures logged by the web server: {report.extra['nudge_failures_logged']}")

    for phase, made in requests.items():
        for response in made:
            assert response["status"] in (200, 302), (phase, response["status"], response["text"])
            assert response["seconds"] < 5, (phase, response["method"], response["seconds"])
        posts = [r for r in made if r["method"] == "POST"]
        assert len(posts) == {"before": 1, "down": 6, "after": 1}[phase], made
        assert all(r["status"] == 302 for r in posts)
        assert all(r["location"] == committee.get_absolute_url() for r in posts)
    # Nothing a request wrote was lost: every invitation was saved, waiting to be sent.
    assert rows_while_down == {(InvitationStatus.PENDING, True): len(during)}
    assert notifications_while_down == 0
    # Each request made while Redis was down tried to nudge a worker, failed, and said so.
    assert report.extra["nudge_failures_logged"] == len(during)
    assert report.extra["server_errors_logged"] == 0
    assert len(ids) == len(everyone)
    assert result["missing"] == []
    assert result["duplicates"] == 0
    assert statuses(ids) == {EmailStatus.SENT: len(everyone)}
    # One invitation per person, sent once, and one notification each.
    assert invitations(everyone).filter(sent_at__isnull=False).count() == len(everyone)
    assert Counter(Notification.objects.filter(pk__in=ids).values_list("recipient", flat=True)) == {
        person.pk: 1 for person in everyone
    }
