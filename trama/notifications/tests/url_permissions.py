"""Who may open the notification pages (walked by tests/test_permissions.py): each signed-in account its own."""

from trama.testing import SIGNED_IN, url

EXPECTED = {
    "notifications:list": (url("notifications:list"), {"GET": SIGNED_IN}),
    # An id that is not the account's own answers 404, as one that does not exist.
    "notifications:open": (lambda o: "/notifiche/999999/", {"GET": {**SIGNED_IN, **{r: 404 for r in SIGNED_IN if SIGNED_IN[r] == "ok"}}}),
    "notifications:mark_read": (url("notifications:mark_read"), {"POST": SIGNED_IN}),
    "notifications:preferences": (url("notifications:preferences"), {"GET": SIGNED_IN, "POST": SIGNED_IN}),
}
