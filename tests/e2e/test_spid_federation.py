"""SPID sign-in through the OpenID Federation, on a 360 px phone: the provider is trusted through its trust chain to a
local trust anchor, and a forged chain is refused with a clear Italian message and the password still offered."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from trama.people.models import DigitalIdentity, Role, User
from trama.people.tests.oidc_provider import LocalAuthority, LocalProvider, _generated, trama_keys

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT_ID = "https://trama.example.org"
NARROW_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def narrow_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="it-IT", viewport=NARROW_PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def federation(settings, tmp_path, live_server, city):
    keys = trama_keys()
    files = {name: tmp_path / f"{name}.json" for name in ("oidc", "federation", "anchors")}
    files["oidc"].write_text(json.dumps(keys))
    files["federation"].write_text(json.dumps({"keys": [_generated("trama-fed", "sig", "RS256").as_dict(private=True)]}))
    with LocalAuthority() as anchor, LocalProvider(CLIENT_ID, keys, [live_server.url + reverse("identity_return")]) as op:
        files["anchors"].write_text(json.dumps({anchor.entity_id: anchor.public_keys()}))
        op.authority_hints = [anchor.entity_id]
        anchor.register(op.issuer, op.federation_key, metadata_policy={"acr_values_supported": {"subset_of": ["https://www.spid.gov.it/SpidL2"]}})
        settings.TRAMA_OIDC_CLIENT_ID = CLIENT_ID
        settings.TRAMA_OIDC_KEYS_FILE = str(files["oidc"])
        settings.TRAMA_FEDERATION_KEYS_FILE = str(files["federation"])
        settings.TRAMA_FEDERATION_TRUST_ANCHORS_FILE = str(files["anchors"])
        settings.TRAMA_OIDC_PROVIDERS = [{"kind": "spid", "name": "Provider di prova", "issuer": op.issuer}]
        yield anchor, op


def no_horizontal_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_spid_sign_in_through_the_trust_chain_and_a_forged_chain_refused(narrow_phone, federation):
    anchor, op = federation
    phone = narrow_phone

    # A forged statement from the anchor: the provider cannot be trusted, and the page says so plainly.
    anchor.tamper = "forged"
    phone.goto("/account/accedi/")
    phone.get_by_test_id("spid-button").click()
    phone.get_by_role("link", name="Provider di prova").click()
    expect(phone.get_by_text("faccia parte della federazione SPID/CIE")).to_be_visible()
    no_horizontal_overflow(phone)
    assert anchor.fetches == 1

    # The anchor's statement holds again: the sign-in goes through the provider.
    anchor.tamper = None
    phone.goto("/account/accedi/")
    phone.get_by_test_id("spid-button").click()
    phone.get_by_role("link", name="Provider di prova").click()
    expect(phone.get_by_role("heading", name="Provider di identità di prova")).to_be_visible()
    phone.get_by_role("button", name="Acconsento ed entro").click()
    expect(phone.get_by_role("heading", name="Completa la registrazione")).to_be_visible()
    phone.get_by_label("Nome per accedere").fill("maria")
    phone.locator("label[for=id_privacy]").click()
    phone.get_by_role("button", name="Crea il mio account").click()
    expect(phone.get_by_text("Il tuo account è pronto")).to_be_visible()
    maria = User.objects.get(username="maria")
    assert maria.role == Role.CITIZEN and DigitalIdentity.objects.get(account=maria).kind == "spid"
    assert anchor.fetches == 2  # resolved once for this sign-in, then kept
