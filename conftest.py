"""Fixtures shared by every test: small factories for cities, neighbourhoods, accounts, organisations and people."""

import itertools

import pytest

from trama.market.index import forget_indexes
from trama.people.models import Consent, Organisation, Person, Role, User
from trama.people.services import register_person
from trama.privacy.append_only import allow_flush_in_tests
from trama.territory.models import City, Neighbourhood

# The worker processes of the fault-injection tests, for every app.
pytest_plugins = ["trama.background.tests.workers"]

_seq = itertools.count(1)
PASSWORD = "Una-password-lunga-2026"


@pytest.fixture(scope="session", autouse=True)
def audit_log_emptied_between_transactional_tests():
    """The only path allowed to empty the append-only audit log on SQLite (trama/privacy/append_only.py)."""
    allow_flush_in_tests()


@pytest.fixture(autouse=True)
def fresh_market_index():
    """The market's ranking index is a per-process cache: no test may see another's offers."""
    forget_indexes()
    yield
    forget_indexes()


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    """E-mails are not held at night in tests that do not ask for it, so that they pass at any hour
    (trama/notifications/tests/test_quiet_hours.py sets them)."""
    settings.TRAMA_QUIET_HOURS = ("00:00", "00:00")


@pytest.fixture(autouse=True)
def bounce_webhook_secret(settings):
    """The providers' bounce webhook has a secret in tests, as in production (the permission walk sends it)."""
    settings.TRAMA_BOUNCE_WEBHOOK_SECRET = "test-bounce-secret"


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    """What the test SMS backend sent is each test's own, as Django empties mail.outbox."""
    from trama.notifications import sms

    sms.outbox.clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with the cache of a fresh deployment: no page, menu or city another test kept."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def erasure_ledger_of_the_test(settings, tmp_path):
    """The ledger of erasures (outside the database) is a file of each test's own, never var/'s."""
    settings.TRAMA_ERASURE_LEDGER = tmp_path / "erasures.jsonl"
    return settings.TRAMA_ERASURE_LEDGER


@pytest.fixture
def city(db):
    return City.objects.create(name="Città di prova", slug="prova", centre_lat=44.80, centre_lon=10.33)


@pytest.fixture
def make_neighbourhood(city):
    def make(name=None, **kwargs):
        n = next(_seq)
        name = name or f"Quartiere {n}"
        return Neighbourhood.objects.create(city=kwargs.pop("city", city), name=name, slug=f"q-{n}", **kwargs)

    return make


@pytest.fixture
def neighbourhood(make_neighbourhood):
    return make_neighbourhood("Borgo Alto", population=12000, is_pilot=True)


@pytest.fixture
def other_neighbourhood(make_neighbourhood):
    return make_neighbourhood("Borgo Basso", population=9000)


@pytest.fixture
def make_user(city):
    def make(role=Role.CITIZEN, neighbourhoods=(), password=PASSWORD, **kwargs):
        n = next(_seq)
        user = User.objects.create_user(
            username=kwargs.pop("username", f"{role}{n}"),
            email=kwargs.pop("email", f"{role}{n}@example.org"),
            password=password,
            role=role,
            city=kwargs.pop("city", city),
            **kwargs,
        )
        user.neighbourhoods.set(neighbourhoods)
        return user

    return make


@pytest.fixture
def users(make_user, neighbourhood):
    """One account per role; worker and antenna assigned to `neighbourhood`."""
    return {
        Role.COORDINATOR: make_user(Role.COORDINATOR),
        Role.WORKER: make_user(Role.WORKER, [neighbourhood]),
        Role.PARTNER: make_user(Role.PARTNER),
        Role.ANTENNA: make_user(Role.ANTENNA, [neighbourhood]),
        Role.CITIZEN: make_user(Role.CITIZEN),
    }


@pytest.fixture
def coordinator(users):
    return users[Role.COORDINATOR]


@pytest.fixture
def worker(users):
    return users[Role.WORKER]


@pytest.fixture
def organisation(city, users):
    """A third-sector organisation with the partner account of `users` as its member."""
    org = Organisation.objects.create(city=city, name="Associazione Il Ponte", sector=Organisation.Sector.THIRD_SECTOR)
    org.members.add(users[Role.PARTNER])
    return org


@pytest.fixture
def make_person(coordinator, neighbourhood):
    """A person registered by the coordinator (any neighbourhood of the city) with the registration consent;
    linked to `account` if given."""

    def make(where=None, name="Gino", account=None, channel=Person.Channel.OUTREACH, known=None):
        person = register_person(
            by=coordinator,
            neighbourhood=where or neighbourhood,
            display_name=name,
            channel=channel,
            known_to_services=known,
            consents=[Consent.Purpose.REGISTRATION],
        )
        if account is not None:
            person.account = account
            person.save(update_fields=["account"])
        return person

    return make
