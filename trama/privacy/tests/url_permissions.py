"""Who may use each privacy URL (walked by tests/test_permissions.py)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from trama.people.models import Role
from trama.testing import ANY_METHOD, COORDINATOR_ONLY, PUBLIC, ROLES, STAFF, only, url

NOBODY = {role: "denied" for role in ROLES}

EXPECTED = {
    "privacy:notice": (url("privacy:notice"), ANY_METHOD(PUBLIC)),
    "privacy:audit": (url("privacy:audit"), ANY_METHOD(COORDINATOR_ONLY)),
    # Staff for a person in their scope; the citizen asks for her own from her profile.
    "privacy:export_person": (url("privacy:export_person", "person"), {"POST": STAFF}),
    "privacy:export_person#elsewhere": (url("privacy:export_person", "person_elsewhere"), {"POST": COORDINATOR_ONLY}),
    "privacy:export_person#far": (url("privacy:export_person", "person_far"), {"POST": NOBODY}),
    "privacy:export_mine": (url("privacy:export_mine"), {"POST": only(Role.CITIZEN)}),
    # An export is found only by the account that asked for it (the coordinator here).
    "privacy:export": (lambda o: reverse("privacy:export", args=[o["export"].token]), {"GET": COORDINATOR_ONLY}),
    "privacy:export_download": (lambda o: reverse("privacy:export_download", args=[o["export"].token]), {"GET": COORDINATOR_ONLY}),
    "privacy:export_download#of-another": (lambda o: reverse("privacy:export_download", args=[o["export_far"].token]), {"GET": NOBODY}),
    # Erasure (art. 17): staff record the request of a person in their scope, the citizen asks for her own;
    # the request is followed by who recorded it (the worker here) and decided by a coordinator in scope.
    "privacy:erasure_person": (url("privacy:erasure_person", "person"), {"GET": STAFF, "POST": STAFF}),
    "privacy:erasure_person#elsewhere": (url("privacy:erasure_person", "person_elsewhere"), {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY}),
    "privacy:erasure_person#far": (url("privacy:erasure_person", "person_far"), {"GET": NOBODY, "POST": NOBODY}),
    "privacy:erasure_mine": (url("privacy:erasure_mine"), {"GET": only(Role.CITIZEN), "POST": only(Role.CITIZEN)}),
    # Rectification (art. 16): staff correct the data of a person in their scope, the citizen her own.
    "privacy:rectify_person": (url("privacy:rectify_person", "person"), {"GET": STAFF, "POST": STAFF}),
    "privacy:rectify_person#elsewhere": (url("privacy:rectify_person", "person_elsewhere"), {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY}),
    "privacy:rectify_person#far": (url("privacy:rectify_person", "person_far"), {"GET": NOBODY, "POST": NOBODY}),
    "privacy:rectify_mine": (url("privacy:rectify_mine"), {"GET": only(Role.CITIZEN), "POST": only(Role.CITIZEN)}),
    "privacy:erasures": (url("privacy:erasures"), {"GET": COORDINATOR_ONLY}),
    "privacy:erasure": (url("privacy:erasure", "erasure"), {"GET": STAFF}),
    "privacy:erasure#far": (url("privacy:erasure", "erasure_far"), {"GET": NOBODY}),
    "privacy:erasure_decide": (url("privacy:erasure_decide", "erasure"), {"POST": COORDINATOR_ONLY}),
    "privacy:erasure_decide#far": (url("privacy:erasure_decide", "erasure_far"), {"POST": NOBODY}),
}


def make_objects(o):
    """A ready copy of `person`'s data asked for by the coordinator, and one asked for in the other city;
    an erasure request for `person` recorded by the worker, and one for `person_far` in the other city."""
    from trama.privacy.models import DataExport, ErasureRequest

    ready = {
        "status": DataExport.Status.DONE,
        "progress": 100,
        "content": b"PK\x05\x06" + bytes(18),
        "expires_at": timezone.now() + timedelta(hours=1),
    }
    o["export"] = DataExport.objects.create(person=o["person"], requested_by=o["users"][Role.COORDINATOR], token="walk-export-token", **ready)
    o["export_far"] = DataExport.objects.create(person=o["person_far"], requested_by=o["far_coordinator"], token="walk-export-far", **ready)
    o["erasure"] = ErasureRequest.objects.create(person=o["person"], requested_by=o["users"][Role.WORKER], reason="al telefono")
    o["erasure_far"] = ErasureRequest.objects.create(person=o["person_far"], requested_by=o["far_coordinator"])
