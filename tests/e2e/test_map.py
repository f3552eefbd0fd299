"""The public map shows the neighbourhoods, the pilot ones named, and degrades to a list."""

import pytest
from playwright.sync_api import expect

from trama.territory.demo import load_demo_territory

pytestmark = pytest.mark.django_db(transaction=True)

PILOTS = ["Lubiana", "Molinetto", "Pablo", "San Leonardo"]


@pytest.fixture
def demo_city():
    return load_demo_territory()


def test_map_renders_the_four_pilot_neighbourhoods(page, demo_city):
    page.route("https://**/*", lambda route: route.abort())  # no tile server here: like a closed network
    page.goto("/territorio/mappa/")
    tooltips = page.locator("#mappa .leaflet-tooltip")
    expect(tooltips).to_have_count(len(PILOTS))
    assert sorted(tooltips.all_inner_texts()) == sorted(PILOTS)
    # 13 neighbourhood shapes and 6 places are drawn
    expect(page.locator("#mappa path.leaflet-interactive")).to_have_count(13 + 6)
    expect(page.get_by_test_id("approximate-notice")).to_be_visible()


def test_map_degrades_to_the_list_when_tiles_cannot_load(phone, demo_city):
    phone.route("https://**/*", lambda route: route.abort())
    phone.goto("/territorio/mappa/")
    expect(phone.get_by_test_id("map-error")).to_be_visible()
    table = phone.get_by_test_id("neighbourhood-table")
    for name in PILOTS:
        expect(table.get_by_role("rowheader", name=name, exact=True)).to_be_visible()
    expect(phone.get_by_test_id("place-list").get_by_role("link")).to_have_count(6)


def test_map_page_runs_no_script_the_content_security_policy_refuses(page, demo_city):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text and "script-src" in msg.text else None)
    page.route("https://**/*", lambda route: route.abort())
    page.goto("/territorio/mappa/")
    expect(page.locator("#mappa .leaflet-tooltip")).to_have_count(len(PILOTS))
    assert violations == []
