"""Every URL and API operation, with every HTTP method, walked as every role against a declared expectation.

Each app declares its URLs in `trama/<app>/tests/url_permissions.py` (see trama/testing.py for the
vocabulary); the project-level ones are below. A URL, an API operation of the OpenAPI schema or an
accepted method without a declaration fails `test_every_url_is_declared` /
`test_every_api_operation_is_declared`; a method a URL does not declare must answer 405.

Expectations follow DESIGN.md §2 (who sees what), not what the code happens to do. Where today's
code does something else, the exact (URL, method, role) case is listed in KNOWN_LEAKS: it must stay
wrong, so the suite stays green until the leak is fixed, and then fails until the entry goes.

Every refused request (and every request with an empty or invalid body) must leave every table of
the trama apps as it was, but the audit log, which records refusals.
"""

import json
import re
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse

from trama.market.index import forget_indexes
from trama.people.models import Role
from trama.testing import (
    ANON,
    ANY_METHOD,
    COORDINATOR_ONLY,
    METHODS,
    PUBLIC,
    ROLES,
    SIGNED_IN,
    TableWatch,
    build_world,
    declarations,
    everyone,
    only,
    url,
    walk_modules,
)

# (URL name as declared, method, role) -> why today's code answers otherwise than DESIGN.md §2.
# Each entry must stay wrong: the suite stays green while the leak is known, and fails once it
# is fixed until the entry goes (the content cases below run as strict xfails). The leaks this walk found when it was written (a
# citizen reading other people's matches on organisations' offers; a worker reaching people's
# offers of other neighbourhoods through brokerage) were fixed by the one source of access.
KNOWN_LEAKS = {}

EXPECTED = {
    "home": (url("home"), ANY_METHOD(PUBLIC)),
    "health": (url("health"), ANY_METHOD(PUBLIC)),
    "easy": (lambda o: reverse("easy", args=["cerco-una-mano"]), ANY_METHOD(PUBLIC)),
    "easy#unknown": (lambda o: reverse("easy", args=["non-esiste"]), ANY_METHOD(everyone(404))),
    # A citizen's own side: only their own records, whoever else asks is refused.
    "my_activity": (url("my_activity"), ANY_METHOD(only(Role.CITIZEN))),
    # The city's settings page: its coordinators only (what it changes has its own URLs, in territory and market).
    "city_settings": (url("city_settings"), {"GET": COORDINATOR_ONLY}),
    "set_language": (url("set_language"), ANY_METHOD(PUBLIC)),
    "login": (
        url("login"),
        {
            "GET": PUBLIC,
            "POST": PUBLIC,
            "PUT": PUBLIC,
            "PATCH": {ANON: 405, Role.COORDINATOR: "ok", Role.WORKER: "ok", Role.PARTNER: "ok", Role.ANTENNA: "ok", Role.CITIZEN: "ok"},
            "DELETE": {ANON: 405, Role.COORDINATOR: "ok", Role.WORKER: "ok", Role.PARTNER: "ok", Role.ANTENNA: "ok", Role.CITIZEN: "ok"},
        },
    ),
    "logout": (url("logout"), {"POST": PUBLIC}),
    "password_change": (url("password_change"), {"GET": SIGNED_IN, "POST": SIGNED_IN, "PUT": SIGNED_IN}),
    "password_change_done": (url("password_change_done"), {"GET": SIGNED_IN}),
    "password_reset": (url("password_reset"), {"GET": PUBLIC, "POST": PUBLIC, "PUT": PUBLIC}),
    "password_reset_done": (url("password_reset_done"), {"GET": PUBLIC}),
    "password_reset_confirm": (lambda o: reverse("password_reset_confirm", args=["MQ", "set-password"]), ANY_METHOD(PUBLIC)),
    "password_reset_complete": (url("password_reset_complete"), {"GET": PUBLIC}),
    "api-token": (url("api-token"), {"POST": PUBLIC}),
    # The second step of sign-in: with no sign-in waiting for a code, a visitor goes back to the login page.
    "second_factor_verify": (url("second_factor_verify"), ANY_METHOD({**SIGNED_IN, ANON: 302})),
    "api-schema": (url("api-schema"), {"GET": PUBLIC}),
    "api-docs": (url("api-docs"), {"GET": PUBLIC}),
}
for _module in walk_modules():
    EXPECTED.update(_module.EXPECTED)

