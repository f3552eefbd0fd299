"""Journey 5: a coordinator runs theme discovery over six months of text, sees candidate themes with their
key phrases and examples, names one, merges two, retires one; the items are tagged; the theme page shows
where and since when it grows, and how much of it falls outside the traditional categories."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.people.models import Role
from trama.territory.demo import load_demo_territory
from trama.territory.models import Neighbourhood
from trama.themes.demo import ARCHIVE
from trama.themes.models import Tag, TextItem, Theme, ThemeEvent

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

EXTRA = [
    "La bolletta del riscaldamento di gennaio non riesco proprio a pagarla.",
    "Mi sento sola, vorrei qualcuno con cui parlare la sera.",
    "Non so prenotare la visita online, il sito chiede lo SPID.",
    "L'affitto è aumentato e non arrivo a fine mese con le bollette.",
]


def test_coordinator_discovers_names_merges_and_retires_themes(page, make_user):
    city = load_demo_territory()
    coordinator = make_user(Role.COORDINATOR, city=city)
    pilot = list(Neighbourhood.objects.filter(city=city, is_pilot=True).order_by("name"))
    now = timezone.now()
    for n, text in enumerate(ARCHIVE + EXTRA):  # 40 texts on three topics, four neighbourhoods, six months
        TextItem.objects.create(
            city=city,
            source=TextItem.Source.IMPORT,
            source_id=n + 1,
            text=text,
            neighbourhood=pilot[n % len(pilot)],
            written_at=now - timezone.timedelta(days=(n * 29) % 170),
        )
    page.route("https://**/*", lambda route: route.abort())  # no tile server needed
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text and "script-src" in msg.text else None)

    log_in(page, coordinator.username, PASSWORD)
    page.get_by_role("link", name="Temi", exact=True).first.click()
    page.get_by_role("link", name="Cerca temi nei testi").click()
    page.get_by_label("Numero di temi").fill("4")
    page.get_by_role("button", name="Avvia la ricerca").click()
    expect(page.get_by_test_id("run-summary")).to_contain_text("40 testi letti, 4 temi trovati")
    expect(page.get_by_test_id("run-progress")).to_contain_text("Ricerca di temi: fatto.")
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "100")
    page.get_by_role("link", name="Vedi i temi").click()

    themes = list(Theme.objects.filter(status=Theme.Status.CANDIDATE))
    bills = next(t for t in themes if any("bollett" in p for p in t.key_phrases))
    # The others, largest first (by their texts, then pk): which theme a name sorts before must not decide the journey.
    others = sorted((t for t in themes if t != bills), key=lambda t: (-Tag.objects.filter(theme=t).count(), t.pk))
    page.get_by_test_id("run-themes").get_by_role("link", name=bills.suggested_name).click()
    expect(page.get_by_test_id("key-phrases")).to_contain_text("bollett")
    expect(page.get_by_test_id("examples").locator("blockquote")).to_have_count(5)

    page.get_by_role("link", name="Dai un nome").click()
    page.get_by_label("Nome del tema").fill("Bollette e affitto che non si riescono a pagare")
    page.get_by_role("button", name="Salva il nome").click()
    expect(page.get_by_test_id("theme-name")).to_have_text("Bollette e affitto che non si riescono a pagare")
    expect(page.get_by_test_id("theme-status")).to_have_text("con un nome")

    page.get_by_role("link", name="Categorie tradizionali").click()
    page.get_by_text("Il tema è fuori dalle categorie tradizionali").click()  # the design system draws the box over the input
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_test_id("theme-categories")).to_have_text("Fuori dalle categorie tradizionali")
    expect(page.get_by_test_id("outside-share")).to_have_text("100 %")

    # Merge the two largest other candidates, then retire the remaining one.
    survivor, absorbed = others[0], others[1]
    page.goto(survivor.get_absolute_url())
    page.get_by_role("link", name="Unisci un altro tema").click()
    page.get_by_label("Tema da unire a questo").select_option(str(absorbed.pk))
    page.get_by_role("button", name="Unisci").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("Conferma spuntando la casella")  # not without saying so
    page.get_by_text("Confermo:").click()
    page.get_by_role("button", name="Unisci").click()
    expect(page.get_by_test_id("history")).to_contain_text(absorbed.suggested_name)

    page.goto(others[2].get_absolute_url())
    page.get_by_role("link", name="Archivia").click()
    page.get_by_text("Confermo:").click()
    page.get_by_role("button", name="Archivia").click()
    expect(page.get_by_test_id("themes")).not_to_contain_text(others[2].suggested_name)
    expect(page.get_by_test_id("themes").get_by_role("listitem").first).to_contain_text("Bollette e affitto")

    page.get_by_role("link", name="Bollette e affitto che non si riescono a pagare").click()
    expect(page.get_by_test_id("where-table").locator("tbody tr")).to_have_count(Neighbourhood.objects.filter(city=city).count())
    expect(page.locator("#mappa path.leaflet-interactive").first).to_be_attached()
    expect(page.get_by_test_id("months-table").locator("tbody tr").first).to_be_visible()
    expect(page.get_by_test_id("chart")).to_have_js_property("complete", True)
    assert page.get_by_test_id("chart").evaluate("img => img.naturalWidth") > 0
    expect(page.get_by_test_id("first-seen")).not_to_have_text("—")

    assert Tag.objects.filter(rejected=False, theme__status__in=[Theme.Status.CANDIDATE, Theme.Status.NAMED]).count() >= 30
    absorbed.refresh_from_db()
    assert absorbed.status == Theme.Status.MERGED and absorbed.merged_into_id == survivor.pk
    assert Theme.objects.get(pk=others[2].pk).status == Theme.Status.RETIRED
    assert set(ThemeEvent.objects.values_list("action", flat=True)) >= {"proposed", "named", "linked", "merged", "retired"}
    assert violations == [], violations
