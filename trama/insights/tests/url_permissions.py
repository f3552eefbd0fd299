"""Who may open each insights URL (walked by tests/test_permissions.py)."""

from django.urls import reverse

from trama.testing import PUBLIC, STAFF

EXPECTED = {
    "insights:dashboard": (lambda o: reverse("insights:dashboard"), STAFF),
    "insights:chart": (lambda o: reverse("insights:chart", args=["g1_value"]), STAFF),
    "insights:open_data": (lambda o: reverse("insights:open_data"), PUBLIC),
    "insights:open_data_csv": (lambda o: reverse("insights:open_data_csv"), PUBLIC),
    "insights:places": (lambda o: reverse("insights:places"), PUBLIC),
    "insights:hsds_json": (lambda o: reverse("insights:hsds_json"), PUBLIC),
    "insights:hsds_csv": (lambda o: reverse("insights:hsds_csv", args=["services"]), PUBLIC),
}