DECLARED = declarations(EXPECTED)

# URLs that belong to libraries and are walked by their own rules (none since the empty admin went).
LIBRARY_NAMESPACES = set()


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in LIBRARY_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
        elif entry.name:
            yield prefix + entry.name
        else:
            yield f"{prefix}<unnamed {entry.pattern}>"


def project_url_names():
    return set(_walk(get_resolver().url_patterns))


def test_every_url_is_declared():
    declared = {name.split("#")[0] for name in DECLARED}
    missing = project_url_names() - declared
    assert not missing, f"URLs without a declared permission expectation: {sorted(missing)}"
    stale = declared - project_url_names()
    assert not stale, f"Declared URLs that no longer exist: {sorted(stale)}"


def test_every_api_operation_is_declared():
    """Each operation of the OpenAPI schema is declared for its method on the URL that serves it."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [(path, method.upper()) for path, item in schema["paths"].items() for method in item]
    assert len(operations) > 60
    missing = []
    for path, method in operations:
        name = resolve(re.sub(r"\{[^}]+\}", "1", path)).url_name
        if not any(declared.name == name and method in declared.methods for declared in DECLARED.values()):
            missing.append(f"{method} {path} ({name})")
    assert not missing, f"API operations without a declared expectation: {missing}"


# Doors a deployment opens by configuration, closed (404 to everyone) in the walk: SPID and CIE sign-in, whose own
# walk with a local provider is in trama/people/tests/test_digital_identity.py.
# The entity configuration and the resolve endpoint of the OpenID Federation likewise: trama/people/tests/test_federation.py
# reads them as every role.
OFF_IN_THE_WALK = {"identity_start", "identity_return", "identity_register", "openid_federation", "federation_resolve"}


def test_every_url_serves_someone():
    """A URL nobody is served on any method walks only refusals: its fixtures must be wrong."""
    served = {d.name for d in DECLARED.values() for method in d.methods.values() for outcome in method.values() if outcome == "ok"}
    assert not {d.name for d in DECLARED.values()} - served - OFF_IN_THE_WALK


def test_every_role_is_served_and_refused_somewhere():
    for role in ROLES:
        outcomes = [m[role] for d in DECLARED.values() for m in d.methods.values()]
        assert outcomes.count("ok") >= 10 and outcomes.count("denied") >= 10, role


def test_known_leaks_name_declared_cases():
    for name, method, role in KNOWN_LEAKS:
        assert (name in DECLARED or name in CONTENT_CASES) and role in ROLES and method in METHODS, (name, method, role)


# ---------------------------------------------------------------------------
# The walk


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world built once; each case runs in a savepoint rolled back after it.

    The table watch's SQLite triggers are created before the world's transaction (see TableWatch.installed)."""
    with django_db_blocker.unblock(), TableWatch.installed() as watch, transaction.atomic():
        objects = build_world()
        sessions = {}
        for role, user in objects["users"].items():
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value  # noqa: PERF401
        objects["sessions"] = sessions
        objects["client"] = Client()
        objects["watch"] = watch
        watch.start()
        objects["urls"] = {key: declared.build(objects) for key, declared in DECLARED.items()}
        yield objects
        transaction.set_rollback(True)


def client_as(world, role):
    """The walk's one client (a new one would load the middleware again), holding only `role`'s session."""
    client = world["client"]
    client.cookies = SimpleCookie()
    if role != ANON:
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    return client


def send(client, method, path, body, api, headers=None):
    headers = headers or {}
    if api:
        data = json.dumps(body or {})
        return client.generic(method, path, data=data, content_type="application/json", **headers)
    if method == "GET":
        return client.get(path, **headers)
    if method == "POST":
        return client.post(path, body or {}, **headers)
    return client.generic(method, path, data=urlencode(body or {}), content_type="application/x-www-form-urlencoded", **headers)


