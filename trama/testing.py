"""Helpers shared by the tests of several apps.

The vocabulary of the permission walk (tests/test_permissions.py). Each app declares its URLs in
`trama/<app>/tests/url_permissions.py`:

- `EXPECTED`: {key: (build, methods[, bodies])}. `key` is the URL name, with `#variant` when the
  same URL is walked on another object ("market:match#elsewhere"); `build(o)` returns the path from
  the walk's objects (`url(name, key)` does it for the usual case); `methods` maps each HTTP method
  the URL accepts to the expectations of every role ("ok", "denied" or a status code; see
  `Declared`); a role-keyed dict alone is short for {"GET": ...}, and `ANY_METHOD(...)` declares a
  view that answers every method alike. `bodies` optionally maps a method to `lambda o: {...}`,
  the valid body sent with it (empty otherwise). One line per URL, so a new page adds one line:

      "people:totp_setup": (url("people:totp_setup"), {"GET": SIGNED_IN, "POST": SIGNED_IN}),

- `make_objects(o)`, optional: adds the app's records to the walk's objects (see `build_world`).
"""

import contextlib
import functools
import re
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from trama.people.models import Role

ANON = "anonymous"
ROLES = [ANON, Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN]


def everyone(expected):
    return {role: expected for role in ROLES}


def only(*roles):
    """Allowed to the given roles, denied to everyone else."""
    return {role: ("ok" if role in roles else "denied") for role in ROLES}


PUBLIC = everyone("ok")
SIGNED_IN = {**PUBLIC, ANON: "denied"}
COORDINATOR_ONLY = only(Role.COORDINATOR)
STAFF = only(Role.COORDINATOR, Role.WORKER)


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def ANY_METHOD(expectations):  # noqa: N802 (reads as a constant in the declarations)
    """A view that answers every method alike (it does not restrict them): the same expectations for each."""
    return {method: expectations for method in METHODS}


def url(name, key=None, query=""):
    """Builds the path of `name` from the walk's objects: `key` names the object whose pk is the argument."""
    from django.urls import reverse

    return lambda o: reverse(name, args=[o[key].pk] if key else []) + query


class Declared:
    """One declared entry of the walk: how to build its path, and per method who is served.

    The expectations of a method map each role to "ok" (served; for a write with an empty or
    invalid body also 400 with a message), "denied" (403 or 404; anonymous visitors are sent to
    the login page, or get 401/403 from the API) or an exact status code. A method that is not
    declared must answer 405 (or the refusal, to a role refused on every declared method).
    """

    def __init__(self, key, build, methods, bodies=None, headers=None):
        self.key, self.name, self.build = key, key.split("#")[0], build
        # Per method, the request's headers from the world (a webhook's secret): {method: callable(world) -> {"HTTP_…": value}}.
        self.headers = headers or {}
        if methods and set(methods) <= set(ROLES):
            methods = {"GET": methods}  # the short form: the expectations of GET
        unknown = set(methods) - set(METHODS)
        assert not unknown, f"{key}: unknown methods {unknown}"
        for method, roles in methods.items():
            assert set(roles) == set(ROLES), f"{key} {method}: expectations for {set(ROLES) - set(roles)} missing"
        self.methods, self.bodies = methods, bodies or {}

    def expect(self, method, role):
        if method in self.methods:
            return self.methods[method][role]
        refused_everywhere = all(roles[role] != "ok" for roles in self.methods.values())
        return "405 or denied" if refused_everywhere else 405


def declarations(expected):
    """{key: Declared} from the dicts of the url_permissions modules: key -> (build, methods[, bodies[, headers]])."""
    return {key: Declared(key, *entry) for key, entry in expected.items()}


