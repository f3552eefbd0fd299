"""Lists never load neighbourhoods' boundaries: tens of kilobytes of GeoJSON each once real ones are
imported, and a list of offers reads the neighbourhoods of every offer and of its filter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trama.people.models import Role
from trama.territory.models import Neighbourhood

pytestmark = pytest.mark.django_db
SQUARE = {"type": "Polygon", "coordinates": [[[10.30, 44.80], [10.31, 44.80], [10.31, 44.81], [10.30, 44.81], [10.30, 44.80]]]}
BOUNDARY_COLUMN = '"territory_neighbourhood"."boundary"'


def sql_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries]


LISTS = [
    "market:offers",
    "market:needs",
    "people:people",
    "initiatives:list",
    "collective:groups",
    "collective:calendar",
    "attention:queue",
    "attention:encounters",
]


@pytest.mark.parametrize("name", LISTS)
def test_a_worker_s_lists_never_read_a_boundary(client, users, neighbourhood, other_neighbourhood, make_offer, make_person, name):
    from datetime import timedelta

    from django.utils import timezone

    from trama.attention import services as attention
    from trama.attention.models import Antenna, Encounter
    from trama.collective.models import Group, Meeting

    Neighbourhood.objects.filter(pk__in=[neighbourhood.pk, other_neighbourhood.pk]).update(boundary=SQUARE)
    worker = users[Role.WORKER]
    antenna, _created = Antenna.objects.get_or_create(account=users[Role.ANTENNA], defaults={"kind": Antenna.Kind.PHARMACY})
    for i in range(3):  # rows on every list, each with its neighbourhood
        make_offer(f"Spesa {i}", "al mercato")
        person = make_person()
        group = Group.objects.create(city=neighbourhood.city, neighbourhood=neighbourhood, name=f"Gruppo {i}")
        Meeting.objects.create(
            city=neighbourhood.city, neighbourhood=neighbourhood, group=group, title=f"Incontro {i}", starts_at=timezone.now() + timedelta(days=i + 1)
        )
        attention.send_signal(by=antenna.account, neighbourhood=neighbourhood, text=f"Non la vedo da giorni {i}")
        Encounter.objects.create(neighbourhood=neighbourhood, person=person, worker=worker, setting="home", notes="Visita")
    client.force_login(worker)
    sql = sql_of(client, reverse(name))
    assert any('"territory_neighbourhood"' in q for q in sql)  # the page does show neighbourhoods
    assert not [q for q in sql if BOUNDARY_COLUMN in q]


def test_the_map_s_neighbourhoods_come_with_their_boundaries_in_one_query(client, users, neighbourhood, other_neighbourhood, settings):
    settings.TRAMA_CITY = neighbourhood.city.slug
    Neighbourhood.objects.filter(pk__in=[neighbourhood.pk, other_neighbourhood.pk]).update(boundary=SQUARE)
    client.force_login(users[Role.CITIZEN])
    url = reverse("api-neighbourhoods")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert [f["geometry"] for f in response.json()["features"]] == [SQUARE, SQUARE]
    assert len([q for q in queries if BOUNDARY_COLUMN in q["sql"]]) == 1


def test_reading_the_boundary_of_a_neighbourhood_loaded_without_it_still_gives_it(neighbourhood):
    Neighbourhood.objects.filter(pk=neighbourhood.pk).update(boundary=SQUARE)
    assert Neighbourhood.objects.get(pk=neighbourhood.pk).boundary == SQUARE
