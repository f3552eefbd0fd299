"""The people lists read a fixed number of queries, whatever the rows they show."""

import pytest
from django.urls import reverse

from trama.people.models import Consent, Person, Role
from trama.people.services import register_person
from trama.testing import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(users, neighbourhood, make_user):
    """Adds `n` people (registered by a worker, with consent) and `n` accounts with neighbourhoods."""
    made = {"n": 0}

    def grow(n):
        for _ in range(n):
            i = made["n"] = made["n"] + 1
            register_person(
                by=users[Role.WORKER],
                neighbourhood=neighbourhood,
                display_name=f"Persona {i}",
                channel=Person.Channel.OUTREACH,
                consents=[Consent.Purpose.REGISTRATION],
            )
            make_user(Role.WORKER, [neighbourhood])

    return grow


PAGES = [
    (Role.WORKER, "people:people", ""),
    (Role.WORKER, "people:people", "?q=persona"),
    (Role.COORDINATOR, "people:people", ""),
    (Role.COORDINATOR, "people:accounts", ""),
    (Role.COORDINATOR, "people:accounts", "?role=worker"),
]


@pytest.mark.parametrize("role, name, query", PAGES)
def test_people_list_pages_read_as_many_queries_for_twenty_rows_as_for_two(client, users, grow, role, name, query):
    client.force_login(users[role])
    assert_queries_do_not_grow(client, reverse(name) + query, grow)
