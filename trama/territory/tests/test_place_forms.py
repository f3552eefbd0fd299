"""Places registered by staff: a pin (or typed coordinates) finds the neighbourhood, which can be corrected."""

import pytest
from django.urls import reverse

from trama.people.models import Organisation, Role
from trama.privacy.models import AuditEntry
from trama.territory.geojson import contains
from trama.territory.models import City, Place
from trama.territory.queries import neighbourhood_at


def square(lon, lat, size=0.01):
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


SQUARE = {"type": "Polygon", "coordinates": [square(10.30, 44.80, 0.02)]}


def test_a_point_is_inside_a_polygon_but_not_in_its_hole_and_inside_any_part_of_a_multipolygon():
    holed = {"type": "Polygon", "coordinates": [square(10.30, 44.80, 0.02), square(10.305, 44.805, 0.005)]}
    assert contains(SQUARE, 44.81, 10.31)
    assert not contains(SQUARE, 44.83, 10.31) and not contains(SQUARE, 44.81, 10.33)
    assert contains(holed, 44.801, 10.301) and not contains(holed, 44.807, 10.307)
    multi = {"type": "MultiPolygon", "coordinates": [[square(10.0, 44.0)], [square(11.0, 45.0)]]}
    assert contains(multi, 45.005, 11.005) and not contains(multi, 44.5, 10.5)
    assert not contains(None, 44.81, 10.31)


@pytest.fixture
def hoods(neighbourhood, other_neighbourhood):
    neighbourhood.boundary = {"type": "Polygon", "coordinates": [square(10.30, 44.80)]}
    neighbourhood.save()
    other_neighbourhood.boundary = {"type": "Polygon", "coordinates": [square(10.31, 44.80)]}
    other_neighbourhood.save()
    return neighbourhood, other_neighbourhood


def place_data(**changes):
    data = {
        "name": "Punto di comunità Centro",
        "kind": "community_point",
        "address": "Via Roma 1",
        "lat": "44.805",
        "lon": "10.305",
        "neighbourhood": "",
        "opening_hours": "lun-ven 9-13",
        "accessibility": "Senza gradini",
        "description": "",
        "managing_organisation": "",
        "is_public": "on",
    }
    data.update(changes)
    return data


def test_neighbourhood_at_finds_the_one_holding_the_point(city, hoods):
    mine, other = hoods
    assert neighbourhood_at(city, 44.805, 10.305) == mine
    assert neighbourhood_at(city, 44.805, 10.315) == other
    assert neighbourhood_at(city, 45.5, 9.0) is None


def test_a_coordinator_puts_a_pin_and_the_neighbourhood_is_found(client, users, hoods, city):
    client.force_login(users[Role.COORDINATOR])
    org = Organisation.objects.create(city=city, name="Circolo", sector="third_sector")
    response = client.post(reverse("territory:place_create"), place_data(lat="44.805", lon="10.315", managing_organisation=org.pk), follow=True)
    place = Place.objects.get()
    assert place.neighbourhood == hoods[1] and place.managing_organisation == org
    assert (place.lat, place.lon, place.opening_hours, place.accessibility) == (44.805, 10.315, "lun-ven 9-13", "Senza gradini")
    assert "trovato dal punto sulla mappa" in response.content.decode()
    assert AuditEntry.objects.filter(action="create", object_type="territory.place", object_id=str(place.pk)).exists()


def test_the_neighbourhood_chosen_corrects_the_pin(client, users, hoods):
    client.force_login(users[Role.COORDINATOR])
    client.post(reverse("territory:place_create"), place_data(lat="44.805", lon="10.315", neighbourhood=hoods[0].pk))
    assert Place.objects.get().neighbourhood == hoods[0]


def test_a_pin_outside_every_neighbourhood_is_refused_unless_one_is_chosen(client, users, hoods):
    client.force_login(users[Role.COORDINATOR])
    response = client.post(reverse("territory:place_create"), place_data(lat="45.5", lon="9.0"))
    assert response.status_code == 400 and "fuori da tutti i quartieri" in response.content.decode()
    assert not Place.objects.exists()
    client.post(reverse("territory:place_create"), place_data(lat="45.5", lon="9.0", neighbourhood=hoods[0].pk))
    assert Place.objects.get().neighbourhood == hoods[0]


