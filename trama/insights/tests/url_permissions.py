"""Who may open each insights URL (walked by tests/test_permissions.py)."""

from django.urls import reverse

from trama.people.models import Role
from trama.testing import ANY_METHOD, COORDINATOR_ONLY, PUBLIC, STAFF

EXPECTED = {
    "insights:dashboard": (lambda o: reverse("insights:dashboard"), ANY_METHOD(STAFF)),
    "insights:figures_progress": (lambda o: reverse("insights:figures_progress"), {"GET": STAFF}),
    "insights:figures_progress#bad-period": (
        lambda o: reverse("insights:figures_progress") + "?periodo=boh",
        {"GET": {**STAFF, Role.COORDINATOR: 400, Role.WORKER: 400}},
    ),
    "insights:chart": (lambda o: reverse("insights:chart", args=["g1_value"]), ANY_METHOD(STAFF)),
    "insights:trend": (lambda o: reverse("insights:trend", args=["g1_value"]), ANY_METHOD(STAFF)),
    "insights:trend_chart": (lambda o: reverse("insights:trend_chart", args=["g1_value"]), ANY_METHOD(STAFF)),
    "insights:open_data": (lambda o: reverse("insights:open_data"), ANY_METHOD(PUBLIC)),
    "insights:open_data_csv": (lambda o: reverse("insights:open_data_csv"), ANY_METHOD(PUBLIC)),
    "insights:places": (lambda o: reverse("insights:places"), ANY_METHOD(PUBLIC)),
    "insights:hsds_json": (lambda o: reverse("insights:hsds_json"), ANY_METHOD(PUBLIC)),
    "insights:hsds_csv": (lambda o: reverse("insights:hsds_csv", args=["services"]), ANY_METHOD(PUBLIC)),
    "insights:reports": (lambda o: reverse("insights:reports"), ANY_METHOD(COORDINATOR_ONLY)),
    "insights:report_request": (lambda o: reverse("insights:report_request"), {"POST": COORDINATOR_ONLY}),
    "insights:report": (lambda o: reverse("insights:report", args=[o["report"].pk]), ANY_METHOD(COORDINATOR_ONLY)),
    "insights:report_progress": (lambda o: reverse("insights:report_progress", args=[o["report"].pk]), ANY_METHOD(COORDINATOR_ONLY)),
    "insights:report_download": (lambda o: reverse("insights:report_download", args=[o["report"].pk]), ANY_METHOD(COORDINATOR_ONLY)),
}


def make_objects(o):
    """A finished report of the coordinator's city, and one of the other city."""
    from trama.insights.models import Report

    for key, city, by in (("report", o["city"], o["users"][Role.COORDINATOR]), ("report_far", o["other_city"], o["far_coordinator"])):
        o[key] = Report.objects.create(
            city=city,
            period="2025-T1",
            kind=Report.Kind.XLSX,
            requested_by=by,
            status=Report.Status.DONE,
            progress=100,
            content=b"PK\x03\x04",
        )
