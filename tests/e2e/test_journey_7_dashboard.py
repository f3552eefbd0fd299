"""Journey 7: the coordinator opens the dashboard and sees every goal per neighbourhood, with a chart
and its data table; the public sees the open-data page with small counts suppressed."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.attention import services as attention
from trama.attention.models import Antenna
from trama.market import services as market
from trama.people.models import Organisation, Role
from trama.territory.demo import load_demo_territory
from trama.territory.models import Neighbourhood

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_reads_the_dashboard_and_the_public_the_open_data(page, browser, live_server, users, city, neighbourhood, other_neighbourhood):
    recorder = users[Role.COORDINATOR]  # records in both neighbourhoods
    ponte = Organisation.objects.create(city=city, name="Associazione Il Ponte", sector="third_sector")
    today = timezone.localdate()
    market.record_contribution(kind="hours", quantity=Decimal("12"), on=today, neighbourhood=neighbourhood, by=recorder, organisation=ponte)
    market.record_contribution(kind="hours", quantity=Decimal("5"), on=today, neighbourhood=other_neighbourhood, by=recorder, organisation=ponte)
    Antenna.objects.create(account=users[Role.ANTENNA], kind=Antenna.Kind.PHARMACY)
    for _i in range(3):  # a small count: hidden on the open-data page
        attention.send_signal(by=users[Role.ANTENNA], neighbourhood=neighbourhood, text="Non la vedo da giorni")
    for _i in range(12):
        attention.send_signal(by=users[Role.ANTENNA], neighbourhood=other_neighbourhood, text="Sembra sola")

    log_in(page, users[Role.COORDINATOR].username, PASSWORD)
    page.get_by_role("link", name="Indicatori").first.click()
    expect(page.get_by_role("heading", name="Indicatori del programma")).to_be_visible()
    expect(page.get_by_role("heading", name="G1 · Nuove risorse")).to_be_visible()
    card = page.get_by_test_id("indicator-g1_hours")
    chart = card.get_by_test_id("chart-g1_hours")
    expect(chart).to_be_visible(timeout=30_000)  # drawn on request by matplotlib: seconds when the cores are busy
    chart.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    table = card.get_by_test_id("table-g1_hours")
    expect(table.locator("caption")).to_contain_text("Ore di tempo donate")
    expect(table.get_by_role("row", name="Borgo Alto")).to_contain_text("12")
    expect(table.get_by_role("row", name="Resto della città")).to_contain_text("5")
    expect(page.get_by_test_id("no-data-g4_groups")).to_contain_text("Nessun gruppo ancora")
    # The trend is loaded when its card comes into view: a line chart with its table.
    trend = card.get_by_test_id("trend-g1_hours")
    trend.scroll_into_view_if_needed()
    trend_chart = trend.get_by_test_id("trend-chart-g1_hours")
    # Computed on request for periods never looked at (cold): on a busy machine it takes more than 5 s.
    expect(trend_chart).to_be_visible(timeout=30_000)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=trend_chart.element_handle())
    expect(trend.get_by_test_id("trend-table-g1_hours").locator("tbody tr").last).to_contain_text("12")
    # The map's table gives the chosen indicator in each neighbourhood, map or no map.
    page.get_by_label("Indicatore sulla mappa").select_option("g1_hours")
    page.get_by_role("button", name="Mostra").click()
    map_table = page.get_by_test_id("map-table")
    expect(map_table.get_by_role("row", name="Borgo Basso")).to_contain_text("5")
    page.get_by_label("Periodo").select_option(str(today.year))
    page.get_by_role("button", name="Mostra").click()
    expect(page).to_have_url(f"{live_server.url}/indicatori/?periodo={today.year}&indicatore=g1_hours")

    public = browser.new_context(base_url=live_server.url, locale="it-IT").new_page()
    public.goto("/")
    public.get_by_role("link", name="Vai ai dati aperti").click()
    signals = public.get_by_test_id("open-segnalazioni")
    expect(signals.get_by_role("row", name="Borgo Alto")).to_contain_text("riservato")
    expect(signals.get_by_role("row", name="Borgo Basso")).to_contain_text("riservato")  # secondary suppression
    expect(signals).not_to_contain_text("Non la vedo")
    expect(public.get_by_role("link", name="Conteggi")).to_be_visible()
    public.context.close()


def test_the_dashboard_map_colours_each_neighbourhood_under_the_strict_policy(page, make_user):
    city = load_demo_territory()
    coordinator = make_user(Role.COORDINATOR, city=city)
    ponte = Organisation.objects.create(city=city, name="Associazione Il Ponte", sector="third_sector")
    lubiana = Neighbourhood.objects.get(city=city, name="Lubiana")
    market.record_contribution(
        kind="hours", quantity=Decimal("30"), on=timezone.localdate(), neighbourhood=lubiana, by=coordinator, organisation=ponte
    )
    violations = []
    # Only scripts: every page of the base layout has two refused inline styles, not the map's doing.
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text and "script-src" in msg.text else None)
    page.route("https://**/*", lambda route: route.abort())  # no tile server: like a closed network

    log_in(page, coordinator.username, PASSWORD)
    page.goto("/indicatori/?indicatore=g1_hours")
    shapes = page.locator("#mappa-indicatori path.leaflet-interactive")
    expect(shapes).to_have_count(13)
    expect(page.locator("#mappa-indicatori .choropleth-legend")).to_contain_text("per 1.000 residenti")
    expect(page.get_by_test_id("map-error")).to_be_visible()  # the tiles failed; the shapes and the table are there
    expect(page.get_by_test_id("map-table").locator("tbody tr")).to_have_count(13)
    expect(page.get_by_test_id("map-table").get_by_role("row", name="Lubiana")).to_contain_text("30")
    assert violations == [], violations
