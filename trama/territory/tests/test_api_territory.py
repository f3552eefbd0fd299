import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from trama.people.models import ApiToken, Role
from trama.territory.models import City, Neighbourhood, Place

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[10.30, 44.80], [10.31, 44.80], [10.31, 44.81], [10.30, 44.81], [10.30, 44.80]]]}


@pytest.fixture
def api(settings, city):
    settings.TRAMA_CITY = city.slug
    return APIClient()


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


def new_place(where, **fields):
    return {"name": "Biblioteca di quartiere", "kind": "library", "neighbourhood": where.pk, "lat": 44.8, "lon": 10.3, **fields}


def test_anonymous_reads_the_neighbourhoods_as_geojson(api, neighbourhood, other_neighbourhood):
    Neighbourhood.objects.filter(pk=neighbourhood.pk).update(boundary=SQUARE)
    response = api.get(reverse("api-neighbourhoods"))
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    assert by_name["Borgo Alto"]["geometry"] == SQUARE
    assert by_name["Borgo Alto"]["properties"]["is_pilot"] is True
    assert by_name["Borgo Basso"]["geometry"] is None


def test_one_neighbourhood_is_a_feature(api, neighbourhood):
    response = api.get(reverse("api-neighbourhood", args=[neighbourhood.pk]))
    assert response.status_code == 200
    assert response.json()["type"] == "Feature" and response.json()["id"] == neighbourhood.pk


def test_neighbourhood_of_another_city_is_not_found(api, neighbourhood):
    elsewhere = City.objects.create(name="Altrove", slug="altrove", centre_lat=45, centre_lon=9)
    foreign = Neighbourhood.objects.create(city=elsewhere, name="Lontano", slug="lontano")
    assert api.get(reverse("api-neighbourhood", args=[foreign.pk])).status_code == 404


def test_missing_objects_answer_404_in_json(api):
    for url in (reverse("api-neighbourhood", args=[999]), reverse("api-place", args=[999])):
        response = api.get(url)
        assert response.status_code == 404
        assert "detail" in response.json()


def test_places_are_listed_paginated_without_the_hidden_ones(api, neighbourhood):
    Place.objects.create(neighbourhood=neighbourhood, name="Parco del Borgo", kind="park")
    Place.objects.create(neighbourhood=neighbourhood, name="Sede riservata", is_public=False)
    data = api.get(reverse("api-places")).json()
    assert data["count"] == 1 and data["results"][0]["name"] == "Parco del Borgo"


