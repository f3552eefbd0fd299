"""People name, rename, merge, split, retire and link themes; every action lands in the history."""

import pytest
from django.urls import reverse

from trama.themes import services
from trama.themes.models import Tag, Theme, ThemeEvent, TraditionalCategory

pytestmark = pytest.mark.django_db


def test_the_traditional_categories_are_loaded_by_migration():
    assert TraditionalCategory.objects.count() == 10
    assert TraditionalCategory.objects.get(code="anziani").name == "Anziani"


def test_naming_a_candidate_makes_it_named_with_who_and_when(client, coordinator, make_theme):
    theme = make_theme()
    client.force_login(coordinator)
    response = client.post(reverse("themes:theme_name", args=[theme.pk]), {"name": "Soli la domenica"})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.status, theme.name, theme.named_by) == (Theme.Status.NAMED, "Soli la domenica", coordinator)
    event = theme.events.get()
    assert (event.action, event.by, event.detail["suggested_name"]) == (ThemeEvent.Action.NAMED, coordinator, "spesa, pane")


def test_renaming_keeps_the_previous_name_in_the_history(worker, make_theme):
    theme = make_theme(name="Prima", status=Theme.Status.NAMED)
    services.name_theme(theme, "Dopo", by=worker)
    event = theme.events.get()
    assert (event.action, event.detail["previous"], event.detail["name"]) == (ThemeEvent.Action.RENAMED, "Prima", "Dopo")


@pytest.mark.parametrize(
    "name, message", [("", "obbligatorio"), ("x" * 121, "120 caratteri"), ("  ", "obbligatorio"), ("bollette", "C&#x27;è già un tema")]
)
def test_a_bad_name_is_refused_in_italian(client, coordinator, make_theme, name, message):
    make_theme(name="Bollette", status=Theme.Status.NAMED)
    theme = make_theme()
    client.force_login(coordinator)
    response = client.post(reverse("themes:theme_name", args=[theme.pk]), {"name": name})
    assert response.status_code == 400 and message in response.content.decode()
    theme.refresh_from_db()
    assert theme.status == Theme.Status.CANDIDATE


def test_merging_moves_the_items_to_the_survivor_and_records_it_on_both(client, coordinator, make_theme, make_item):
    shared = make_item("comune")
    survivor = make_theme([make_item("a"), shared], name="Bollette", status=Theme.Status.NAMED)
    other = make_theme([make_item("b"), make_item("c"), shared])
    refused = make_item("d")
    Tag.objects.create(item=refused, theme=other, origin=Tag.Origin.ENGINE, rejected=True)
    client.force_login(coordinator)
    response = client.post(reverse("themes:theme_merge", args=[survivor.pk]), {"other": other.pk, "confirm": "on"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.status, other.merged_into) == (Theme.Status.MERGED, survivor)
    assert survivor.tags.filter(rejected=False).count() == 4
    assert list(other.tags.values_list("item", flat=True)) == [refused.pk]  # what people refused stays on it
    assert other.events.get().action == survivor.events.get().action == ThemeEvent.Action.MERGED


def test_merging_asks_for_confirmation(client, coordinator, make_theme):
    survivor, other = make_theme(), make_theme()
    client.force_login(coordinator)
    response = client.post(reverse("themes:theme_merge", args=[survivor.pk]), {"other": other.pk})
    assert response.status_code == 400 and "Conferma spuntando la casella" in response.content.decode()
    other.refresh_from_db()
    assert other.status == Theme.Status.CANDIDATE


@pytest.mark.parametrize("other", ["self", "abc", "999999", "merged"])
def test_merging_with_a_theme_that_cannot_be_merged_is_refused(client, coordinator, make_theme, other):
    theme = make_theme()
    merged = make_theme(status=Theme.Status.MERGED)
    value = {"self": theme.pk, "merged": merged.pk}.get(other, other)
    client.force_login(coordinator)
    response = client.post(reverse("themes:theme_merge", args=[theme.pk]), {"other": value, "confirm": "on"})
    assert response.status_code == 400 and not ThemeEvent.objects.exists()


def test_splitting_makes_two_candidates_from_the_items_and_retires_the_theme(client, coordinator, make_theme, corpus):
    from .conftest import BILLS, DIGITAL

    items = [i for i in corpus if i.text in BILLS[:6] + DIGITAL[:6]]
    theme = make_theme(items, name="Tutto insieme", status=Theme.Status.NAMED)
    client.force_login(coordinator)
    response = client.post(reverse("themes:theme_split", args=[theme.pk]), {"confirm": "on"})
    assert response.status_code == 302
    theme.refresh_from_db()
    parts = list(theme.split_themes.all())
    assert theme.status == Theme.Status.RETIRED and len(parts) == 2
    assert all(p.status == Theme.Status.CANDIDATE and p.tags.count() >= 1 for p in parts)
    assert sum(p.tags.count() for p in parts) == 12 and not theme.tags.exists()
    assert all(p.key_phrases and p.split_from == theme for p in parts)
    assert theme.events.get().action == ThemeEvent.Action.SPLIT


def test_a_theme_too_small_to_split_says_so(client, coordinator, make_theme, make_item):
    theme = make_theme([make_item("a"), make_item("b")])
    client.force_login(coordinator)
    response = client.post(reverse("themes:theme_split", args=[theme.pk]), {"confirm": "on"})
    assert response.status_code == 400 and "Servono almeno 4 testi" in response.content.decode()


def test_retiring_needs_confirmation_and_then_archives(client, coordinator, make_theme):
    theme = make_theme()
    client.force_login(coordinator)
    assert client.post(reverse("themes:theme_retire", args=[theme.pk]), {}).status_code == 400
    response = client.post(reverse("themes:theme_retire", args=[theme.pk]), {"confirm": "on", "reason": "doppione"})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.status == Theme.Status.RETIRED and theme.events.get().detail["reason"] == "doppione"
    assert client.post(reverse("themes:theme_name", args=[theme.pk]), {"name": "Nuovo"}).status_code == 400


def test_linking_categories_or_marking_outside_them(client, coordinator, make_theme):
    theme = make_theme()
    elderly = TraditionalCategory.objects.get(code="anziani")
    client.force_login(coordinator)
    client.post(reverse("themes:theme_categories", args=[theme.pk]), {"categories": [elderly.pk]})
    assert list(theme.categories.all()) == [elderly]
    client.post(reverse("themes:theme_categories", args=[theme.pk]), {"outside": "on"})
    theme.refresh_from_db()
    assert theme.outside_categories and not theme.categories.exists()
    response = client.post(reverse("themes:theme_categories", args=[theme.pk]), {"outside": "on", "categories": [elderly.pk]})
    assert response.status_code == 400 and "non entrambe" in response.content.decode()
    assert [e.action for e in theme.events.all()] == [ThemeEvent.Action.LINKED] * 2


def test_the_history_shows_who_did_what(client, coordinator, make_theme):
    theme = make_theme()
    services.name_theme(theme, "Soli la domenica", by=coordinator)
    client.force_login(coordinator)
    history = client.get(theme.get_absolute_url()).content.decode()
    assert "Soli la domenica" in history and "nominato" in history and coordinator.username in history