def test_without_javascript_typed_coordinates_are_enough_and_without_them_a_neighbourhood_is(client, users, hoods):
    client.force_login(users[Role.COORDINATOR])
    assert client.post(reverse("territory:place_create"), place_data(lat="", lon="")).status_code == 400
    client.post(reverse("territory:place_create"), place_data(lat="", lon="", neighbourhood=hoods[1].pk))
    place = Place.objects.get()
    assert place.neighbourhood == hoods[1] and place.lat is None


@pytest.mark.parametrize(
    "changes",
    [
        {"lat": "91", "lon": "10"},
        {"lat": "44.8", "lon": "-181"},
        {"lat": "nord", "lon": "10.3"},
        {"lat": "44.805", "lon": ""},
        {"lat": "1e400", "lon": "10"},
        {"name": "<script>alert(1)</script>"},
        {"name": "x" * 201},
        {"opening_hours": "9" * 301},
        {"kind": "castle"},
        {"neighbourhood": "999999"},
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(client, users, hoods, changes):
    client.force_login(users[Role.COORDINATOR])
    response = client.post(reverse("territory:place_create"), place_data(**changes))
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not Place.objects.exists()


def test_a_worker_registers_places_only_in_her_neighbourhoods(client, users, hoods):
    client.force_login(users[Role.WORKER])
    response = client.post(reverse("territory:place_create"), place_data(lat="44.805", lon="10.315"))
    assert response.status_code == 400 and "solo nei quartieri in cui lavori" in response.content.decode()
    assert not Place.objects.exists()
    client.post(reverse("territory:place_create"), place_data())
    assert Place.objects.get().neighbourhood == hoods[0]


def test_a_worker_cannot_edit_a_place_of_another_neighbourhood(client, users, hoods):
    place = Place.objects.create(neighbourhood=hoods[1], name="Biblioteca", kind="library")
    client.force_login(users[Role.WORKER])
    assert client.post(reverse("territory:place_edit", args=[place.pk]), place_data(neighbourhood=hoods[0].pk)).status_code == 403
    place.refresh_from_db()
    assert place.name == "Biblioteca" and place.neighbourhood == hoods[1]


def test_moving_the_pin_finds_the_neighbourhood_again_unless_it_was_corrected(client, users, hoods):
    client.force_login(users[Role.COORDINATOR])
    corrected = Place.objects.create(neighbourhood=hoods[1], name="Corretto", lat=44.805, lon=10.305)
    page = client.get(reverse("territory:place_edit", args=[corrected.pk])).content.decode()
    assert f'<option value="{hoods[1].pk}" selected' in page
    place = Place.objects.create(neighbourhood=hoods[0], name="Punto", lat=44.805, lon=10.305)
    page = client.get(reverse("territory:place_edit", args=[place.pk])).content.decode()
    assert f'<option value="{hoods[0].pk}" selected' not in page
    client.post(reverse("territory:place_edit", args=[place.pk]), place_data(name="Punto", lat="44.805", lon="10.315"))
    place.refresh_from_db()
    assert place.neighbourhood == hoods[1]


def test_an_organisation_of_another_city_cannot_manage_the_place(client, users, hoods):
    far = Organisation.objects.create(
        city=City.objects.create(name="Lontana", slug="lontana", centre_lat=45, centre_lon=9), name="Lontana", sector="public"
    )
    client.force_login(users[Role.COORDINATOR])
    assert client.post(reverse("territory:place_create"), place_data(managing_organisation=far.pk)).status_code == 400
    assert not Place.objects.exists()


def test_the_place_page_says_who_runs_it_and_when_it_is_open(client, hoods, city):
    org = Organisation.objects.create(city=city, name="Circolo", sector="third_sector", public_page_agreed=True)
    place = Place.objects.create(neighbourhood=hoods[0], name="Punto", opening_hours="sabato 10-12", managing_organisation=org)
    page = client.get(place.get_absolute_url()).content.decode()
    assert "sabato 10-12" in page and reverse("organisations:public", args=[org.pk]) in page
