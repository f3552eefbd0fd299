import re

import pytest
from django.urls import reverse

from trama.territory.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(neighbourhood):
    return Place.objects.create(neighbourhood=neighbourhood, name="Punto di comunità Borgo", kind=Place.Kind.COMMUNITY_POINT)


def test_anonymous_visitor_sees_the_map_with_the_neighbourhood_table(client, neighbourhood, other_neighbourhood):
    response = client.get(reverse("territory:map"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="mappa"' in body and 'data-testid="neighbourhood-table"' in body
    table = body[body.index('data-testid="neighbourhood-table"') :]
    assert "Borgo Alto" in table and "12.000" in table and "Borgo Basso" in table


def test_approximate_boundaries_are_announced(client, neighbourhood):
    body = client.get(reverse("territory:map")).content.decode()
    assert 'data-testid="approximate-notice"' in body
    assert "approssimativi" in body


def test_no_notice_when_every_boundary_is_real(client, make_neighbourhood):
    make_neighbourhood("Borgo Vero", boundary_is_approximate=False)
    body = client.get(reverse("territory:map")).content.decode()
    assert 'data-testid="approximate-notice"' not in body


def test_public_places_are_listed_with_a_link_and_hidden_ones_are_not(client, place, neighbourhood):
    Place.objects.create(neighbourhood=neighbourhood, name="Sede riservata", is_public=False)
    body = client.get(reverse("territory:map")).content.decode()
    assert f'href="{place.get_absolute_url()}"' in body
    assert "Sede riservata" not in body


def test_page_has_no_inline_script_or_style_and_sends_a_csp(client, neighbourhood, place):
    response = client.get(reverse("territory:map"))
    body = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert not re.search(r"<[^>]+\sstyle=", body)
    assert "<style" not in body
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_map_gets_its_data_from_attributes(client, neighbourhood, settings):
    body = client.get(reverse("territory:map")).content.decode()
    assert f'data-tile-url="{settings.TRAMA_TILE_URL}"' in body
    assert f'data-neighbourhoods-url="{reverse("api-neighbourhoods")}"' in body
    assert f'data-places-url="{reverse("api-places-geojson")}"' in body
    assert "leaflet/leaflet.js" in body and "trama/map.js" in body


def test_page_without_any_city_still_answers(client, db):
    response = client.get(reverse("territory:map"))
    assert response.status_code == 200
    assert "nessuna città" in response.content.decode()
