"""Who may GET each URL of a person's copy of their data."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from trama.people.models import Role
from trama.testing import ANON, COORDINATOR_ONLY, STAFF, everyone

EXPECTED = {
    "privacy:export_person": (lambda o: reverse("privacy:export_person", args=[o["person"].pk]), everyone(405)),
    "privacy:export_mine": (lambda o: reverse("privacy:export_mine"), everyone(405)),
    "privacy:export": (lambda o: reverse("privacy:export", args=[o["export"].token]), COORDINATOR_ONLY),
    "privacy:export_download": (lambda o: reverse("privacy:export_download", args=[o["export"].token]), COORDINATOR_ONLY),
    "privacy:erasure_person": (lambda o: reverse("privacy:erasure_person", args=[o["person"].pk]), STAFF),
    # Only a citizen has a record of her own to ask about; the other accounts find nothing there.
    "privacy:erasure_mine": (lambda o: reverse("privacy:erasure_mine"), {**everyone(404), ANON: "denied", Role.CITIZEN: "ok"}),
    "privacy:rectify_person": (lambda o: reverse("privacy:rectify_person", args=[o["person"].pk]), STAFF),
    "privacy:rectify_mine": (lambda o: reverse("privacy:rectify_mine"), {**everyone(404), ANON: "denied", Role.CITIZEN: "ok"}),
    "privacy:erasures": (lambda o: reverse("privacy:erasures"), COORDINATOR_ONLY),
    "privacy:erasure": (lambda o: reverse("privacy:erasure", args=[o["erasure"].pk]), STAFF),
    "privacy:erasure_decide": (lambda o: reverse("privacy:erasure_decide", args=[o["erasure"].pk]), everyone(405)),
}


def make_objects(request, objects):
    """A ready copy of `person`'s data, asked for by the coordinator; a request to erase it, recorded by the worker."""
    from trama.privacy.models import DataExport, ErasureRequest

    objects["export"] = DataExport.objects.create(
        person=objects["person"],
        requested_by=request.getfixturevalue("users")[Role.COORDINATOR],
        token="audit-export",
        status=DataExport.Status.DONE,
        progress=100,
        content=b"PK\x05\x06" + bytes(18),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    objects["erasure"] = ErasureRequest.objects.create(
        person=objects["person"], requested_by=request.getfixturevalue("users")[Role.WORKER], reason="al telefono"
    )
