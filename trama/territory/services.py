"""Writes to the map that other apps ask for (an import of a list of places)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from trama.privacy import audit

if TYPE_CHECKING:
    from trama.access import Viewer

    from .models import Place


def save_imported_place(place: Place, *, by: Viewer, created: bool) -> Place:
    """Save a place read from an imported list (validated by the import); audited as the place form is."""
    place.save(force_insert=created)
    audit.record(by, audit.Action.CREATE if created else audit.Action.UPDATE, place, reason="importazione")
    return place


def delete_imported_place(place: Place, *, by: Viewer) -> None:
    """Delete a place an import created, when that import is undone; audited.

    Raises ProtectedError when records of other apps now depend on it: the caller says so.
    """
    with transaction.atomic():
        audit.record(by, audit.Action.DELETE, place, reason="importazione annullata")
        place.delete()
