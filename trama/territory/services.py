"""Writes to the map that other apps ask for (an import of a list of places), and the city's settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trama.privacy import audit
from trama.shortcuts import announce_created

from .models import SMALL_COUNT_CEILING, SMALL_COUNT_FLOOR, Place

if TYPE_CHECKING:
    from trama.access import User, Viewer

    from .models import City


def save_imported_place(place: Place, *, by: Viewer, created: bool) -> Place:
    """Save a place read from an imported list (validated by the import); audited as the place form is."""
    place.save(force_insert=created)
    audit.record(by, audit.Action.CREATE if created else audit.Action.UPDATE, place, reason="importazione")
    return place


def create_imported_places(places: list[Place], *, by: Viewer) -> list[Place]:
    """Create the places of a chunk of an imported list at once (validated by the import); each audited and
    announced (post_save) as a single save would be."""
    places = Place.objects.bulk_create(places)
    audit.record_many(by, audit.Action.CREATE, places, reason="importazione")
    announce_created(Place, places)
    return places


def delete_imported_place(place: Place, *, by: Viewer) -> None:
    """Delete a place an import created, when that import is undone; audited.

    Raises ProtectedError when records of other apps now depend on it: the caller says so.
    """
    with transaction.atomic():
        audit.record(by, audit.Action.DELETE, place, reason="importazione annullata")
        place.delete()


def small_count_floor() -> int:
    """The lowest threshold a city may set: the programme's 10, or the deployment's when it is higher."""
    return max(SMALL_COUNT_FLOOR, int(settings.TRAMA_SMALL_COUNT_THRESHOLD))


def set_small_count_threshold(city: City, threshold: int, *, by: User) -> City:
    """Set the city's small-count threshold (privacy.suppression reads it); audited with the old and new value.

    Raises ValidationError under the floor (`small_count_floor`) or over the ceiling, and changes nothing then.
    """
    if not small_count_floor() <= threshold <= SMALL_COUNT_CEILING:
        raise ValidationError(
            _("La soglia va da %(floor)s a %(ceiling)s.") % {"floor": small_count_floor(), "ceiling": SMALL_COUNT_CEILING}, code="threshold"
        )
    before = city.small_count_threshold
    with transaction.atomic():
        city.small_count_threshold = threshold
        city.save(update_fields=["small_count_threshold"])
        audit.record(by, audit.Action.UPDATE, city, reason=f"soglia dei conteggi piccoli: {before} -> {threshold}")
    return city
