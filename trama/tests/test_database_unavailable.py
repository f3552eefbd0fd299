"""A busy or lost database answers "riprova tra poco" (503 with Retry-After), saves nothing, and the next
request works without restarting anything. Real faults, no mocks: a second SQLite connection holding the
write lock, a PostgreSQL backend terminated by the server."""

import sqlite3
from contextlib import contextmanager

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from trama.insights.models import Report
from trama.people.models import ApiToken, Role
from trama.privacy.models import AuditEntry

REQUEST_REPORT = reverse("insights:report_request")


@contextmanager
def write_lock_held():
    """Another process's transaction holding SQLite's write lock (as a long import or backup would)."""
    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def signed_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's connections")


@pytest.mark.django_db(transaction=True)
def test_a_page_that_writes_under_a_held_write_lock_says_busy_and_saves_nothing(sqlite_only, users):
    client = signed_in(users[Role.COORDINATOR])

    with write_lock_held():
        response = client.post(REQUEST_REPORT, {"periodo": "2025", "tipo": "pdf"})

    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "Il sistema è occupato, riprova tra poco" in response.content.decode()
    assert not Report.objects.exists()
    assert client.post(REQUEST_REPORT, {"periodo": "2025", "tipo": "pdf"}).status_code == 302  # the lock gone, it works


@pytest.mark.django_db(transaction=True)
def test_a_read_that_must_be_audited_under_a_held_write_lock_says_busy_and_shows_nothing(sqlite_only, users, make_person):
    # The case: a person's page writes its audit entry, which waits for the lock, then answered 500.
    person = make_person(name="Gino Bianchi")
    client = signed_in(users[Role.COORDINATOR])
    page = reverse("people:person", args=[person.pk])
    audited = AuditEntry.objects.count()

    with write_lock_held():
        response = client.get(page)

    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "Il sistema è occupato, riprova tra poco" in response.content.decode() and "Gino Bianchi" not in response.content.decode()
    assert AuditEntry.objects.count() == audited  # not shown, so not recorded as read
    assert client.get(page).status_code == 200 and AuditEntry.objects.count() == audited + 1  # the lock gone, read once and audited once


@pytest.mark.django_db(transaction=True)
def test_an_api_call_under_a_held_write_lock_gets_a_json_503(sqlite_only, users):
    client = Client(raise_request_exception=False)
    account = users[Role.CITIZEN]

    with write_lock_held():
        response = client.post(reverse("api-token"), {"username": account.username, "password": PASSWORD})

    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert response.json() == {"detail": "Il sistema è occupato, riprova tra poco."}
    assert not ApiToken.objects.exists()


def terminate_own_backend():
    """The server drops this process's connection, as a restart of PostgreSQL does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with connection.copy().cursor() as other:  # another connection, like the administrator's
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def served(request):
    """A request as a WSGI server serves it: Django checks its connections before and after each one (the
    test client leaves that out)."""
    close_old_connections()
    try:
        return request()
    finally:
        close_old_connections()


@pytest.fixture
def persistent_connection():
    """Connections kept between requests, as in production (CONN_MAX_AGE)."""
    saved = connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 600
    yield connection.settings_dict
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"] = saved


@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_between_requests_is_replaced_by_the_health_check(postgresql_only, persistent_connection, users):
    assert persistent_connection["CONN_HEALTH_CHECKS"] is True
    client = signed_in(users[Role.COORDINATOR])
    assert served(lambda: client.get(reverse("insights:reports"))).status_code == 200

    terminate_own_backend()

    assert served(lambda: client.get(reverse("insights:reports"))).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_during_a_request_answers_503_and_the_next_request_works(postgresql_only, persistent_connection, users):
    # Without the health check the first query of the request is the one that meets the lost connection:
    # what happens when the server goes away in the middle of a request.
    persistent_connection["CONN_HEALTH_CHECKS"] = False
    connection.close()  # read when connecting
    client = signed_in(users[Role.COORDINATOR])
    assert served(lambda: client.get(reverse("insights:reports"))).status_code == 200

    terminate_own_backend()
    response = served(lambda: client.post(REQUEST_REPORT, {"periodo": "2025", "tipo": "pdf"}))

    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "Il sistema è occupato, riprova tra poco" in response.content.decode()
    assert served(lambda: client.get(reverse("insights:reports"))).status_code == 200  # no restart needed
    assert not Report.objects.exists()
