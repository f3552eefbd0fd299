"""Every list page of the market reads a fixed number of queries, whatever the rows it shows."""

from datetime import date

import pytest
from django.urls import reverse

from trama.market import services
from trama.market.models import Contribution
from trama.people.models import Organisation, Role
from trama.testing import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def client_of(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def grow(city, users, neighbourhood, organisation, make_offer, make_need, make_person):
    """Adds `n` rows of each market list: offers of people and of several organisations, needs, matches, contributions."""
    made = {"n": 0}
    citizen = make_person(name="Persona con account", account=users[Role.CITIZEN])

    def grow(n):
        for _ in range(n):
            i = made["n"] = made["n"] + 1
            org = Organisation.objects.create(city=city, name=f"Associazione {i}", sector=Organisation.Sector.THIRD_SECTOR)
            org.members.add(users[Role.PARTNER])
            by_org = make_offer(f"Spesa solidale {i}", organisation=org)
            person = citizen if i % 2 else make_person(name=f"Persona {i}")
            make_offer(f"Ripetizioni {i}", person=person)
            need = make_need(f"Mi serve aiuto con la spesa {i}", person=person)
            match = services.propose_match(need=need, offer=by_org, by=users[Role.WORKER])
            services.record_contribution(
                kind=Contribution.Kind.HOURS,
                quantity=2,
                on=date(2026, 1, 1 + i % 28),
                neighbourhood=neighbourhood,
                by=users[Role.WORKER],
                organisation=org,
                match=match,
            )
            services.record_contribution(
                kind=Contribution.Kind.HOURS,
                quantity=1,
                on=date(2026, 2, 1 + i % 28),
                neighbourhood=neighbourhood,
                by=users[Role.WORKER],
                person=person,
            )

    return grow


PAGES = [
    (None, "market:offers", ""),
    (Role.CITIZEN, "market:offers", ""),
    (Role.PARTNER, "market:offers", ""),
    (Role.WORKER, "market:offers", ""),
    (Role.WORKER, "market:offers", "?q=spesa"),
    (Role.COORDINATOR, "market:offers", ""),
    (Role.WORKER, "market:needs", ""),
    (Role.WORKER, "market:needs", "?q=spesa"),
    (Role.COORDINATOR, "market:needs", ""),
    (Role.CITIZEN, "market:needs", ""),
    (Role.WORKER, "market:matches", ""),
    (Role.PARTNER, "market:matches", ""),
    (Role.CITIZEN, "market:matches", ""),
    (Role.WORKER, "market:ledger", ""),
    (Role.COORDINATOR, "market:ledger", ""),
]


@pytest.mark.parametrize("role, name, query", PAGES)
def test_market_list_pages_read_as_many_queries_for_twenty_rows_as_for_two(client, users, grow, role, name, query):
    client = client_of(client, users[role] if role else None)
    assert_queries_do_not_grow(client, reverse(name) + query, grow)
