"""Reads of the territory reused by views, API and other apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from trama.access import neighbourhood_scope

from .geojson import contains
from .models import City, Neighbourhood, Place

if TYPE_CHECKING:
    from trama.access import User, Viewer


# A GeoJSON object: JSON, its values of every kind.
GeoJSON = dict[str, Any]

# The configured city is read on nearly every page: kept in the cache, forgotten in this process when
# a city is saved or deleted, in the other processes within this many seconds.
CITY_SECONDS = 300


def _city_key() -> str:
    return f"trama:current-city:{settings.TRAMA_CITY}"


def current_city() -> City | None:
    """The city the platform serves (TRAMA_CITY), or the first one, or None."""
    city = cache.get(_city_key())
    if city is None:
        city = City.objects.filter(slug=settings.TRAMA_CITY).first() or City.objects.first()
        if city is not None:
            cache.set(_city_key(), city, CITY_SECONDS)
    return city


@receiver(post_save, sender=City)
@receiver(post_delete, sender=City)
def _forget_current_city(**kwargs: Any) -> None:
    cache.delete(_city_key())


def city_of(user: Viewer) -> City | None:
    """The city an account works in: its own, or the configured one when it has none."""
    return cast("User", user).city if getattr(user, "city_id", None) is not None else current_city()


def neighbourhoods_of(city: City | None) -> QuerySet[Neighbourhood]:
    return Neighbourhood.objects.filter(city=city).order_by("name") if city else Neighbourhood.objects.none()


def neighbourhoods_for_settings(city: City | None) -> list[Neighbourhood]:
    """The city's neighbourhoods as its settings page lists them, each with `has_boundary` (without loading the boundaries)."""
    hoods = list(neighbourhoods_of(city))
    with_boundary = set(Neighbourhood.objects.filter(pk__in=[n.pk for n in hoods], boundary__isnull=False).values_list("pk", flat=True))
    for n in hoods:
        n.has_boundary = n.pk in with_boundary  # type: ignore[attr-defined]
    return hoods


def neighbourhoods_for(user: Viewer) -> QuerySet[Neighbourhood]:
    """The neighbourhoods `user` acts in: a worker's or antenna's own, a coordinator's city (every one
    for a coordinator with no city). The choices of every form that records something somewhere."""
    scope = neighbourhood_scope(user)
    if scope is not None:
        return Neighbourhood.objects.filter(pk__in=scope)
    account = cast("User", user)  # no scope: a coordinator
    return Neighbourhood.objects.filter(city=account.city) if account.city_id else Neighbourhood.objects.all()


def neighbourhood_at(city: City, lat: float, lon: float) -> Neighbourhood | None:
    """The neighbourhood of `city` whose boundary holds the point, or None (outside all, or no boundaries)."""
    for neighbourhood in Neighbourhood.objects.with_boundary().filter(city=city, boundary__isnull=False).order_by("pk"):
        if contains(neighbourhood.boundary, lat, lon):
            return neighbourhood
    return None


def where_unknown_goes(neighbourhoods: QuerySet[Neighbourhood]) -> Neighbourhood | None:
    """The neighbourhood, among `neighbourhoods`, that takes in someone who does not know theirs: the first (pilot
    neighbourhoods first, then by name) with a community point, whose workers call back and correct it; with no
    community point anywhere, the first by name. None when there is no neighbourhood at all."""
    with_point = neighbourhoods.filter(places__kind=Place.Kind.COMMUNITY_POINT).order_by("-is_pilot", "name", "pk")
    return with_point.first() or neighbourhoods.order_by("name", "pk").first()


def community_point_of(neighbourhood: Neighbourhood) -> Place | None:
    """The community point that answers for `neighbourhood` on paper: its own public one with a phone number (the
    first by name), else the one of the city where someone who does not know their neighbourhood is taken in
    (`where_unknown_goes`), else None."""
    points = Place.objects.filter(kind=Place.Kind.COMMUNITY_POINT, is_public=True).exclude(phone="").order_by("name", "pk")
    own = points.filter(neighbourhood=neighbourhood).first()
    if own is not None:
        return own
    fallback = where_unknown_goes(Neighbourhood.objects.filter(city_id=neighbourhood.city_id, places__in=points))
    return points.filter(neighbourhood=fallback).first() if fallback is not None else None


def public_places(city: City | None) -> QuerySet[Place]:
    return (
        Place.objects.filter(neighbourhood__city=city, is_public=True)
        .select_related("neighbourhood")
        .defer("neighbourhood__boundary")
        .order_by("name")
        if city
        else Place.objects.none()
    )


def neighbourhood_feature(n: Neighbourhood) -> GeoJSON:
    """One neighbourhood as a GeoJSON Feature (geometry null when the boundary is unknown)."""
    return {
        "type": "Feature",
        "id": n.pk,
        "geometry": n.boundary,
        "properties": {
            "name": n.name,
            "slug": n.slug,
            "population": n.population,
            "is_pilot": n.is_pilot,
            "boundary_is_approximate": n.boundary_is_approximate,
        },
    }


def neighbourhoods_geojson(neighbourhoods: QuerySet[Neighbourhood]) -> GeoJSON:
    """A FeatureCollection of the given neighbourhoods (a queryset: their boundaries are loaded with them)."""
    neighbourhoods = neighbourhoods.defer(None)
    return {"type": "FeatureCollection", "features": [neighbourhood_feature(n) for n in neighbourhoods]}


def places_geojson(places: Iterable[Place]) -> GeoJSON:
    """A FeatureCollection of the given places, each linking to its public page."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": p.pk,
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]} if p.lat is not None and p.lon is not None else None,
                "properties": {
                    "name": p.name,
                    "kind": p.kind,
                    "kind_label": str(p.get_kind_display()),
                    "address": p.address,
                    "neighbourhood": p.neighbourhood.name,
                    "location_is_approximate": p.location_is_approximate,
                    "url": p.get_absolute_url(),
                },
            }
            for p in places
        ],
    }


def _bbox(boundary: GeoJSON | None) -> tuple[float, float, float, float] | None:
    coords: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, (list, tuple)) and node and isinstance(node[0], (int, float)):
            coords.append(node)
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item)

    walk((boundary or {}).get("coordinates", []))
    if not coords:
        return None
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    return min(xs), min(ys), max(xs), max(ys)


def adjacent_neighbourhoods(neighbourhood: Neighbourhood, tolerance: float = 0.002) -> set[int]:
    """Ids of the neighbourhoods of the same city whose boundaries' boxes touch this one's.

    An approximation (bounding boxes, about 200 m of tolerance) good enough to
    rank 'next door' above 'across town'; without boundaries nothing is adjacent.
    """
    mine = _bbox(neighbourhood.boundary)
    if mine is None:
        return set()
    out = set()
    for other in Neighbourhood.objects.with_boundary().filter(city_id=neighbourhood.city_id).exclude(pk=neighbourhood.pk).only("boundary"):
        box = _bbox(other.boundary)
        if (
            box
            and box[0] <= mine[2] + tolerance
            and mine[0] <= box[2] + tolerance
            and box[1] <= mine[3] + tolerance
            and mine[1] <= box[3] + tolerance
        ):
            out.add(other.pk)
    return out
