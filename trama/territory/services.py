"""Writes to the map that other apps ask for (an import of a list of places)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from trama.privacy import audit
from trama.shortcuts import announce_created

from .models import Place

if TYPE_CHECKING:
    from trama.access import Viewer


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
