"""Issue 14: on a 360 px phone a coordinator registers an organisation and a place and links a partner,
who then edits her organisation's profile."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.people.models import Membership, Organisation, Role
from trama.territory.models import Place

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

NARROW_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def narrow(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="it-IT", viewport=NARROW_PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_coordinator_sets_up_an_organisation_and_a_place_and_its_referent_edits_it(narrow, users, neighbourhood):
    page = narrow
    # A boundary around the city's centre, where the map opens: the pin falls inside it.
    neighbourhood.boundary = {"type": "Polygon", "coordinates": [[[10.30, 44.78], [10.36, 44.78], [10.36, 44.82], [10.30, 44.82], [10.30, 44.78]]]}
    neighbourhood.save()
    coordinator, partner = users[Role.COORDINATOR], users[Role.PARTNER]

    log_in(page, coordinator.username, PASSWORD)
    page.goto("/organizzazioni/")
    expect(page.get_by_text("Nessuna organizzazione ancora")).to_be_visible()
    page.get_by_role("link", name="Registra un'organizzazione").click()
    page.get_by_label("Nome", exact=False).first.fill("Emporio solidale")
    page.get_by_label("Settore").select_option("third_sector")
    page.get_by_label("Forma giuridica").select_option("aps")
    page.get_by_label("Codice fiscale").fill("00743110157")
    page.get_by_label(neighbourhood.name).check(force=True)
    assert fits(page)
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emporio solidale")

    page.get_by_role("link", name="Collega un account partner").click()
    page.get_by_label("Nome per accedere o e-mail dell'account partner").fill(partner.email)
    page.get_by_label("Ruolo nell'organizzazione").select_option("referent")
    page.get_by_role("button", name="Collega").click()
    expect(page.get_by_text(f"{partner} · Referente")).to_be_visible()

    page.goto("/territorio/luoghi/nuovo/")
    page.get_by_label("Nome").fill("Emporio di via Roma")
    page.get_by_label("Tipo").select_option("shop")
    page.get_by_label("Orari di apertura").fill("sabato 9-12")
    map_box = page.locator("#mappa-punto")
    expect(map_box.locator(".leaflet-interactive").first).to_be_attached()  # the neighbourhood is drawn
    map_box.click()
    expect(page.get_by_label("Latitudine")).not_to_have_value("")
    page.get_by_label("Gestito da").select_option(label="Emporio solidale")
    assert fits(page)
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("trovato dal punto sulla mappa")).to_be_visible()
    page.get_by_role("button", name="Esci").click()

    log_in(page, partner.username, PASSWORD)
    page.goto("/account/profilo/")
    page.get_by_role("link", name="Emporio solidale").click()
    page.get_by_role("link", name="Modifica il profilo").click()
    page.get_by_label("Descrizione").fill("Spesa a prezzi giusti, il sabato mattina.")
    page.get_by_label("Ha accettato di avere una pagina pubblica").check(force=True)
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Spesa a prezzi giusti")).to_be_visible()
    assert fits(page)

    organisation = Organisation.objects.get()
    assert organisation.tax_code == "00743110157" and organisation.public_page_agreed
    assert Membership.objects.get(organisation=organisation).role == Membership.Role.REFERENT
    place = Place.objects.get()
    assert place.neighbourhood == neighbourhood and place.managing_organisation == organisation and place.lat is not None
