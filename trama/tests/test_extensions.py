"""The extension points of trama/extensions.py hold what each app registers, and nothing finds another
app's models or templates by name behind them."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from trama import extensions
from trama.attention.models import Encounter, Signal
from trama.market import services as market_services
from trama.market.models import Need

ROOT = Path(__file__).resolve().parent.parent

PERSON_PANELS = [
    "market/_person_panel.html",
    "attention/_person_panel.html",
    "themes/_person_panel.html",
    "collective/_person_panel.html",
    "initiatives/_person_panel.html",
    "privacy/_person_panel.html",
]
THEME_PANELS = ["collective/_theme_panel.html", "initiatives/_theme_panel.html", "practices/_theme_panel.html"]


def test_themes_reads_the_texts_of_needs_signals_and_encounters():
    sources = dict(extensions.text_sources.items())
    assert {kind: source.model for kind, source in sources.items()} == {"need": Need, "signal": Signal, "encounter": Encounter}
    assert set(sources["need"].open_statuses) == {"open", "brokering"}
    assert set(sources["signal"].open_statuses) == {"new", "taken_up", "contacted"}
    assert sources["encounter"].open_statuses == () and sources["encounter"].in_city == "neighbourhood__city"


def test_every_text_source_is_connected_to_the_themes_copy():
    from django.db.models.signals import post_delete, post_save

    for kind, source in extensions.text_sources.items():
        assert post_save.has_listeners(source.model) and post_delete.has_listeners(source.model)
        uids = {key[0] for key, _receiver, *_ in post_save.receivers}
        assert f"themes-sync-{kind}" in uids


def test_the_pages_panels_are_registered_in_their_order():
    assert extensions.panels(extensions.person_panels) == PERSON_PANELS
    assert extensions.panels(extensions.theme_panels) == THEME_PANELS
    assert extensions.panels(extensions.group_panels) == ["initiatives/_group_panel.html"]
    assert extensions.panels(extensions.decision_panels) == ["initiatives/_decision_actions.html", "practices/_decision_actions.html"]
    assert extensions.panels(extensions.need_panels) == ["practices/_need_panel.html"]
    assert extensions.panels(extensions.organisation_panels) == ["initiatives/_organisation_panel.html"]


def test_an_encounter_records_needs_and_offers_through_the_market():
    assert extensions.encounter_records.get("need") is market_services.record_need
    assert extensions.encounter_records.get("offer") is market_services.record_offer


def test_a_listener_hears_of_entries_registered_before_and_after_it():
    registry, heard = extensions.Registry("test"), []
    registry.register("a", 1)
    registry.listen(lambda key, entry: heard.append((key, entry)))
    registry.register("b", 2)
    registry.register("b", 2)  # the same again: nothing new
    assert heard == [("a", 1), ("b", 2)] and list(registry) == ["a", "b"]


def test_two_entries_under_one_key_are_refused():
    registry = extensions.Registry("test")
    registry.register("a", 1)
    with pytest.raises(ImproperlyConfigured):
        registry.register("a", 2)
    assert registry.get("a") == 1


def test_panels_are_ordered_by_their_order_not_by_registration():
    registry = extensions.Registry("test")
    registry.register("late", extensions.Panel("late.html", order=20))
    registry.register("early", extensions.Panel("early.html", order=10))
    assert extensions.panels(registry) == ["early.html", "late.html"]


@pytest.mark.django_db
def test_the_person_page_includes_the_registered_panels_in_order(client, coordinator, make_person):
    person = make_person()
    client.force_login(coordinator)
    response = client.get(reverse("people:person", args=[person.pk]))
    assert response.status_code == 200
    shown = [t.name for t in response.templates if t.name in PERSON_PANELS]
    assert shown == PERSON_PANELS


# -- no name lookups left behind the registries ----------------------------------------------------


def _code(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if not {"tests", "migrations"} & set(path.relative_to(ROOT / app).parts):
            yield path


def test_themes_looks_up_no_model_of_another_app_by_name():
    looked_up = []
    for path in _code("themes"):
        for match in re.finditer(r"get_model\(\s*[\"'](\w+)", path.read_text()):
            if match.group(1) != "themes":
                looked_up.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        if re.search(r"get_model\(\s*[\"']\w+\.\w+[\"']", path.read_text()):
            looked_up.append(f"{path.relative_to(ROOT)}: get_model of a dotted label")
    assert looked_up == []


def test_attention_finds_no_market_function_by_name():
    for path in _code("attention"):
        text = path.read_text()
        assert "trama.market" not in text and "_market_function" not in text, path


def test_the_extension_points_import_no_app():
    text = (ROOT / "extensions.py").read_text()
    assert not re.search(r"^\s*(from|import) trama\.", text, re.MULTILINE)