# Words that label people by their hardship: never on a public page (DESIGN.md, G5).
STIGMA = re.compile(
    r"\b(fragil[ei]|disagi\w*|utent[ei]|bisognos[oaie]|indigent[ei]|pover[oaie]|emarginat[oaie]|svantaggiat[oaie]"
    r"|vulnerabil[ei]|disabil[ei]|handicappat[oaie]|tossicodipendent[ei]|anzian[oaie]|immigrat[oaie]|extracomunitar[oaie])\b",
    re.IGNORECASE,
)


# Choice values that are also words of the Italian interface: "antenna" and "partner" are roles and
# common nouns, "no" is an answer, "home" the home page, "web" as in "sito web" (and a signal sent from the form).
ITALIAN_WORDS = {"antenna", "partner", "no", "home", "web"}


def choice_codes():
    """{value: {"app.Model.field", …}} for every choice of every model whose stored value is not its label."""
    from django.apps import apps
    from django.conf import settings
    from django.utils import translation

    codes = {}
    with translation.override(settings.LANGUAGE_CODE):
        for model in apps.get_models():
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or ():
                    if isinstance(value, str) and value and value.lower() != str(label).lower() and value not in ITALIAN_WORDS:
                        codes.setdefault(value, set()).add(f"{model._meta.label}.{field.name}")
    return codes


def choice_codes_in(text):
    """(code, the words around it) for each choice code of any model written in `text` as a word of its own:
    "third_sector" is found in "Settore third_sector", never inside "third_sector_x" or "business-like"."""
    return [(m.group(1), text[max(0, m.start() - 40) : m.end() + 40]) for m in _choice_code_pattern().finditer(text)]


@functools.cache
def _choice_code_pattern():
    codes = sorted(choice_codes(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, codes)) + r")(?![\w-])")


