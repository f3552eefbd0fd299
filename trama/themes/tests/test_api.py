"""The themes API: same rules as the pages, clear 400s for malformed or hostile input."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from trama.people.models import Role
from trama.themes.models import DiscoveryRun, Tag, Theme, TraditionalCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_the_theme_list_has_key_phrases_size_and_categories(api, coordinator, make_theme, make_item):
    theme = make_theme([make_item(), make_item()], key_phrases=["bollette", "gas"])
    theme.categories.add(TraditionalCategory.objects.get(code="poverta"))
    api.force_authenticate(coordinator)
    body = api.get(reverse("api-themes")).json()
    assert body["results"] == [api.get(reverse("api-theme", args=[theme.pk])).json()]
    row = body["results"][0]
    assert (row["key_phrases"], row["size"], row["categories"], row["status"]) == (["bollette", "gas"], 2, ["poverta"], "candidate")


def test_a_worker_gets_small_city_wide_sizes_as_null(api, worker, make_theme, make_item):
    make_theme([make_item()])
    api.force_authenticate(worker)
    assert api.get(reverse("api-themes")).json()["results"][0]["size"] is None


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_non_staff_cannot_read_themes(api, users, make_theme, role):
    theme = make_theme()
    api.force_authenticate(users[role])
    assert api.get(reverse("api-themes")).status_code == 403
    assert api.get(reverse("api-theme", args=[theme.pk])).status_code == 403


def test_tags_of_an_item_can_be_read_set_and_rejected(api, worker, make_item, make_theme):
    item = make_item()
    suggested, other = make_theme(), make_theme()
    Tag.objects.create(item=item, theme=suggested, origin=Tag.Origin.SUGGESTED, confidence=0.81)
    api.force_authenticate(worker)
    url = reverse("api-themes-item-tags", args=[item.pk])
    assert api.get(url).json()[0] | {"created_at": None} == {
        "theme": suggested.pk,
        "theme_label": "spesa, pane",
        "origin": "suggested",
        "confidence": 0.81,
        "rejected": False,
        "created_at": None,
    }
    created = api.post(url, {"theme": other.pk}, format="json")
    assert created.status_code == 201 and created.json()["origin"] == "person"
    rejected = api.delete(reverse("api-themes-item-tag", args=[item.pk, suggested.pk]))
    assert rejected.status_code == 200 and rejected.json()["rejected"] is True
    assert Tag.objects.get(item=item, theme=suggested).rejected


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"theme": "abc"},
        {"theme": -3},
        {"theme": 10**30},
        {"theme": None},
        {"theme": [1]},
        {"theme": 999999},
        {"theme": "retired"},
    ],
)
def test_a_bad_tag_is_refused_with_a_message(api, worker, make_item, make_theme, payload):
    item = make_item()
    retired = make_theme(status=Theme.Status.RETIRED)
    if payload.get("theme") == "retired":
        payload = {"theme": retired.pk}
    api.force_authenticate(worker)
    response = api.post(reverse("api-themes-item-tags", args=[item.pk]), payload, format="json")
    assert response.status_code == 400 and response.json()["theme"]
    assert not Tag.objects.exists()


def test_a_body_that_is_not_json_is_a_400(api, worker, make_item):
    api.force_authenticate(worker)
    response = api.post(reverse("api-themes-item-tags", args=[make_item().pk]), "{not json", content_type="application/json")
    assert response.status_code == 400


def test_a_worker_cannot_touch_tags_outside_their_neighbourhoods(api, worker, make_item, make_theme, other_neighbourhood):
    item = make_item(where=other_neighbourhood)
    theme = make_theme([item])
    api.force_authenticate(worker)
    assert api.get(reverse("api-themes-item-tags", args=[item.pk])).status_code == 403
    assert api.delete(reverse("api-themes-item-tag", args=[item.pk, theme.pk])).status_code == 403
    assert not Tag.objects.filter(rejected=True).exists()


def test_a_run_is_started_and_followed(api, coordinator, corpus):
    api.force_authenticate(coordinator)
    response = api.post(reverse("api-themes-runs"), {"requested_themes": 3, "seed": 4}, format="json")
    assert response.status_code == 201
    run = DiscoveryRun.objects.get()
    status = api.get(reverse("api-themes-run", args=[run.pk])).json()
    assert (status["status"], status["progress"], status["theme_count"], status["seed"]) == ("done", 100, 3, 4)
    assert [r["id"] for r in api.get(reverse("api-themes-runs")).json()] == [run.pk]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"requested_themes": 1}, "requested_themes"),
        ({"requested_themes": "molti"}, "requested_themes"),
        ({"since": "ieri"}, "since"),
        ({"until": "2999-01-01"}, "until"),
        ({"seed": -5}, "seed"),
        ({"since": "2026-05-01", "until": "2026-01-01"}, "until"),
    ],
)
def test_a_malformed_run_is_refused(api, coordinator, payload, field):
    api.force_authenticate(coordinator)
    response = api.post(reverse("api-themes-runs"), payload, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not DiscoveryRun.objects.exists()


def test_a_worker_cannot_follow_a_city_wide_run(api, worker, coordinator, city):
    run = DiscoveryRun.objects.create(city=city, requested_by=coordinator)
    api.force_authenticate(worker)
    assert api.get(reverse("api-themes-run", args=[run.pk])).status_code == 403
