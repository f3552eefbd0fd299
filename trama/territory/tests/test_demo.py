import csv

import pytest
from django.core.management import call_command

from trama.people.models import User
from trama.territory.demo import DATA_DIR, load_demo_territory
from trama.territory.geojson import validate_geometry
from trama.territory.models import City, Neighbourhood, Place

pytestmark = pytest.mark.django_db


def census():
    with open(DATA_DIR / "parma_quartieri_popolazione.csv", encoding="utf-8") as f:
        return {row["quartiere"]: row for row in csv.DictReader(f)}


def dump():
    return [list(model.objects.order_by("pk").values()) for model in (City, Neighbourhood, Place)]


def contains(polygon, lon, lat):
    """Ray casting on the outer ring: enough for the simple shapes of the demo."""
    ring, inside = polygon["coordinates"][0], False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_demo_city_has_the_thirteen_neighbourhoods_with_census_residents():
    city = load_demo_territory()
    assert city.slug == "parma"
    rows = census()
    neighbourhoods = {n.name: n for n in city.neighbourhoods.all()}
    assert set(neighbourhoods) == set(rows) and len(neighbourhoods) == 13
    for name, row in rows.items():
        assert neighbourhoods[name].population == int(row["residenti_2023_01_01"])
        assert neighbourhoods[name].code == row["asc_code"]


def test_only_the_four_pilot_neighbourhoods_are_marked_pilot():
    city = load_demo_territory()
    pilots = set(city.neighbourhoods.filter(is_pilot=True).values_list("name", flat=True))
    assert pilots == {"Lubiana", "Molinetto", "Pablo", "San Leonardo"}


def test_demo_boundaries_are_valid_marked_approximate_and_do_not_overlap():
    city = load_demo_territory()
    boundaries = []
    for n in city.neighbourhoods.all():
        validate_geometry(n.boundary)
        assert n.boundary_is_approximate
        boundaries.append(n.boundary)
    # A grid over the whole drawing: no point may fall in two neighbourhoods.
    lons = [x for b in boundaries for x, _ in b["coordinates"][0]]
    lats = [y for b in boundaries for _, y in b["coordinates"][0]]
    for i in range(60):
        for j in range(60):
            lon = min(lons) + (max(lons) - min(lons)) * (i + 0.5) / 60
            lat = min(lats) + (max(lats) - min(lats)) * (j + 0.5) / 60
            assert sum(contains(b, lon, lat) for b in boundaries) <= 1, (lon, lat)


def test_six_public_places_lie_inside_their_neighbourhood():
    city = load_demo_territory()
    places = Place.objects.filter(neighbourhood__city=city).select_related("neighbourhood")
    assert places.count() == 6
    for place in places:
        assert place.is_public and place.location_is_approximate
        assert contains(place.neighbourhood.boundary, place.lon, place.lat), place.name


def test_loading_twice_leaves_every_row_identical():
    load_demo_territory()
    before = dump()
    load_demo_territory()
    assert dump() == before


def test_loading_again_restores_values_changed_by_hand():
    city = load_demo_territory()
    Neighbourhood.objects.filter(city=city, slug="pablo").update(population=1, is_pilot=False)
    load_demo_territory()
    pablo = Neighbourhood.objects.get(city=city, slug="pablo")
    assert pablo.population == 15246 and pablo.is_pilot


def test_loading_again_keeps_an_imported_real_boundary():
    city = load_demo_territory()
    real = {"type": "Polygon", "coordinates": [[[10.30, 44.80], [10.31, 44.80], [10.31, 44.81], [10.30, 44.80]]]}
    Neighbourhood.objects.filter(city=city, slug="pablo").update(boundary=real, boundary_is_approximate=False)
    load_demo_territory()
    pablo = Neighbourhood.objects.get(city=city, slug="pablo")
    assert pablo.boundary == real and not pablo.boundary_is_approximate


def test_load_demo_command_twice_prints_the_same_accounts_and_changes_nothing(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    first = capsys.readouterr().out
    before = dump() + [list(User.objects.order_by("pk").values("username", "role", "password"))]
    call_command("load_demo")
    assert capsys.readouterr().out == first
    assert dump() + [list(User.objects.order_by("pk").values("username", "role", "password"))] == before
    assert "coordinatrice" in first and User.objects.count() == 5
    operatore = User.objects.get(username="operatore")
    assert set(operatore.neighbourhoods.values_list("name", flat=True)) == {"San Leonardo", "Pablo"}
