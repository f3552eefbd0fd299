"""The demo territory: a real city's neighbourhoods and public places, read from data/.

Residents and codes are real (see data/README.md); boundaries are not, since no
open boundary file exists: they are drawn as sectors of rings around the centre,
by compass bearing, and flagged approximate. Loading twice changes nothing.
"""

import csv
import math
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from .models import City, Neighbourhood, Place

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_CITY = {"slug": "parma", "name": "Parma", "centre_lat": 44.8015, "centre_lon": 10.3279}
# Inner and outer radius of each ring of the drawing, in kilometres.
RINGS = {"centre": (0.0, 1.0), "inner": (1.0, 3.5), "outer": (3.5, 7.0)}
# Arcs are drawn every STEP degrees; every bearing in demo_boundaries.csv is a
# multiple of it, so neighbours share exactly the same vertices and never overlap.
STEP = 6
KM_PER_DEGREE_LAT = 111.32


def _rows(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _point(city, km, bearing):
    """[lon, lat] at `km` from the centre, `bearing` degrees clockwise from north."""
    angle = math.radians(bearing % 360)
    lat = city.centre_lat + km * math.cos(angle) / KM_PER_DEGREE_LAT
    lon = city.centre_lon + km * math.sin(angle) / (KM_PER_DEGREE_LAT * math.cos(math.radians(city.centre_lat)))
    return [round(lon, 5), round(lat, 5)]


def approximate_boundary(city, ring, from_bearing, to_bearing):
    """A Polygon covering one sector of a ring around the city centre (counter-clockwise)."""
    inner, outer = RINGS[ring]
    bearings = range(from_bearing, to_bearing + 1, STEP)
    points = [_point(city, outer, b) for b in reversed(bearings)]
    points += [_point(city, inner, b) for b in bearings] if inner else [[city.centre_lon, city.centre_lat]]
    return {"type": "Polygon", "coordinates": [points + [points[0]]]}


def _update_or_create(queryset, values, **lookup):
    """Like QuerySet.update_or_create, but writes only when a value differs."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        return queryset.create(**lookup, **values)
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, values[field])
    if changed:
        obj.save(update_fields=changed)
    return obj


@transaction.atomic
def load_demo_territory():
    """Create or update the demo city, its neighbourhoods and places; return the City."""
    city = _update_or_create(City.objects, {k: v for k, v in DEMO_CITY.items() if k != "slug"}, slug=DEMO_CITY["slug"])
    layout = {row["neighbourhood"]: row for row in _rows("demo_boundaries.csv")}
    neighbourhoods = {}
    for row in _rows("parma_quartieri_popolazione.csv"):
        name = row["quartiere"]
        values = {
            "name": name,
            "code": row["asc_code"],
            "population": int(row["residenti_2023_01_01"]),
            "is_pilot": row["in_sperimentazione"] == "si",
        }
        existing = Neighbourhood.objects.filter(city=city, slug=slugify(name)).first()
        # A real boundary imported with import_neighbourhoods is never replaced by a drawing.
        if name in layout and (existing is None or existing.boundary_is_approximate):
            shape = layout[name]
            values["boundary"] = approximate_boundary(city, shape["ring"], int(shape["from_bearing"]), int(shape["to_bearing"]))
            values["boundary_is_approximate"] = True
        neighbourhoods[name] = _update_or_create(Neighbourhood.objects, values, city=city, slug=slugify(name))
    for row in _rows("places.csv"):
        values = {
            "neighbourhood": neighbourhoods[row["neighbourhood"]],
            "kind": row["kind"],
            "address": row["address"],
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
            "location_is_approximate": row["location_is_approximate"] == "si",
            "is_public": True,
        }
        _update_or_create(Place.objects.filter(neighbourhood__city=city), values, name=row["name"])
    return city
