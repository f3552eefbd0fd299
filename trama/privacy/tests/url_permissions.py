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
    "privacy:export_download": (lambda o: reverse("privacy:export_download", args=[o["export"].token]),
                                {"GET": COORDINATOR_ONLY}),
    "privacy:export_download#of-another": (lambda o: reverse("privacy:export_download", args=[o["export_far"].token]),
                                           {"GET": NOBODY}),
}


def make_objects(o):
    """A ready copy of `person`'s data asked for by the coordinator, and one asked for in the other city."""
    from trama.privacy.models import DataExport

    ready = {"status": DataExport.Status.DONE, "progress": 100, "content": b"PK\x05\x06" + bytes(18),
             "expires_at": timezone.now() + timedelta(hours=1)}
    o["export"] = DataExport.objects.create(person=o["person"], requested_by=o["users"][Role.COORDINATOR],
                                            token="walk-export-token", **ready)
    o["export_far"] = DataExport.objects.create(person=o["person_far"], requested_by=o["far_coordinator"],
                                                token="walk-export-far", **ready)
