"""No input makes the portal answer 5xx: every URL, every path and query parameter, every form
field, with hostile values (NUL bytes, ``nan``/``inf``, huge numbers, odd ``next`` values,
unicode, 10,000 characters), on PostgreSQL (where a NUL byte in a query is an error, not a
string).

The URLs come from the URLconf itself (the admin's and allauth's included), so a new route is
fuzzed without anyone adding it here. Every URL is opened with real values as each role; the
pages it returns give the forms to post and the query parameters to try. Each field gets every
hostile value once, as one role that can open its form, so the run stays short:

- the project's own forms (the site's and its own ModelAdmins') one field at a time, the others
  as the page filled them in (so a value that passes the form reaches the service and the
  database);
- Django's and allauth's own admin forms, and the rows of admin inlines, all fields at once.

Each request runs in a savepoint that is rolled back, and the client's cookies are restored, so
one request's effect (a deleted object, a logout) never hides what the next one would find.
"""

import copy
import io
import logging
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from committees.models import Committee, Department, Membership, Role
from notifications.models import Notification
from notifications.unsubscribe import make_token
from proposals import services as proposal_services
from proposals.models import Proposal, State

from .harness import (
    GENERIC_QUERY_PARAMS,
    HOSTILE,
    ODD_TARGETS,
    all_routes,
    local_path,
    parse_page,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Who opens each URL: the demo's accounts (seed_demo), one per kind of person.
ROLES = {
    "anonymous": None,
    "resident": "innbygger@example.no",
    "leader": "leder.svarstad@example.no",
    "case_handler": "saksbehandler@example.no",
    "superuser": "admin@example.no",
}
# Whose page is fuzzed when several roles can open it: the most specific first.
PREFERENCE = ["resident", "leader", "case_handler", "superuser", "anonymous"]
ADMIN_PREFERENCE = ["superuser", "case_handler", "resident", "leader", "anonymous"]
# An admin inline's management form: ``events-TOTAL_FORMS``.
MANAGEMENT_FIELD = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")
# The values that get past a form's or a converter's parsing and on to a service, a query or
# the database; each of the site's own fields and query names gets them one at a time.
DATABASE_VALUES = ["\x00", "99999999999999999999", "nan"]
ADMIN_VALUES = [*DATABASE_VALUES, "x" * 10_000, "//evil.example/"]
# The admin pages that read a query (lists, add and change forms); the rest ignore it.
ADMIN_QUERY_PAGE = re.compile(r"_(changelist|add|change)$")
ADMIN_OBJECT_ROUTE_VALUES = ["\x00", "99999999999999999999", "nan"]


@dataclass
class World:
    users: dict
    draft: Proposal
    proposal: Proposal
    attachment_pk: int
    membership_pk: int
    references: list
    dugnads: dict = field(default_factory=dict)  # what each dugnad route opens: pk, token
    agreements: dict = field(default_factory=dict)  # what each agreement route opens: number


@pytest.fixture
def world(db):
    """The demo data (every proposal state, boards, notifications), plus a draft with an
    attachment, so every page has something real on it."""
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    User = get_user_model()
    users = {role: User.objects.get(email=email) for role, email in ROLES.items() if email}
    resident = users["resident"]
    draft = proposal_services.proposal_create_draft(
        author=resident,
        committee=Committee.objects.get(slug="svarstad"),
        kind="idea",
        category="other",
        title="Benk ved badeplassen",
        summary="En benk.",
        body="Vi ønsker en benk ved badeplassen.",
    )
    attachment = proposal_services.attachment_add(
        proposal=draft,
        actor=resident,
        uploaded_file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    proposal = (
        Proposal.objects.filter(committee__slug="svarstad", author=resident)
        .exclude(state=State.DRAFT)
        .order_by("pk")
        .first()
    )
    board_member = (
        Membership.objects.filter(committee__slug="svarstad")
        .exclude(role__in=[Role.LEADER, Role.MEMBER])
        .first()
    )
    references = list(
        Proposal.objects.exclude(reference=None).order_by("pk").values_list("reference", flat=True)
    )
    return World(
        users=users,
        draft=draft,
        proposal=proposal,
        attachment_pk=attachment.pk,
        membership_pk=board_member.pk,
        references=references,
        dugnads=_dugnads(),
        agreements=_agreements(),
    )


def _dugnads() -> dict:
    """The demo's dugnads: Svarstad's upcoming one (its leader organises it; a guest waits for
    the e-mail link), the held one waiting for its report, and every demo dugnad's page."""
    from dugnads import guest_links
    from dugnads import services as dugnad_services
    from dugnads.models import Dugnad
    from dugnads.models import State as DugnadState

    svarstad = Dugnad.objects.filter(
        committee__slug="svarstad", state=DugnadState.PUBLISHED
    ).first()
    held = Dugnad.objects.filter(committee__slug="svarstad", state=DugnadState.COMPLETED).first()
    guest = dugnad_services.signup_create(
        dugnad=svarstad, guest_name="Gjest Gjestesen", guest_email="gjest@example.no"
    )
    return {
        "upcoming": svarstad.pk,
        "held": held.pk,
        "all": list(Dugnad.objects.order_by("pk").values_list("pk", flat=True)),
        "token": guest_links.make_token(guest),
    }


def _agreements() -> dict:
    """Agreements for the /avtaler/<number>/… routes: Svarstad's signed one (its leader's
    workspace), one out for the leader's signature and a draft, the demo's own if it has them
    (else made here), and every agreement's page."""
    from agreements.models import Agreement, ReportDuty
    from tests.factories import AgreementFactory, ReportDutyFactory, TaskFactory

    svarstad = Committee.objects.get(slug="svarstad")
    department = Department.objects.order_by("pk").first()

    def one(state, *states):
        found = Agreement.objects.filter(committee=svarstad, state__in=[state, *states]).first()
        if found is None:
            found = AgreementFactory(committee=svarstad, department=department, state=state)
            TaskFactory(agreement=found)
            ReportDutyFactory(agreement=found)
        return found

    public = one("active", "expiring", "signed_municipality")
    duty = ReportDuty.objects.filter(agreement=public).order_by("pk").first()
    return {
        "public": public.number,
        "sent": one("sent").number,
        "draft": one("draft").number,
        "duty": duty.pk if duty else 1,
        "all": list(Agreement.objects.order_by("pk").values_list("number", flat=True)),
    }


def _admin_model(path: str):
    """The model an admin URL is about (``/admin/<app>/<model>/…``), or None."""
    bits = path.strip("/").split("/")
    if len(bits) < 3 or bits[0] != "admin":
        return None
    try:
        return apps.get_model(bits[1], bits[2])
    except LookupError:
        return None


def real_values(route, role: str, world: World) -> list[dict]:
    """Real values for a route's parameters (several where each gives a different page)."""
    user = world.users.get(role)
    values: dict = {}
    many: list[dict] = []
    for name in route.params:
        if name == "reference":
            values[name] = world.proposal.reference
            if route.name == "proposals:proposal-detail":
                many = [{"reference": reference} for reference in world.references[:6]]
        elif name == "slug":
            values[name] = "svarstad"
        elif name == "token" and route.name == "dugnads:guest-signup":
            values[name] = world.dugnads["token"]
        elif name == "pk" and route.name == "dugnads:dugnad-report":
            values[name] = world.dugnads["held"]
        elif name == "pk" and route.name == "dugnads:dugnad-detail":
            values[name] = world.dugnads["upcoming"]
            many = [{"pk": pk} for pk in world.dugnads["all"]]
        elif name == "pk" and route.name.startswith("dugnads:"):
            values[name] = world.dugnads["upcoming"]
        elif name == "number" and route.name == "agreements:agreement-sign":
            values[name] = world.agreements["sent"]
        elif name == "number" and route.name.startswith("agreements:"):
            values[name] = world.agreements["public"]
            if route.name == "agreements:agreement-detail":
                many = [{"number": number} for number in world.agreements["all"]]
        elif name == "pk" and route.name == "agreements:report-form":
            values[name] = world.agreements["duty"]
        elif name == "to_state" and route.name.startswith("agreements:"):
            values[name] = "terminated"
        elif name == "to_state":
            values[name] = "cancelled"
        elif name == "token":
            values[name] = make_token(user_id=world.users["resident"].pk, categories=["proposals"])
        elif name == "pk" and route.name.startswith("proposals:draft"):
            values[name] = world.draft.pk
        elif name == "pk" and route.name == "proposals:attachment-download":
            values[name] = world.attachment_pk
        elif name == "pk" and route.name.startswith("notifications:"):
            owner = user or world.users["resident"]
            mine = Notification.objects.filter(recipient=owner).order_by("pk").first()
            values[name] = mine.pk if mine else 1
        elif name == "pk" and route.name.startswith("committees:"):
            values[name] = world.membership_pk
        elif name == "object_id" and route.name == "admin:view_on_site":
            values[name] = world.proposal.pk
        elif name == "content_type_id":
            values[name] = ContentType.objects.get_for_model(Proposal).pk
        elif name == "object_id":
            model = _admin_model(route.build(dict.fromkeys(route.params, "x")))
            obj = model._default_manager.order_by("pk").first() if model else None
            values[name] = obj.pk if obj else 1
        elif name == "id":
            values[name] = world.users["resident"].pk
        elif name == "app_label":
            values[name] = "proposals"
        elif name == "url":
            values[name] = "nothing-here/"
        elif name == "uidb36":
            values[name] = "1"
        else:  # allauth's e-mail confirmation and password reset keys
            values[name] = "not-a-key"
    return [{**values, **one} for one in many] or [values]


@dataclass
class Fuzzer:
    clients: dict
    failures: list = field(default_factory=list)
    requests: int = 0

    def hit(self, role, method, path, data=None, *, what="", value=None):
        """One request, undone afterwards; a 5xx is written down with what caused it."""
        client = self.clients[role]
        cookies = copy.deepcopy(client.cookies)
        with transaction.atomic():
            response = getattr(client, method)(path, data or {})
            transaction.set_rollback(True)
        client.cookies = cookies
        self.requests += 1
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            error = f" {exc[0].__name__}: {str(exc[1])[:150]}" if exc else ""
            cause = f" {what}" if what else ""
            if value is not None:
                cause += f"={value[:30]!r}{'…' if len(value) > 30 else ''}"
            self.failures.append(
                f"{response.status_code} {method.upper()} {path[:100]} as {role}{cause}{error}"
            )
        return response


def _route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.route


@dataclass
class Crawl:
    """What opening every URL found: the pages, their forms and the query names they use."""

    status: dict = field(default_factory=lambda: defaultdict(dict))
    pages: dict = field(default_factory=dict)  # route name -> (role, path)
    forms: dict = field(default_factory=dict)  # (method, route, names) -> (role, action, form)
    query_names: dict = field(default_factory=lambda: defaultdict(set))
    links: dict = field(default_factory=dict)  # (path, query) -> role, for the site's own pages

    def read(self, role: str, path: str, html: str) -> None:
        page_forms, links = parse_page(html)
        for form in page_forms:
            target = local_path(form.action, path)
            if target is None:
                continue
            action = target[0] + (f"?{target[1]}" if target[1] else "")
            route = _route_name(target[0])
            self.forms.setdefault(
                (form.method, route, tuple(sorted(form.names()))), (role, action, form)
            )
            if form.method == "get":
                self.query_names[route].update(form.names())
        for link in links:
            target = local_path(link, path)
            if target and target[1]:
                route = _route_name(target[0])
                self.query_names[route].update(pair.split("=")[0] for pair in target[1].split("&"))
                if route and not route.startswith("admin:"):
                    self.links.setdefault(target, role)


def _open_every_url(fuzz: Fuzzer, routes, world: World) -> Crawl:
    """Every URL with real values, as every role; then the site's own links with a query
    (a step's page, ``?til=…``), as the role that saw them."""
    crawl = Crawl()

    def visit(route_name, role, path):
        response = fuzz.hit(role, "get", path)
        crawl.status[route_name][role] = response.status_code
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            crawl.pages.setdefault(route_name, (role, path))
            crawl.read(role, path, response.content.decode())

    for route in routes:
        for role in ADMIN_PREFERENCE if route.name.startswith("admin:") else PREFERENCE:
            for values in real_values(route, role, world):
                visit(route.name, role, route.build(values))
    for (path, query), role in list(crawl.links.items()):
        visit(_route_name(path), role, f"{path}?{query}")
    return crawl


def _hostile_paths(fuzz: Fuzzer, routes, crawl: Crawl, world: World) -> None:
    """Each path parameter with each hostile value (and a raw ``%00``), one at a time, as the
    role that opened the real page; POST where the route answers nothing else. The admin's
    object routes besides ``change`` share its lookup, so a few values are enough there."""
    for route in routes:
        if not route.params:
            continue
        statuses = crawl.status[route.name]
        role = crawl.pages.get(route.name, (None,))[0]
        # A POST-only route answers 405 to GET once past login: post to it as that role.
        refused_get = [r for r, s in statuses.items() if s == 405]
        method = "post" if refused_get and not role else "get"
        if method == "post":
            role = refused_get[0]
        role = role or next((r for r, s in statuses.items() if s < 400), "superuser")
        base = real_values(route, role, world)[0]
        if not route.name.startswith("admin:") or route.name.endswith("_change"):
            values = [*HOSTILE, "%00"]
        else:
            values = ADMIN_OBJECT_ROUTE_VALUES
        for name in route.params:
            for value in values:
                raw = frozenset([name]) if value == "%00" else frozenset()
                path = route.build({**base, name: value}, raw=raw)
                fuzz.hit(role, method, path, what=name, value=value)


def rotations(names: list[str], values: list[str]):
    """``len(values)`` mappings in which every name gets every value once (name i gets value
    i + k in the k-th): each field meets each hostile value in a handful of requests."""
    for k in range(len(values)):
        yield {name: values[(i + k) % len(values)] for i, name in enumerate(names)}


def _hostile_queries(fuzz: Fuzzer, crawl: Crawl) -> None:
    """On every page, its own query names (from its forms and links) and the generic ones
    (``next``, ``page``, ``o``, …): every name with every hostile value (rotated, so a page takes
    a few requests), and the page's own names one at a time with the values that reach the
    database. A NUL byte is tried once per page (every query with one is a 404, core/http.py)."""
    for route_name, (role, path) in crawl.pages.items():
        if route_name.startswith("admin:") and not ADMIN_QUERY_PAGE.search(route_name):
            continue
        base = path.split("?")[0]
        own = sorted(crawl.query_names.get(route_name, set()))
        names = sorted(set(GENERIC_QUERY_PARAMS) | set(own))
        admin = route_name.startswith("admin:")
        values = [v for v in (ADMIN_VALUES if admin else HOSTILE + ODD_TARGETS) if v != "\x00"]
        fuzz.hit(role, "get", base, dict.fromkeys(names, "\x00"), what="?(all)", value="\x00")
        for data in rotations(names, values):
            fuzz.hit(
                role, "get", base, data, what="?(rotated)", value=str(sorted(data.items()))[:60]
            )
        if not admin:
            for name in own:
                for value in DATABASE_VALUES:
                    fuzz.hit(role, "get", base, {name: value}, what=f"?{name}", value=value)


def _hostile_forms(fuzz: Fuzzer, crawl: Crawl) -> None:
    """Every form: every field with every hostile value (rotated), the management forms of
    admin inlines left as they are; then the site's own forms one field at a time with the
    values that pass a form's parsing and reach a service or the database."""
    for (method, route_name, _names), (role, action, form) in crawl.forms.items():
        baseline = form.baseline()
        fuzz.hit(role, method, action, baseline, what="(as filled in)")
        names = [
            name
            for name in form.names()
            if name != "csrfmiddlewaretoken" and not MANAGEMENT_FIELD.search(name)
        ]
        if not names:
            continue
        admin = (route_name or "").startswith("admin:")
        for data in rotations(names, DATABASE_VALUES if admin else HOSTILE + ODD_TARGETS):
            posted = {**baseline, **{name: [value] for name, value in data.items()}}
            fuzz.hit(role, method, action, posted, what="(rotated)", value=str(data)[:60])
        if admin:
            continue
        for name in names:
            for value in DATABASE_VALUES:
                fuzz.hit(role, method, action, {**baseline, name: [value]}, what=name, value=value)


@pytest.fixture
def quiet_request_log():
    """Thousands of 4xx would each log a warning (with a traceback for 403): the fuzz reports
    what matters itself."""
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


def test_no_input_gives_a_server_error(world, quiet_request_log):
    started, cpu = time.monotonic(), time.process_time()
    clients = {}
    for role in ROLES:
        clients[role] = Client(raise_request_exception=False)
        if role != "anonymous":
            clients[role].force_login(world.users[role])
    fuzz = Fuzzer(clients=clients)
    routes = all_routes()

    phases = []
    crawl = None
    for phase in ("open", "paths", "queries", "forms"):
        before, cpu_before = fuzz.requests, time.process_time()
        if phase == "open":
            crawl = _open_every_url(fuzz, routes, world)
        elif phase == "paths":
            _hostile_paths(fuzz, routes, crawl, world)
        elif phase == "queries":
            _hostile_queries(fuzz, crawl)
        else:
            _hostile_forms(fuzz, crawl)
        phases.append(
            f"{phase} {fuzz.requests - before} ({time.process_time() - cpu_before:.0f} s)"
        )

    elapsed = time.monotonic() - started
    print(
        f"\nfuzz: {fuzz.requests} requests over {len(routes)} routes, {len(crawl.pages)} pages "
        f"and {len(crawl.forms)} forms in {elapsed:.1f} s ({time.process_time() - cpu:.1f} s CPU): "
        + ", ".join(phases)
    )
    assert not fuzz.failures, f"{len(fuzz.failures)} server errors:\n" + "\n".join(fuzz.failures)
    # The crawl must reach the pages that matter, or a clean run would mean nothing.
    for must in (
        "proposals:proposal-create",
        "proposals:draft-edit",
        "committees:committee-edit",
        "notifications:list",
        "admin:proposals_proposal_change",
        "account_signup",
    ):
        assert must in crawl.pages, f"the crawl never opened {must}"
    # Its time is printed above, not asserted: speed is for a benchmark, never a timed test.
