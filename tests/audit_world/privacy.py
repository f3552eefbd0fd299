"""Who may GET each URL of a person's copy of their data."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from trama.people.models import Role
from trama.testing import COORDINATOR_ONLY, everyone

EXPECTED = {
    "privacy:export_person": (lambda o: reverse("privacy:export_person", args=[o["person"].pk]), everyone(405)),
    "privacy:export_mine": (lambda o: reverse("privacy:export_mine"), everyone(405)),
    "privacy:export": (lambda o: reverse("privacy:export", args=[o["export"].token]), COORDINATOR_ONLY),
    "privacy:export_download": (lambda o: reverse("privacy:export_download", args=[o["export"].token]), COORDINATOR_ONLY),
}


def make_objects(request, objects):
    """A ready copy of `person`'s data, asked for by the coordinator."""
    from trama.privacy.models import DataExport

    objects["export"] = DataExport.objects.create(
        person=objects["person"], requested_by=request.getfixturevalue("users")[Role.COORDINATOR], token="audit-export",
        status=DataExport.Status.DONE, progress=100, content=b"PK\x05\x06" + bytes(18),
        expires_at=timezone.now() + timedelta(hours=1),
    )