def judge(response, expected, role, method, path, api):
    """None when the response is the expected outcome, else what was wrong."""
    status = response.status_code
    location = response.get("Location", "")
    to_login = 300 <= status < 400 and urlsplit(location).path == reverse("login")
    if expected == "ok":
        if to_login:
            return f"sent to the login page ({status})"
        if 200 <= status < 400 or (method != "GET" and status == 400 and response.content):
            return None
        return f"answered {status}, expected to be served"
    if expected == "405 or denied":
        if status == 405:
            return None
        expected = "denied"
    if expected == "denied":
        if role == ANON and api:
            return None if status in (401, 403) else f"answered {status}, expected 401 or 403"
        if role == ANON:
            if not to_login:
                return f"answered {status} {location}, expected a redirect to the login page"
            nexts = parse_qs(urlsplit(location).query).get("next")
            return None if nexts == [path] else f"login page leads to {nexts}, expected {path}"
        return None if status in (403, 404) else f"answered {status}, expected 403 or 404"
    return None if status == expected else f"answered {status}, expected {expected}"


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(DECLARED))
def test_walk(world, key):
    """Every method as every role on one declared URL: each case in its own savepoint.

    One test per URL rather than per case: the 8,000-odd cases were most of the suite's time in
    pytest's own per-test setup. The failure lists every wrong case; a KNOWN_LEAKS case must
    still be wrong, so fixing a leak fails until its entry goes.
    """
    declared = DECLARED[key]
    wrong = []
    for method in METHODS:
        for role in ROLES:
            problem = walk_case(world, declared, key, method, role)
            leak = KNOWN_LEAKS.get((key, method, role))
            if leak and problem is None:
                wrong.append(f"{method} as {role}: the known leak is fixed, remove it from KNOWN_LEAKS ({leak})")
            elif problem and not leak:
                wrong.append(problem)
    assert not wrong, f"{key}:\n" + "\n".join(wrong)


def walk_case(world, declared, key, method, role):
    """None when `role`'s `method` on the declared URL answers as expected and a refusal changes nothing."""
    expected = declared.expect(method, role)
    path = world["urls"][key]
    api = path.startswith("/api/")
    body = declared.bodies[method](world) if method in declared.bodies else None
    headers = declared.headers[method](world) if method in declared.headers else None
    must_not_change = expected != "ok"
    try:
        with transaction.atomic():
            world["watch"].mark()
            response = send(client_as(world, role), method, path, body, api, headers)
            changed = _changed(world) if must_not_change else []
            transaction.set_rollback(True)
    finally:
        caches["default"].clear()
        forget_indexes()
    wrong = judge(response, expected, role, method, path, api)
    if wrong is not None:
        return f"{method} {path} as {role}: {wrong}"
    if changed:
        return f"{method} {path} as {role} ({response.status_code}) changed {changed}"
    return None


def _changed(world):
    return world["watch"].changed()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_there_is_no_django_admin(world, role):
    """Nothing was registered with it: every model has its own pages, scoped and audited, so it is not mounted."""
    for path in ("/admin/", "/admin/login/", "/admin/people/user/"):
        assert client_as(world, role).get(path).status_code == 404, (role, path)


# ---------------------------------------------------------------------------
# What a served answer contains: a worker's candidates for a need of their neighbourhood are
# organisations' public offers and people's offers of the worker's neighbourhoods, nothing else.

CONTENT_CASES = {
    "worker-candidates-api": ("api-market-need-candidates", "ride_need"),
    "worker-candidates-page": ("market:need", "ride_need"),
}


def _content_cases():
    for case in CONTENT_CASES:
        leak = KNOWN_LEAKS.get((case, "GET", Role.WORKER))
        marks = [pytest.mark.xfail(strict=True, reason=f"leak: {leak}")] if leak else []
        yield pytest.param(case, id=case, marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(_content_cases()))
def test_worker_candidates_stay_in_scope(world, case):
    name, key = CONTENT_CASES[case]
    with transaction.atomic():
        response = client_as(world, Role.WORKER).get(reverse(name, args=[world[key].pk]))
        transaction.set_rollback(True)
    forget_indexes()
    assert response.status_code == 200
    body = response.content.decode()
    # Nothing is padded in (issue 17): the candidate in scope is the one that shares the need's words.
    assert world["ride_offer"].title in body, "the organisation's offer of rides is a candidate"
    for stranger in ("offer_elsewhere", "offer_far"):
        assert world[stranger].title not in body, f"{stranger} ({world[stranger].title}) is offered to the worker"
