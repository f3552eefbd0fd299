"""Who may open each themes URL (walked by tests/test_permissions.py): staff only, workers only
for texts and runs of their neighbourhoods."""

from django.urls import reverse

from trama.people.models import Role
from trama.testing import ANY_METHOD, COORDINATOR_ONLY, STAFF, everyone
from trama.themes.models import DiscoveryRun, Tag, TextItem, Theme

EXPECTED = {
    "themes:themes": (lambda o: reverse("themes:themes"), ANY_METHOD(STAFF)),
    "themes:theme": (lambda o: reverse("themes:theme", args=[o["theme"].pk]), ANY_METHOD(STAFF)),
    "themes:theme_chart": (lambda o: reverse("themes:theme_chart", args=[o["theme"].pk]), ANY_METHOD(STAFF)),
    "themes:theme_items": (lambda o: reverse("themes:theme_items", args=[o["theme"].pk]), ANY_METHOD(STAFF)),
    "themes:theme_name": (lambda o: reverse("themes:theme_name", args=[o["theme"].pk]), ANY_METHOD(STAFF)),
    "themes:theme_merge": (lambda o: reverse("themes:theme_merge", args=[o["theme"].pk]), ANY_METHOD(STAFF)),
    "themes:theme_split": (lambda o: reverse("themes:theme_split", args=[o["theme"].pk]), ANY_METHOD(STAFF)),
    "themes:theme_retire": (lambda o: reverse("themes:theme_retire", args=[o["theme"].pk]), ANY_METHOD(STAFF)),
    "themes:theme_categories": (lambda o: reverse("themes:theme_categories", args=[o["theme"].pk]), ANY_METHOD(STAFF)),
    "themes:item": (lambda o: reverse("themes:item", args=[o["item"].pk]), ANY_METHOD(STAFF)),
    "themes:item#elsewhere": (lambda o: reverse("themes:item", args=[o["item_elsewhere"].pk]), ANY_METHOD(COORDINATOR_ONLY)),
    "themes:item_tag": (lambda o: reverse("themes:item_tag", args=[o["item"].pk]), {"POST": STAFF}),
    "themes:item_untag": (lambda o: reverse("themes:item_untag", args=[o["item"].pk, o["theme"].pk]), {"POST": STAFF}),
    "themes:runs": (lambda o: reverse("themes:runs"), ANY_METHOD(STAFF)),
    "themes:run": (lambda o: reverse("themes:run", args=[o["worker_run"].pk]), ANY_METHOD(STAFF)),
    "themes:run#city-wide": (lambda o: reverse("themes:run", args=[o["city_run"].pk]), ANY_METHOD(COORDINATOR_ONLY)),
    "themes:run_progress": (lambda o: reverse("themes:run_progress", args=[o["worker_run"].pk]), ANY_METHOD(STAFF)),
    "api-themes": (lambda o: reverse("api-themes"), {"GET": STAFF}),
    "api-theme": (lambda o: reverse("api-theme", args=[o["theme"].pk]), {"GET": STAFF}),
    "api-themes-item-tags": (
        lambda o: reverse("api-themes-item-tags", args=[o["item"].pk]),
        {"GET": STAFF, "POST": STAFF, "PUT": everyone("denied"), "PATCH": everyone("denied"), "DELETE": everyone("denied")},
    ),
    "api-themes-item-tags#elsewhere": (
        lambda o: reverse("api-themes-item-tags", args=[o["item_elsewhere"].pk]),
        {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY, "PUT": everyone("denied"), "PATCH": everyone("denied"), "DELETE": everyone("denied")},
    ),
    "api-themes-item-tag": (
        lambda o: reverse("api-themes-item-tag", args=[o["item"].pk, o["theme"].pk]),
        {"GET": STAFF, "POST": everyone("denied"), "PUT": everyone("denied"), "PATCH": everyone("denied"), "DELETE": STAFF},
    ),
    "api-themes-runs": (lambda o: reverse("api-themes-runs"), {"GET": STAFF, "POST": STAFF}),
    "api-themes-run": (lambda o: reverse("api-themes-run", args=[o["worker_run"].pk]), {"GET": STAFF}),
    "api-themes-run#city-wide": (lambda o: reverse("api-themes-run", args=[o["city_run"].pk]), {"GET": COORDINATOR_ONLY}),
}


def make_objects(o):
    users = o["users"]
    hood, elsewhere, far = o["neighbourhood"], o["other_neighbourhood"], o["far_neighbourhood"]
    city = hood.city
    o["theme"] = Theme.objects.create(city=city, suggested_name="spesa, pane", key_phrases=["spesa", "pane"])
    o["theme_far"] = Theme.objects.create(city=far.city, suggested_name="affitto", key_phrases=["affitto"])
    item = lambda where, n, text: TextItem.objects.create(  # noqa: E731
        city=where.city, source=TextItem.Source.IMPORT, source_id=n, text=text, neighbourhood=where
    )
    o["item"] = item(hood, 9001, "Cerco pane")
    o["item_elsewhere"] = item(elsewhere, 9002, "Un passaggio")
    o["item_far"] = item(far, 9003, "Non paga l'affitto")
    Tag.objects.create(item=o["item"], theme=o["theme"], origin=Tag.Origin.ENGINE, confidence=0.8)
    Tag.objects.create(item=o["item_elsewhere"], theme=o["theme"], origin=Tag.Origin.ENGINE, confidence=0.8)
    Tag.objects.create(item=o["item_far"], theme=o["theme_far"], origin=Tag.Origin.ENGINE, confidence=0.8)
    o["worker_run"] = DiscoveryRun.objects.create(city=city, requested_by=users[Role.WORKER], status=DiscoveryRun.Status.DONE)
    o["worker_run"].neighbourhoods.set([hood])
    o["city_run"] = DiscoveryRun.objects.create(city=city, requested_by=users[Role.COORDINATOR], status=DiscoveryRun.Status.DONE)
    o["run_elsewhere"] = DiscoveryRun.objects.create(city=city, requested_by=o["other_worker"], status=DiscoveryRun.Status.DONE)
    o["run_elsewhere"].neighbourhoods.set([elsewhere])
    o["run_far"] = DiscoveryRun.objects.create(city=far.city, requested_by=o["far_coordinator"], status=DiscoveryRun.Status.DONE)
