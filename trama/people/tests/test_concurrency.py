import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from trama.people.models import User

WRITERS = 16


@pytest.mark.django_db(transaction=True)
def test_sixteen_people_registering_at_once_all_succeed(city):
    if connection.vendor == "sqlite":
        # The embedded default must queue writers (WAL, IMMEDIATE, busy timeout) rather than fail.
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    barrier = threading.Barrier(WRITERS)
    results = [None] * WRITERS

    def register(n):
        try:
            client = Client()
            barrier.wait()
            response = client.post(
                reverse("people:register"),
                {
                    "first_name": f"Persona {n}",
                    "email": f"persona{n}@example.org",
                    "username": f"persona{n}",
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                    "privacy": "on",
                },
            )
            results[n] = response.status_code
        except Exception as error:  # reported below with the thread's number
            results[n] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == [302] * WRITERS
    assert User.objects.filter(username__startswith="persona").count() == WRITERS
