"""Who may open each insights URL (walked by tests/test_permissions.py)."""

from decimal import Decimal

from django.urls import reverse

from trama.people.models import Role
from trama.testing import COORDINATOR_ONLY, PUBLIC, STAFF, everyone, only

TELLERS = only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)

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
    "insights:targets": (lambda o: reverse("insights:targets"), STAFF),
    "insights:target_create": (lambda o: reverse("insights:target_create"), COORDINATOR_ONLY),
    "insights:target_edit": (lambda o: reverse("insights:target_edit", args=[o["target"].pk]), COORDINATOR_ONLY),
    "insights:target_delete": (lambda o: reverse("insights:target_delete", args=[o["target"].pk]), COORDINATOR_ONLY),
    "insights:stories": (lambda o: reverse("insights:stories"), TELLERS),
    "insights:story_create": (lambda o: reverse("insights:story_create"), TELLERS),
    "insights:story": (lambda o: reverse("insights:story", args=[o["story"].pk]), TELLERS),
    "insights:story_withdraw": (lambda o: reverse("insights:story_withdraw", args=[o["story"].pk]), TELLERS),
    "insights:reviews": (lambda o: reverse("insights:reviews"), STAFF),
    "insights:review_create": (lambda o: reverse("insights:review_create"), STAFF),
    "insights:review": (lambda o: reverse("insights:review", args=[o["review"].pk]), STAFF),
}


def make_objects(request, objects):
    """A finished report of the coordinator's city."""
    from trama.insights.models import Report, Target

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
    objects["target"] = Target.objects.create(city=coordinator.city, indicator="g1_hours", year=2025, target=Decimal(100))
    # A story told by the partner of the kept organisation in the worker's neighbourhood, selected by its table.
    from django.utils import timezone

    from trama.collective.models import Meeting
    from trama.insights.models import Review, Story

    hood = objects["person"].neighbourhood
    objects["story"] = Story.objects.create(
        city=hood.city,
        neighbourhood=hood,
        title="Dal pane e latte al pranzo insieme",
        what_changed="Ora pranza con altri.",
        for_whom="una signora che vive sola",
        why_it_matters="Non chiede più di segnare.",
        consent_form=Story.ConsentForm.ORAL,
        consent_at=timezone.now(),
        author=request.getfixturevalue("users")[Role.PARTNER],
        organisation=objects["kept_organisation"],
    )
    meeting = Meeting.objects.create(city=hood.city, neighbourhood=hood, kind=Meeting.Kind.TABLE, title="Revisione", starts_at=timezone.now())
    objects["review"] = Review.objects.create(city=hood.city, neighbourhood=hood, meeting=meeting, period="2025-T1")
    objects["review"].stories.add(objects["story"])
