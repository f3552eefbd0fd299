"""SPID sign-in against the local test provider, on a 360 px phone: Maria enters with SPID for the first time,
completes the registration with its consent, and the next time CIE opens the same account straight away."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from trama.people.models import DigitalIdentity, Role, User
from trama.people.tests.oidc_provider import LocalProvider, trama_keys

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT_ID = "https://trama.example.org/oidc/rp/"
NARROW_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def narrow_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="it-IT", viewport=NARROW_PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def provider(settings, tmp_path, live_server, city):
    keys = trama_keys()
    path = tmp_path / "trama-keys.json"
    path.write_text(json.dumps(keys))
    with LocalProvider(CLIENT_ID, keys, [live_server.url + reverse("identity_return")]) as p:
        settings.TRAMA_OIDC_CLIENT_ID = CLIENT_ID
        settings.TRAMA_OIDC_KEYS_FILE = str(path)
        settings.TRAMA_OIDC_PROVIDERS = [
            {"kind": "spid", "name": "Provider di prova", "issuer": p.issuer},
            {"kind": "cie", "name": "CIE", "issuer": p.issuer},
        ]
        yield p


def no_horizontal_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_spid_sign_in_against_the_local_test_provider(narrow_phone, provider):
    phone = narrow_phone
    phone.goto("/account/accedi/")
    no_horizontal_overflow(phone)
    phone.get_by_test_id("spid-button").click()
    phone.get_by_role("link", name="Provider di prova").click()

    # At the provider: its own page, on loopback.
    expect(phone.get_by_role("heading", name="Provider di identità di prova")).to_be_visible()
    phone.get_by_role("button", name="Acconsento ed entro").click()

    # Back at Trama, a first time: the registration's questions and consent, the provider's names suggested.
    expect(phone.get_by_role("heading", name="Completa la registrazione")).to_be_visible()
    no_horizontal_overflow(phone)
    expect(phone.get_by_label("Nome (anche solo quello con cui vuoi farti chiamare)")).to_have_value("Maria")
    phone.get_by_label("Nome per accedere").fill("maria")
    phone.locator("label[for=id_privacy]").click()
    phone.get_by_role("button", name="Crea il mio account").click()
    expect(phone.get_by_text("Il tuo account è pronto")).to_be_visible()
    maria = User.objects.get(username="maria")
    assert maria.role == Role.CITIZEN
    assert DigitalIdentity.objects.get(account=maria).kind == "spid"

    # Her profile says how she enters; her fiscal code is nowhere on it.
    phone.goto("/account/profilo/")
    expect(phone.get_by_test_id("identity-linked")).to_be_visible()
    assert "RSSMRA85T10A562S" not in phone.content()

    # Next time, with CIE: straight into her own account.
    phone.context.clear_cookies()
    phone.goto("/account/accedi/")
    phone.get_by_test_id("cie-button").click()
    phone.get_by_role("button", name="Acconsento ed entro").click()
    phone.goto("/account/profilo/")
    expect(phone.get_by_text("maria", exact=True)).to_be_visible()
    assert DigitalIdentity.objects.get(account=maria).kind == "cie"