def test_places_geojson_has_points_and_links(api, neighbourhood):
    place = Place.objects.create(neighbourhood=neighbourhood, name="Parco del Borgo", kind="park", lat=44.8, lon=10.3)
    feature = api.get(reverse("api-places-geojson")).json()["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [10.3, 44.8]}
    assert feature["properties"]["url"] == place.get_absolute_url()


def test_hidden_place_is_refused_to_the_public_and_shown_to_workers(api, users, neighbourhood):
    hidden = Place.objects.create(neighbourhood=neighbourhood, name="Sede riservata", is_public=False)
    assert api.get(reverse("api-place", args=[hidden.pk])).status_code in (401, 403)
    api.force_authenticate(users[Role.WORKER])
    assert api.get(reverse("api-place", args=[hidden.pk])).json()["name"] == "Sede riservata"


def test_coordinator_creates_a_place(api, coordinator, neighbourhood):
    api.force_authenticate(coordinator)
    response = api.post(reverse("api-places"), new_place(neighbourhood), format="json")
    assert response.status_code == 201
    assert Place.objects.get().name == "Biblioteca di quartiere"


def test_worker_creates_a_place_in_own_neighbourhood(api, users, neighbourhood):
    api.force_authenticate(users[Role.WORKER])
    response = api.post(reverse("api-places"), new_place(neighbourhood), format="json")
    assert response.status_code == 201
    assert Place.objects.get().neighbourhood == neighbourhood


def test_worker_cannot_create_a_place_in_another_neighbourhood(api, users, other_neighbourhood):
    api.force_authenticate(users[Role.WORKER])
    response = api.post(reverse("api-places"), new_place(other_neighbourhood), format="json")
    assert response.status_code == 403
    assert not Place.objects.exists()


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_other_roles_cannot_create_places(api, users, neighbourhood, role):
    api.force_authenticate(users[role])
    assert api.post(reverse("api-places"), new_place(neighbourhood), format="json").status_code == 403
    assert not Place.objects.exists()


def test_anonymous_cannot_create_places(api, neighbourhood):
    assert api.post(reverse("api-places"), new_place(neighbourhood), format="json").status_code in (401, 403)
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"name": "x" * 201}, "name"),
        ({"name": ""}, "name"),
        ({"name": "Nome\x00nascosto"}, "name"),
        ({"description": "x" * 4001}, "description"),
        ({"kind": "bunker"}, "kind"),
        ({"lat": 91}, "lat"),
        ({"lon": -181}, "lon"),
        ({"lat": "nord"}, "lat"),
        ({"lat": None}, "lon"),
        ({"neighbourhood": 999}, "neighbourhood"),
        ({"neighbourhood": "uno"}, "neighbourhood"),
        ({"name": ["lista"]}, "name"),
    ],
    ids=[
        "name-too-long",
        "name-empty",
        "null-character",
        "description-too-long",
        "unknown-kind",
        "latitude-out-of-range",
        "longitude-out-of-range",
        "latitude-not-a-number",
        "lat-without-lon",
        "unknown-neighbourhood",
        "neighbourhood-not-an-id",
        "name-not-a-string",
    ],
)
def test_bad_input_is_refused_with_field_messages_and_nothing_stored(api, coordinator, neighbourhood, fields, field):
    api.force_authenticate(coordinator)
    response = api.post(reverse("api-places"), new_place(neighbourhood, **fields), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Place.objects.exists()


def test_neighbourhood_of_another_city_is_refused(api, coordinator, neighbourhood):
    elsewhere = City.objects.create(name="Altrove", slug="altrove", centre_lat=45, centre_lon=9)
    foreign = Neighbourhood.objects.create(city=elsewhere, name="Lontano", slug="lontano")
    api.force_authenticate(coordinator)
    response = api.post(reverse("api-places"), new_place(foreign), format="json")
    assert response.status_code == 400 and "neighbourhood" in response.json()


@pytest.mark.parametrize(
    "body",
    ['{"name": "Biblioteca", "lat": NaN}', '{"name": "Biblioteca", "lat": Infinity}', "{non è json", "[1, 2, 3]", '"testo"'],
    ids=["nan", "infinity", "malformed", "a-list", "a-string"],
)
def test_hostile_json_bodies_are_refused(api, coordinator, neighbourhood, body):
    api.force_authenticate(coordinator)
    response = api.post(reverse("api-places"), body, content_type="application/json")
    assert response.status_code == 400
    assert not Place.objects.exists()


def test_oversized_body_is_refused(api, coordinator, neighbourhood):
    api.force_authenticate(coordinator)
    response = api.post(reverse("api-places"), new_place(neighbourhood, description="x" * (3 * 1024 * 1024)), format="json")
    assert response.status_code in (400, 413)
    assert not Place.objects.exists()


def test_token_authentication_works_for_creating_a_place(api, users, neighbourhood):
    _token, key = ApiToken.issue(users[Role.WORKER], "script")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post(reverse("api-places"), new_place(neighbourhood), format="json")
    assert response.status_code == 201


def test_wrong_token_is_refused(api, neighbourhood):
    api.credentials(HTTP_AUTHORIZATION="Token sbagliato")
    assert api.post(reverse("api-places"), new_place(neighbourhood), format="json").status_code in (401, 403)
    assert not Place.objects.exists()


def test_schema_builds(api):
    response = api.get(reverse("api-schema"))
    assert response.status_code == 200
    assert b"/api/v1/places/" in response.content
