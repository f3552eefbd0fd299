"""Foundation journeys: every demo role signs in and lands on its home; the language switch."""

import re

import pytest
from playwright.sync_api import expect

from trama.people.demo import create_demo_accounts
from trama.territory.demo import load_demo_territory

from .conftest import choose_language, log_in_through_form

pytestmark = pytest.mark.django_db(transaction=True)

HOME_HEADINGS = {
    "coordinatrice": "Coordinamento del programma",
    "operatore": "Lavoro di comunità",
    "partner": "Spazio partner",
    "antenna": "Antenna del quartiere",
    "cittadino": "Benvenuta, benvenuto",
}


@pytest.fixture
def demo_accounts():
    city = load_demo_territory()
    return {username: password for username, _role, password in create_demo_accounts(city)}


@pytest.mark.parametrize("username", list(HOME_HEADINGS))
def test_demo_role_logs_in_on_a_phone_and_sees_its_home(phone, demo_accounts, username):
    log_in_through_form(phone, username, demo_accounts[username])
    expect(phone.get_by_test_id("home-title")).to_have_text(HOME_HEADINGS[username])
    phone.get_by_role("button", name="Esci").click()
    expect(phone.get_by_role("link", name="Accedi").first).to_be_visible()


def test_wrong_password_is_refused_with_a_clear_message(page, demo_accounts):
    log_in_through_form(page, "operatore", "not-the-password")
    expect(page.get_by_text("Nome per accedere o password non corretti")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/account/accedi/"))


def test_language_switch_changes_the_interface_to_english_and_back(page, demo_accounts):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.get_by_role("heading", level=1)).to_contain_text("i fili che tengono insieme un quartiere")
    choose_language(page, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("the threads that hold a neighbourhood together")
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    choose_language(page, "it")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.get_by_role("banner").get_by_role("link", name="Accedi")).to_be_visible()


def test_the_language_chosen_before_signing_in_stays_and_the_switch_is_on_every_page(phone, demo_accounts):
    phone.goto("/account/accedi/")
    choose_language(phone, "en")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    phone.locator("#id_username").fill("antenna")
    phone.locator("#id_password").fill(demo_accounts["antenna"])
    phone.locator("main").get_by_role("button").last.click()
    expect(phone.get_by_test_id("home-title")).to_have_text("Neighbourhood antenna")
    for path in ("/territorio/mappa/", "/attenzione/le-mie-segnalazioni/", "/account/profilo/"):
        phone.goto(path)
        expect(phone.locator("html")).to_have_attribute("lang", "en")
        expect(phone.get_by_test_id("lang-select")).to_be_in_viewport()
