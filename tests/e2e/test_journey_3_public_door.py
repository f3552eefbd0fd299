"""Journey 3: a visitor starts from "cerco una mano" on a phone, with no account and no label on the way;
after registering, the need (and what they can give) is in the market."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.market.models import Need, Offer
from trama.people.models import Role
from trama.territory.models import Place
from trama.testing import STIGMA

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def assert_no_stigma(page):
    text = page.locator("main").inner_text()
    assert not STIGMA.search(text), STIGMA.search(text)


def test_visitor_asks_for_a_hand_then_registers_and_finds_it_in_the_market(phone, neighbourhood):
    phone.goto("/")
    assert_no_stigma(phone)
    phone.get_by_role("link", name="Cerco una mano").first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Cerco una mano")
    assert_no_stigma(phone)
    phone.get_by_label("Di che cosa avresti bisogno?").fill("Qualcuno che mi accompagni a fare la spesa il sabato")
    phone.get_by_label("In quale quartiere?").select_option(label=neighbourhood.name)
    phone.get_by_label("E tu, che cosa potresti offrire? (facoltativo)").fill("So cucire e aggiustare vestiti")
    phone.get_by_role("button", name="Continua").click()

    expect(phone.get_by_test_id("draft-text")).to_contain_text("accompagni a fare la spesa")
    assert_no_stigma(phone)
    assert not Need.objects.exists()
    phone.get_by_role("link", name="Crea un account").click()
    phone.get_by_label("Nome (anche solo quello con cui vuoi farti chiamare)").fill("Lia")
    phone.get_by_label("E-mail").fill("lia@example.org")
    phone.get_by_label("Nome per accedere").fill("lia")
    phone.locator("#id_password1").fill(PASSWORD)
    phone.get_by_label("Ripeti la password").fill(PASSWORD)
    phone.locator("label[for=id_privacy]").click()
    phone.get_by_role("button", name="Registrati").click()

    expect(phone.get_by_text("La tua richiesta è nel mercato")).to_be_visible()
    phone.get_by_role("link", name="Le mie richieste").click()
    expect(phone.get_by_test_id("needs")).to_contain_text("accompagni a fare la spesa")
    need = Need.objects.get()
    assert need.person.account.username == "lia" and need.neighbourhood == neighbourhood
    assert Offer.objects.get(person=need.person).description == "So cucire e aggiustare vestiti"


def test_visitor_offers_a_hand_and_leaves_a_contact(phone, neighbourhood):
    phone.goto("/")
    phone.get_by_role("link", name="Offro una mano").first.click()
    assert_no_stigma(phone)
    phone.get_by_label("Che cosa vorresti offrire?").select_option("time")
    phone.get_by_label("In poche parole").fill("Leggo ad alta voce in biblioteca")
    phone.get_by_label("In quale quartiere?").select_option(label=neighbourhood.name)
    phone.get_by_role("button", name="Continua").click()
    phone.get_by_label("Come ti chiami (anche solo il nome)").fill("Ada")
    phone.get_by_label("Telefono").fill("333 1234567")
    phone.locator("label[for=id_consent]").click()
    phone.get_by_role("button", name="Lascia il recapito").click()
    expect(phone.get_by_test_id("draft-done")).to_contain_text("La tua offerta è nel mercato")
    assert Offer.objects.get().person.display_name == "Ada"


def test_visitor_who_does_not_know_the_neighbourhood_reaches_the_community_points_worker(phone, page, users, neighbourhood, other_neighbourhood):
    Place.objects.create(neighbourhood=neighbourhood, name="Punto di comunità", kind=Place.Kind.COMMUNITY_POINT)
    phone.goto("/")
    phone.get_by_role("link", name="Cerco una mano").first.click()
    where = phone.get_by_label("In quale quartiere?")
    expect(where.locator("option").first).to_have_text("Non lo so")
    expect(where.locator("option", has_text="---")).to_have_count(0)
    phone.get_by_label("Di che cosa avresti bisogno?").fill("Qualcuno che mi legga la posta del Comune")
    where.select_option(label="Non lo so")
    phone.get_by_role("button", name="Continua").click()
    phone.get_by_label("Come ti chiami (anche solo il nome)").fill("Ada")
    phone.get_by_label("Telefono").fill("333 1234567")
    phone.locator("label[for=id_consent]").click()
    phone.get_by_role("button", name="Lascia il recapito").click()
    expect(phone.get_by_test_id("draft-done")).to_be_visible()
    assert Need.objects.get().neighbourhood == neighbourhood

    log_in(page, users[Role.WORKER].username, PASSWORD)  # assigned to the community point's neighbourhood
    page.goto("/mercato/richieste/")
    expect(page.get_by_text("Qualcuno che mi legga la posta del Comune")).to_be_visible()
