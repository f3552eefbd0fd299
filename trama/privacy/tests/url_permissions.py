"""Who may use each privacy URL (walked by tests/test_permissions.py)."""

from trama.testing import ANY_METHOD, COORDINATOR_ONLY, PUBLIC, url

EXPECTED = {
    "privacy:notice": (url("privacy:notice"), ANY_METHOD(PUBLIC)),
    "privacy:audit": (url("privacy:audit"), ANY_METHOD(COORDINATOR_ONLY)),
}
