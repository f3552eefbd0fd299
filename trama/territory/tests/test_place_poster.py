import pytest
from django.urls import reverse

from trama.people.models import Role
from trama.territory.models import Place
from trama.territory.queries import community_point_of
from trama.tests.qr_reader import qr_in_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.TRAMA_SITE_URL = "https://trama.example/"


def _point(neighbourhood, name="Punto di comunità", phone="0521 111111", **fields):
    return Place.objects.create(neighbourhood=neighbourhood, name=name, kind=Place.Kind.COMMUNITY_POINT, phone=phone, **fields)


def test_the_poster_of_a_community_point_carries_a_qr_code_to_the_public_home(client, worker, neighbourhood):
    point = _point(neighbourhood, address="Via Po 1")
    client.force_login(worker)
    response = client.get(reverse("territory:place_poster", args=[point.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert qr_in_pdf(response.content) == "https://trama.example/"


def test_a_worker_cannot_print_the_poster_of_another_neighbourhoods_point(client, worker, other_neighbourhood):
    point = _point(other_neighbourhood)
    client.force_login(worker)
    assert client.get(reverse("territory:place_poster", args=[point.pk])).status_code == 403


def test_a_place_that_is_not_a_community_point_has_no_poster(client, worker, neighbourhood):
    shop = Place.objects.create(neighbourhood=neighbourhood, name="Forno", kind=Place.Kind.SHOP)
    client.force_login(worker)
    assert client.get(reverse("territory:place_poster", args=[shop.pk])).status_code == 404


def test_an_unknown_place_has_no_poster(client, users):
    client.force_login(users[Role.COORDINATOR])
    assert client.get(reverse("territory:place_poster", args=[999999])).status_code in (403, 404)


def test_a_neighbourhood_without_its_own_point_is_answered_by_the_city_s_point(neighbourhood, other_neighbourhood):
    _point(neighbourhood, name="Senza numero", phone="")
    _point(neighbourhood, name="Riservato", phone="0521 999999", is_public=False)
    point = _point(neighbourhood, name="Punto di Borgo Alto", phone="0521 222222")
    assert community_point_of(neighbourhood) == point
    assert community_point_of(other_neighbourhood) == point


def test_no_community_point_with_a_phone_means_no_phone(neighbourhood):
    _point(neighbourhood, phone="")
    assert community_point_of(neighbourhood) is None