def queries_of(client, url):
    """How many queries a GET of `url` makes, asserting it answers 200; a first GET warms up the session and caches."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def assert_queries_do_not_grow(client, url, grow, few=2, more=18):
    """`url` reads as many queries once `grow(more)` has added rows as it did after `grow(few)`."""
    grow(few)
    before = queries_of(client, url)
    grow(more)
    assert queries_of(client, url) == before


# ---------------------------------------------------------------------------
# The world of the permission walk: for every role, something it may see and
# something it may not. Built once per module (tests/test_permissions.py) or
# per test (the browser tests), with no pytest fixture so both can call it.

WALK_PASSWORD = "Una-password-lunga-2026"


def _account(role, username, city, neighbourhoods=()):
    from trama.people.models import User

    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=WALK_PASSWORD,
        role=role,
        city=city,
    )
    user.neighbourhoods.set(neighbourhoods)
    return user


def build_world():
    """A city with two neighbourhoods (the worker's and another) and a second city, one account per role
    and a stranger of each kind beside it; then each app adds its records through `make_objects(o)`.

    o["users"][role] are the accounts the walk signs in as:
      coordinator of `city`; worker and antenna of `neighbourhood`; partner, referent of `organisation`;
      citizen, whose Person (`person`) lives in `neighbourhood`.
    Strangers: `other_citizen` (Person `other_person`, same neighbourhood), `person_elsewhere` (in
    `other_neighbourhood`), `other_partner` of `other_organisation`, `other_antenna` and `other_worker`
    of `other_neighbourhood`, `far_coordinator` and `person_far` in `other_city`.
    """
    from trama.people.models import Consent, Organisation, Role
    from trama.people.services import register_person
    from trama.territory.models import City, Neighbourhood, Place

    o = {}
    city = o["city"] = City.objects.create(name="Città di prova", slug="prova", centre_lat=44.80, centre_lon=10.33)
    other_city = o["other_city"] = City.objects.create(name="Città lontana", slug="lontana", centre_lat=45.0, centre_lon=9.0)
    hood = o["neighbourhood"] = Neighbourhood.objects.create(city=city, name="Borgo Alto", slug="borgo-alto", population=12000, is_pilot=True)
    elsewhere = o["other_neighbourhood"] = Neighbourhood.objects.create(city=city, name="Borgo Basso", slug="borgo-basso", population=9000)
    far = o["far_neighbourhood"] = Neighbourhood.objects.create(city=other_city, name="Oltre", slug="oltre", population=5000)
    users = o["users"] = {
        Role.COORDINATOR: _account(Role.COORDINATOR, "coordinatrice", city),
        Role.WORKER: _account(Role.WORKER, "operatore", city, [hood]),
        Role.PARTNER: _account(Role.PARTNER, "partner", city),
        Role.ANTENNA: _account(Role.ANTENNA, "antenna", city, [hood]),
        Role.CITIZEN: _account(Role.CITIZEN, "cittadino", city),
    }
    o["other_worker"] = _account(Role.WORKER, "altro-operatore", city, [elsewhere])
    o["other_antenna"] = _account(Role.ANTENNA, "altra-antenna", city, [elsewhere])
    o["same_hood_antenna"] = _account(Role.ANTENNA, "antenna-vicina", city, [hood])
    o["other_partner"] = _account(Role.PARTNER, "altro-partner", city)
    o["other_citizen"] = _account(Role.CITIZEN, "altro-cittadino", city)
    o["far_coordinator"] = _account(Role.COORDINATOR, "coordinatore-lontano", other_city)
    o["far_worker"] = _account(Role.WORKER, "operatore-lontano", other_city, [far])
    o["account"] = _account(Role.CITIZEN, "da-gestire", city)
    o["far_account"] = _account(Role.CITIZEN, "da-gestire-lontano", other_city)

    o["organisation"] = Organisation.objects.create(city=city, name="Bottega solidale", sector="business")
    o["organisation"].members.add(users[Role.PARTNER], through_defaults={"role": "referent"})
    o["other_organisation"] = Organisation.objects.create(city=city, name="Amici dell'orto", sector="third_sector")
    o["other_organisation"].members.add(o["other_partner"])

    def person(where, name, by, account=None):
        person = register_person(by=by, neighbourhood=where, display_name=name, channel="outreach", consents=[Consent.Purpose.REGISTRATION])
        if account is not None:
            person.account = account
            person.save(update_fields=["account"])
        return person

    worker = users[Role.WORKER]
    o["person"] = person(hood, "Gino", worker, account=users[Role.CITIZEN])
    o["other_person"] = person(hood, "Lia", worker, account=o["other_citizen"])
    o["person_elsewhere"] = person(elsewhere, "Ada", users[Role.COORDINATOR])
    o["person_far"] = person(far, "Ugo", o["far_worker"])

    o["place"] = Place.objects.create(neighbourhood=hood, name="Punto di comunità", kind=Place.Kind.COMMUNITY_POINT)
    o["hidden_place"] = Place.objects.create(neighbourhood=hood, name="Sede riservata", is_public=False)
    o["hidden_place_far"] = Place.objects.create(neighbourhood=far, name="Sede lontana", is_public=False)

    for module in walk_modules():
        if hasattr(module, "make_objects"):
            module.make_objects(o)
    return o


def walk_modules():
    """Each app's declarations for the walk, from trama/<app>/tests/url_permissions.py."""
    import importlib

    from django.apps import apps

    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("trama."):
            try:
                modules.append(importlib.import_module(f"{config.name}.tests.url_permissions"))
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.tests.url_permissions":
                    raise
    return modules


AUDIT_TABLE = "privacy_auditentry"


def walked_tables():
    """Every table of the trama apps (many-to-many ones included), but the audit log: refusals are audited."""
    from django.apps import apps

    tables = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if apps.get_app_config(meta.app_label).name.startswith("trama.") and meta.managed and not meta.proxy:
            tables.add(meta.db_table)
    return sorted(tables - {AUDIT_TABLE})


def _writes_in_this_transaction():
    """PostgreSQL's own count of the rows each walked table gained, changed and lost in this transaction."""
    tables = set(walked_tables())
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables")
        return {row[0]: row[1:] for row in cursor.fetchall() if row[0] in tables}


class TableWatch:
    """Tells which walked tables changed since `start()` (call both inside the same transaction).

    On SQLite, temporary triggers note every insert, update and delete of a walked table; on
    PostgreSQL, its per-transaction statistics (pg_stat_xact_user_tables) count them. Either costs
    a query or two per request, whatever the size of the tables.

    On SQLite, create the triggers with `installed()` before the transaction that holds the walk: a schema
    changed inside a transaction (the triggers are schema) makes SQLite drop and parse its whole schema again
    after every ROLLBACK TO of that transaction, i.e. at every case's savepoint and every nested atomic block
    of a view that rolls back (the project has about 290 triggers over about 100 tables).
    """

    OPERATIONS = ("INSERT", "UPDATE", "DELETE")

    def __init__(self):
        self.installed_triggers = False

    @classmethod
    @contextlib.contextmanager
    def installed(cls):
        """A watch whose SQLite triggers exist from outside the caller's transaction (opened inside the `with`)
        until the `with` ends; on PostgreSQL a plain watch. Call `start()` inside the transaction as before."""
        watch = cls()
        if connection.vendor != "sqlite":
            yield watch
            return
        assert not connection.in_atomic_block, "installed() must be entered outside any transaction"
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS walk_changes (tbl TEXT, op TEXT)")
            for _name, sql in cls._triggers():
                cursor.execute(sql)
        watch.installed_triggers = True
        try:
            yield watch
        finally:
            with connection.cursor() as cursor:
                for name, _sql in cls._triggers():
                    cursor.execute(f"DROP TRIGGER IF EXISTS temp.{name}")
                cursor.execute("DROP TABLE IF EXISTS temp.walk_changes")

    @classmethod
    def _triggers(cls):
        for table in walked_tables():
            for op in cls.OPERATIONS:
                name = connection.ops.quote_name(f"walk_{op.lower()}_{table}")
                yield (
                    name,
                    (
                        f"CREATE TEMP TRIGGER IF NOT EXISTS {name} AFTER {op} ON main.{connection.ops.quote_name(table)} "
                        f"BEGIN INSERT INTO walk_changes VALUES ('{table}', '{op}'); END"
                    ),
                )

    def start(self):
        self.triggers = connection.vendor == "sqlite"
        if not self.triggers:
            self.before = _writes_in_this_transaction()
            return
        with connection.cursor() as cursor:
            if not self.installed_triggers:
                cursor.execute("CREATE TEMP TABLE IF NOT EXISTS walk_changes (tbl TEXT, op TEXT)")
                for _name, sql in self._triggers():
                    cursor.execute(sql)
            cursor.execute("DELETE FROM walk_changes")

    def mark(self):
        """Count from here (PostgreSQL's statistics keep what a rolled-back savepoint did; SQLite's triggers do not)."""
        if not self.triggers:
            self.before = _writes_in_this_transaction()

    def changed(self):
        """Sorted "table OPERATION" of the changes since `start()` or the last `mark()`."""
        if not self.triggers:
            after = _writes_in_this_transaction()
            return sorted(
                f"{table} {op}"
                for table, counts in after.items()
                for op, now, then in zip(self.OPERATIONS, counts, self.before.get(table, (0, 0, 0)))
                if now != then
            )
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT tbl || ' ' || op FROM walk_changes")
            return sorted(row[0] for row in cursor.fetchall())


# -- waiting for other processes (the fault tests' workers and servers) ---------------------

# Bounds, not expectations: every wait ends as soon as its condition holds, and a 2-core machine
# running the suite on both cores (and another suite beside it) takes tens of seconds to start a
# Django process. A bound this wide fails only when something really never happens.
PATIENCE = 180


def wait_for(condition, what, seconds=PATIENCE):
    """The first true value `condition()` returns, polled every tenth of a second; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


def pdf_text(content: bytes) -> str:
    """The words of a PDF Trama wrote, one space between each (lines wrap where the page ends): what a test reads
    back from a certificate or a report."""
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
