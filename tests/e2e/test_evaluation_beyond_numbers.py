"""Issue 19, evaluation beyond numbers, on a phone: a worker records a story of change with the person's consent,
the neighbourhood table selects it in a participatory review and it appears in the PDF report; a coordinator
sets a target on an indicator and the dashboard shows the progress towards it."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.market import services as market
from trama.people.models import Organisation, Role
from trama.testing import pdf_text

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def field(page, label):
    """The form's field labelled `label` (a required one's label ends with an asterisk)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def test_a_story_recorded_with_consent_is_selected_and_appears_in_the_report(phone, browser, live_server, users, neighbourhood):
    worker = users[Role.WORKER]
    log_in(phone, worker.username, PASSWORD)
    phone.goto("/indicatori/storie/")
    expect(phone.get_by_test_id("no-stories")).to_be_visible()
    phone.get_by_role("link", name="Racconta una storia").click()
    expect(phone.get_by_test_id("identifying-warning")).to_contain_text("La storia resta anonima")
    field(phone, "Quartiere").select_option(label=neighbourhood.name)
    field(phone, "Titolo").fill("Dal pane e latte al pranzo insieme")
    field(phone, "Che cosa è cambiato").fill("Comprava solo pane e latte e chiedeva di segnare; ora pranza con altri due volte a settimana.")
    field(phone, "Per chi").fill("una signora che vive sola")
    field(phone, "Perché è importante").fill("Ha ripreso a uscire e a chiedere aiuto senza vergogna.")
    phone.locator("label", has_text="G4 · Dall'io al noi").click()  # the design system draws the box on the label
    phone.locator("label", has_text="a voce, a chi ha raccolto la storia").click()  # the design system draws the box on the label
    # First without consent: refused, with the reason.
    phone.get_by_role("button", name="Registra la storia").click()
    expect(phone.get_by_text("Senza il consenso della persona la storia non può essere registrata.")).to_be_visible()
    phone.locator("label", has_text="La persona ha acconsentito").click()  # the design system draws the box on the label
    phone.get_by_role("button", name="Registra la storia").click()
    expect(phone.get_by_role("heading", name="Dal pane e latte al pranzo insieme")).to_be_visible()
    expect(phone.get_by_test_id("what-changed")).to_contain_text("pranza con altri")

    # The neighbourhood table's review selects it.
    phone.goto("/indicatori/revisioni/")
    phone.get_by_role("link", name="Registra una revisione").click()
    field(phone, "Tavolo di quartiere").select_option(label=neighbourhood.name)
    field(phone, "Data e ora").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    field(phone, "Commenti del tavolo sui numeri").fill("Le ore donate crescono; le storie dicono perché.")
    phone.locator("label", has_text="Dal pane e latte al pranzo insieme").click()  # the design system draws the box on the label
    phone.get_by_role("button", name="Registra la revisione").click()
    expect(phone.get_by_test_id("selected-stories")).to_contain_text("Dal pane e latte al pranzo insieme")

    # The coordinator's report of the period (the one the form proposes) shows it beside the numbers.
    context = browser.new_context(base_url=live_server.url, locale="it-IT", viewport={"width": 360, "height": 740}, is_mobile=True)
    coordinator = context.new_page()
    log_in(coordinator, users[Role.COORDINATOR].username, PASSWORD)
    coordinator.goto("/indicatori/rapporti/")
    coordinator.get_by_label("Formato").select_option("pdf")
    coordinator.get_by_role("button", name="Prepara il rapporto").click()
    link = coordinator.get_by_test_id("report-download")
    expect(link).to_be_visible(timeout=120_000)
    with coordinator.expect_download() as arrived:
        link.click()
    content = open(arrived.value.path(), "rb").read()
    text = pdf_text(content)
    assert "Le storie scelte dai tavoli di quartiere" in text
    assert "Dal pane e latte al pranzo insieme" in text
    assert "Ha ripreso a uscire e a chiedere aiuto senza vergogna." in text
    assert "Le ore donate crescono; le storie dicono perché." in text
    context.close()


def test_a_target_set_on_an_indicator_shows_as_progress_on_the_dashboard(phone, users, city, neighbourhood):
    coordinator = users[Role.COORDINATOR]
    ponte = Organisation.objects.create(city=city, name="Associazione Il Ponte", sector="third_sector")
    market.record_contribution(
        kind="hours", quantity=Decimal("12"), on=timezone.localdate(), neighbourhood=neighbourhood, by=coordinator, organisation=ponte
    )
    log_in(phone, coordinator.username, PASSWORD)
    phone.goto("/indicatori/")
    phone.get_by_role("link", name="Obiettivi", exact=True).click()
    expect(phone.get_by_test_id("no-targets")).to_be_visible()
    phone.get_by_role("link", name="Nuovo obiettivo").click()
    field(phone, "Indicatore").select_option(label="Ore di tempo donate")
    field(phone, "Area").select_option(label=neighbourhood.name)
    field(phone, "Obiettivo").fill("22")
    field(phone, "Punto di partenza").fill("2")
    phone.get_by_role("button", name="Salva").click()
    # A baseline without its source is refused, with the reason.
    expect(phone.get_by_text("Scrivi da dove viene il punto di partenza.")).to_be_visible()
    field(phone, "Obiettivo").fill("22")
    field(phone, "Fonte del punto di partenza").fill("Registro del volontariato dell'anno scorso")
    phone.get_by_role("button", name="Salva").click()
    row = phone.get_by_test_id(f"progress-g1_hours-q{neighbourhood.pk}")
    expect(row).to_contain_text("da 2,0 a 12,0, obiettivo 22,0: 50 %")

    phone.get_by_role("link", name="Torna agli indicatori").click()
    card = phone.get_by_test_id("targets-g1_hours")
    card.scroll_into_view_if_needed()
    expect(card).to_contain_text("da 2,0 a 12,0, obiettivo 22,0: 50 %")
    expect(card).to_contain_text("in cammino")  # the state in words, not only a bar
    expect(card.get_by_role("progressbar")).to_have_attribute("value", "50")
