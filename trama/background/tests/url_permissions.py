"""Who may open the list of background tasks (walked by tests/test_permissions.py)."""

from django.urls import reverse

from trama.testing import ANY_METHOD, COORDINATOR_ONLY

EXPECTED = {
    "background:troubled_tasks": (lambda o: reverse("background:troubled_tasks"), ANY_METHOD(COORDINATOR_ONLY)),
}
