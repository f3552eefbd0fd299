"""Who may open each themes URL (walked by tests/test_permissions.py): staff only, workers only
for texts and runs of their neighbourhoods."""

from django.urls import reverse

from trama.people.models import Role
from trama.testing import COORDINATOR_ONLY, STAFF, everyone
from trama.themes.models import DiscoveryRun, Tag, TextItem, Theme

EXPECTED = {
    "themes:themes": (lambda o: reverse("themes:themes"), STAFF),
    "themes:theme": (lambda o: reverse("themes:theme", args=[o["theme"].pk]), STAFF),
    "themes:theme_chart": (lambda o: reverse("themes:theme_chart", args=[o["theme"].pk]), STAFF),
    "themes:theme_items": (lambda o: reverse("themes:theme_items", args=[o["theme"].pk]), STAFF),
    "themes:theme_name": (lambda o: reverse("themes:theme_name", args=[o["theme"].pk]), STAFF),
    "themes:theme_merge": (lambda o: reverse("themes:theme_merge", args=[o["theme"].pk]), STAFF),
    "themes:theme_split": (lambda o: reverse("themes:theme_split", args=[o["theme"].pk]), STAFF),
    "themes:theme_retire": (lambda o: reverse("themes:theme_retire", args=[o["theme"].pk]), STAFF),
    "themes:theme_categories": (lambda o: reverse("themes:theme_categories", args=[o["theme"].pk]), STAFF),
    "themes:item": (lambda o: reverse("themes:item", args=[o["item"].pk]), STAFF),
    "themes:item#elsewhere": (lambda o: reverse("themes:item", args=[o["item_elsewhere"].pk]), COORDINATOR_ONLY),
    "themes:item_tag": (lambda o: reverse("themes:item_tag", args=[o["item"].pk]), everyone(405)),
    "themes:item_untag": (lambda o: reverse("themes:item_untag", args=[o["item"].pk, o["theme"].pk]), everyone(405)),
    "themes:runs": (lambda o: reverse("themes:runs"), STAFF),
    "themes:run": (lambda o: reverse("themes:run", args=[o["worker_run"].pk]), STAFF),
    "themes:run#city-wide": (lambda o: reverse("themes:run", args=[o["city_run"].pk]), COORDINATOR_ONLY),
    "themes:run_progress": (lambda o: reverse("themes:run_progress", args=[o["worker_run"].pk]), STAFF),
    # API
    "api-themes": (lambda o: reverse("api-themes"), STAFF),
    "api-theme": (lambda o: reverse("api-theme", args=[o["theme"].pk]), STAFF),
    "api-themes-item-tags": (lambda o: reverse("api-themes-item-tags", args=[o["item"].pk]), STAFF),
    "api-themes-item-tags#elsewhere": (lambda o: reverse("api-themes-item-tags", args=[o["item_elsewhere"].pk]), COORDINATOR_ONLY),
    "api-themes-item-tag": (lambda o: reverse("api-themes-item-tag", args=[o["item"].pk, o["theme"].pk]), STAFF),
    "api-themes-runs": (lambda o: reverse("api-themes-runs"), STAFF),
    "api-themes-run": (lambda o: reverse("api-themes-run", args=[o["worker_run"].pk]), STAFF),
    "api-themes-run#city-wide": (lambda o: reverse("api-themes-run", args=[o["city_run"].pk]), COORDINATOR_ONLY),
}


def make_objects(request, objects):
    users = request.getfixturevalue("users")
    neighbourhood = request.getfixturevalue("neighbourhood")
    elsewhere = request.getfixturevalue("other_neighbourhood")
    city = neighbourhood.city
    objects["theme"] = Theme.objects.create(city=city, suggested_name="spesa, pane", key_phrases=["spesa", "pane"])
    objects["item"] = TextItem.objects.create(
        city=city, source=TextItem.Source.IMPORT, source_id=9001, text="Cerco pane", neighbourhood=neighbourhood
    )
    objects["item_elsewhere"] = TextItem.objects.create(
        city=city, source=TextItem.Source.IMPORT, source_id=9002, text="Un passaggio", neighbourhood=elsewhere
    )
    Tag.objects.create(item=objects["item"], theme=objects["theme"], origin=Tag.Origin.ENGINE, confidence=0.8)
    objects["worker_run"] = DiscoveryRun.objects.create(city=city, requested_by=users[Role.WORKER], status=DiscoveryRun.Status.DONE)
    objects["worker_run"].neighbourhoods.set([neighbourhood])
    objects["city_run"] = DiscoveryRun.objects.create(city=city, requested_by=users[Role.COORDINATOR], status=DiscoveryRun.Status.DONE)
