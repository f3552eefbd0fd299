"""Who may open each insights URL (walked by tests/test_permissions.py)."""

from django.urls import reverse

from trama.people.models import Role
from trama.testing import COORDINATOR_ONLY, PUBLIC, STAFF, everyone

EXPECTED = {
    "insights:dashboard": (lambda o: reverse("insights:dashboard"), STAFF),
    "insights:figures_progress": (lambda o: reverse("insights:figures_progress"), STAFF),
    "insights:chart": (lambda o: reverse("insights:chart", args=["g1_value"]), STAFF),
    "insights:trend": (lambda o: reverse("insights:trend", args=["g1_value"]), STAFF),
    "insights:trend_chart": (lambda o: reverse("insights:trend_chart", args=["g1_value"]), STAFF),
    "insights:open_data": (lambda o: reverse("insights:open_data"), PUBLIC),
    "insights:open_data_csv": (lambda o: reverse("insights:open_data_csv"), PUBLIC),
    "insights:places": (lambda o: reverse("insights:places"), PUBLIC),
    "insights:hsds_json": (lambda o: reverse("insights:hsds_json"), PUBLIC),
    "insights:hsds_csv": (lambda o: reverse("insights:hsds_csv", args=["services"]), PUBLIC),
    "insights:reports": (lambda o: reverse("insights:reports"), COORDINATOR_ONLY),
    "insights:report_request": (lambda o: reverse("insights:report_request"), everyone(405)),
    "insights:report": (lambda o: reverse("insights:report", args=[o["report"].pk]), COORDINATOR_ONLY),
    "insights:report_progress": (lambda o: reverse("insights:report_progress", args=[o["report"].pk]), COORDINATOR_ONLY),
    "insights:report_download": (lambda o: reverse("insights:report_download", args=[o["report"].pk]), COORDINATOR_ONLY),
}


def make_objects(request, objects):
    """A finished report of the coordinator's city."""
    from trama.insights.models import Report

    coordinator = request.getfixturevalue("users")[Role.COORDINATOR]
    objects["report"] = Report.objects.create(
        city=coordinator.city,
        period="2025-T1",
        kind=Report.Kind.XLSX,
        requested_by=coordinator,
        status=Report.Status.DONE,
        progress=100,
        content=b"PK\x03\x04",
    )
