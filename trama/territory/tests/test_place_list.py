"""Issue 14, step 2: the staff's list of every place of the city, searchable, a page at a time."""

import pytest
from django.urls import reverse

from trama.people.models import Role
from trama.territory.models import City, Neighbourhood, Place

pytestmark = pytest.mark.django_db

PLACES = reverse("territory:places")


@pytest.fixture
def places(neighbourhood, other_neighbourhood):
    far_city = City.objects.create(name="Altrove", slug="altrove", centre_lat=45.0, centre_lon=9.0)
    far = Neighbourhood.objects.create(city=far_city, name="Lontano", slug="lontano")
    return {
        "point": Place.objects.create(
            neighbourhood=neighbourhood, name="Punto di comunità Pablo", kind=Place.Kind.COMMUNITY_POINT, address="Via Po 1"
        ),
        "hidden": Place.objects.create(neighbourhood=neighbourhood, name="Sala riservata", kind=Place.Kind.OTHER, is_public=False),
        "elsewhere": Place.objects.create(neighbourhood=other_neighbourhood, name="Biblioteca del Molinetto", kind=Place.Kind.OTHER),
        "far": Place.objects.create(neighbourhood=far, name="Piazza lontana", kind=Place.Kind.OTHER),
    }


def names(response):
    return response.content.decode().split('data-testid="places"')[1].split("</ul>")[0] if 'data-testid="places"' in response.content.decode() else ""


def test_staff_see_every_place_of_their_city_and_edit_those_of_their_neighbourhoods(client, worker, places):
    client.force_login(worker)
    response = client.get(PLACES)
    listed = names(response)
    assert response.status_code == 200
    for key in ("point", "hidden", "elsewhere"):
        assert places[key].name in listed, key
    assert "Piazza lontana" not in listed  # another city's
    assert "non pubblico" in listed
    assert reverse("territory:place_edit", args=[places["point"].pk]) in listed
    assert reverse("territory:place_edit", args=[places["elsewhere"].pk]) not in listed  # not the worker's neighbourhood


def test_search_by_words_neighbourhood_and_kind(client, coordinator, places, other_neighbourhood):
    client.force_login(coordinator)
    assert names(client.get(PLACES, {"q": "via po"})).count("<li") == 1
    listed = names(client.get(PLACES, {"neighbourhood": other_neighbourhood.pk}))
    assert "Biblioteca del Molinetto" in listed and "Pablo" not in listed
    listed = names(client.get(PLACES, {"kind": "community_point"}))
    assert "Punto di comunità Pablo" in listed and "Sala riservata" not in listed
    empty = client.get(PLACES, {"q": "nessunluogo"}).content.decode()
    assert "Nessun luogo corrisponde alla ricerca." in empty


@pytest.mark.parametrize(
    "query, message",
    [
        ({"neighbourhood": "9999999"}, "Scegli un quartiere dell&#x27;elenco."),
        ({"neighbourhood": "<script>"}, "Scegli un quartiere dell&#x27;elenco."),
        ({"kind": "bunker"}, "Scegli un tipo dell&#x27;elenco."),
        ({"q": "x" * 500}, "più di 100 caratteri"),
    ],
)
def test_bad_filters_get_a_clear_400(client, worker, places, query, message):
    client.force_login(worker)
    response = client.get(PLACES, query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main")[1]


def test_a_neighbourhood_of_another_city_is_not_a_filter(client, coordinator, places):
    client.force_login(coordinator)
    response = client.get(PLACES, {"neighbourhood": places["far"].neighbourhood_id})
    assert response.status_code == 400 and "Piazza lontana" not in response.content.decode()


def test_pages_of_25(client, coordinator, neighbourhood):
    Place.objects.bulk_create([Place(neighbourhood=neighbourhood, name=f"Luogo {n:02d}", kind=Place.Kind.OTHER) for n in range(30)])
    client.force_login(coordinator)
    assert names(client.get(PLACES)).count("<li") == 25
    assert names(client.get(PLACES, {"pagina": 2})).count("<li") == 5


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_others_are_refused(client, users, places, role):
    client.force_login(users[role])
    assert client.get(PLACES).status_code == 403
    client.logout()
    assert client.get(PLACES).status_code == 302
