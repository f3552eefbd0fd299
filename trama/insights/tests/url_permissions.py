"""Who may open each insights URL (walked by tests/test_permissions.py)."""

from django.urls import reverse

from trama.people.models import Role
from trama.testing import ANY_METHOD, COORDINATOR_ONLY, PUBLIC, STAFF, everyone, only

# Stories of change: the staff of the story's neighbourhood and the organisation of the partner who wrote it.
TELLERS = only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)

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
    "insights:targets": (lambda o: reverse("insights:targets"), {"GET": STAFF}),
    "insights:targets#bad-year": (
        lambda o: reverse("insights:targets") + "?anno=duemila",
        {"GET": {**STAFF, Role.COORDINATOR: 400, Role.WORKER: 400}},
    ),
    "insights:target_create": (lambda o: reverse("insights:target_create"), {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY}),
    "insights:target_edit": (
        lambda o: reverse("insights:target_edit", args=[o["target"].pk]),
        {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
    ),
    "insights:target_edit#elsewhere": (
        lambda o: reverse("insights:target_edit", args=[o["target_far"].pk]),
        {"GET": everyone("denied"), "POST": everyone("denied")},
    ),
    "insights:target_delete": (
        lambda o: reverse("insights:target_delete", args=[o["target"].pk]),
        {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
    ),
    "insights:target_delete#elsewhere": (
        lambda o: reverse("insights:target_delete", args=[o["target_far"].pk]),
        {"GET": everyone("denied"), "POST": everyone("denied")},
    ),
    "insights:stories": (lambda o: reverse("insights:stories") + "?q=pane", {"GET": TELLERS}),
    "insights:stories#bad-goal": (
        lambda o: reverse("insights:stories") + "?obiettivo=G9",
        {"GET": {**TELLERS, Role.COORDINATOR: 400, Role.WORKER: 400, Role.PARTNER: 400}},
    ),
    "insights:story_create": (lambda o: reverse("insights:story_create"), {"GET": TELLERS, "POST": TELLERS}),
    "insights:story": (lambda o: reverse("insights:story", args=[o["story"].pk]), {"GET": TELLERS}),
    "insights:story#elsewhere": (lambda o: reverse("insights:story", args=[o["story_elsewhere"].pk]), {"GET": COORDINATOR_ONLY}),
    "insights:story#far": (lambda o: reverse("insights:story", args=[o["story_far"].pk]), {"GET": everyone("denied")}),
    "insights:story_withdraw": (lambda o: reverse("insights:story_withdraw", args=[o["story"].pk]), {"GET": TELLERS, "POST": TELLERS}),
    "insights:story_withdraw#elsewhere": (
        lambda o: reverse("insights:story_withdraw", args=[o["story_elsewhere"].pk]),
        {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
    ),
    "insights:reviews": (lambda o: reverse("insights:reviews"), {"GET": STAFF}),
    "insights:review_create": (lambda o: reverse("insights:review_create"), {"GET": STAFF, "POST": STAFF}),
    "insights:review": (lambda o: reverse("insights:review", args=[o["review"].pk]), {"GET": STAFF}),
    "insights:review#elsewhere": (lambda o: reverse("insights:review", args=[o["review_elsewhere"].pk]), {"GET": COORDINATOR_ONLY}),
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
    from decimal import Decimal

    from trama.insights.models import Target

    o["target"] = Target.objects.create(city=o["city"], neighbourhood=o["neighbourhood"], indicator="g1_hours", year=2025, target=Decimal(100))
    o["target_far"] = Target.objects.create(city=o["other_city"], indicator="g1_hours", year=2025, target=Decimal(100))
    stories(o)


def stories(o):
    """A story told by the partner in the worker's neighbourhood, one in the other neighbourhood, one in the other
    city; a review of each neighbourhood's table."""
    from django.utils import timezone

    from trama.collective.models import Meeting
    from trama.insights.models import Review, Story

    def story(hood, by, organisation=None):
        return Story.objects.create(
            city=hood.city,
            neighbourhood=hood,
            title="Dal pane e latte al pranzo insieme",
            what_changed="Una signora ora pranza con altri due volte alla settimana.",
            for_whom="una signora che vive sola",
            why_it_matters="Non chiede più di segnare.",
            goals=["G3"],
            consent_form=Story.ConsentForm.ORAL,
            consent_at=timezone.now(),
            author=by,
            organisation=organisation,
        )

    o["story"] = story(o["neighbourhood"], o["users"][Role.PARTNER], o["organisation"])
    o["story_elsewhere"] = story(o["other_neighbourhood"], o["users"][Role.COORDINATOR])
    o["story_far"] = story(o["far_neighbourhood"], o["far_coordinator"])
    for key, hood, chosen in (("review", o["neighbourhood"], o["story"]), ("review_elsewhere", o["other_neighbourhood"], o["story_elsewhere"])):
        meeting = Meeting.objects.create(
            city=hood.city, neighbourhood=hood, kind=Meeting.Kind.TABLE, title="Revisione partecipata", starts_at=timezone.now()
        )
        o[key] = Review.objects.create(city=hood.city, neighbourhood=hood, meeting=meeting, period="2025-T1", comments="I numeri crescono.")
        o[key].stories.add(chosen)
