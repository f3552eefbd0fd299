"""The antenna's phone with no connection (issue 18, step 4): the signal form and her list load from the service
worker's cache, a signal written offline waits on the phone encrypted and says so, and arrives exactly once when the
network returns; another account signed in on the same browser cannot read what the first one kept."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.attention import services
from trama.attention.models import Antenna, Signal
from trama.people.models import Role

from .conftest import log_in_through_form

pytestmark = pytest.mark.django_db(transaction=True)

WHAT = "Il signore del terzo piano non ritira la posta da una settimana."

# What the phone keeps, read raw from IndexedDB: the queue's records as stored (no key applied).
RAW_QUEUE = """() => new Promise((resolve) => {
  const opening = indexedDB.open("trama-antenna");
  opening.onsuccess = () => {
    const db = opening.result;
    if (!db.objectStoreNames.contains("queue")) { db.close(); resolve(null); return; }
    const all = db.transaction("queue").objectStore("queue").getAll();
    all.onsuccess = () => {
      db.close();
      resolve(all.result.map((r) => ({key: r.key, data: Array.from(new Uint8Array(r.data))})));
    };
  };
})"""


@pytest.fixture
def antenna(users):
    user = users[Role.ANTENNA]
    Antenna.objects.create(account=user, kind=Antenna.Kind.SHOP)
    return user


def settled(phone):
    """The page's script has kept what it keeps (key, copy of her list, pages in the cache): cutting the network
    before would test a race, not the phone."""
    phone.wait_for_selector("#telefono-antenna[data-ready]", state="attached")


def ready_for_no_connection(phone):
    """The first visit, online: the service worker controls the page and the pages it needs are in its cache."""
    phone.goto("/attenzione/segnala/")
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    settled(phone)
    phone.reload()
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    settled(phone)
    phone.wait_for_function("caches.open('trama-antenna').then(c => c.match('/attenzione/mie-segnalazioni/?copia=1')).then(r => !!r)")
    phone.wait_for_function("caches.open('trama-antenna').then(c => c.match('/attenzione/segnala/')).then(r => !!r)")


def test_a_signal_written_with_no_connection_waits_encrypted_and_arrives_once(phone, live_server, antenna, neighbourhood):
    services.send_signal(by=antenna, neighbourhood=neighbourhood, text="La signora del civico 4 sembra sempre più stanca.")
    log_in_through_form(phone, antenna.username, PASSWORD)
    phone.goto("/attenzione/mie-segnalazioni/")
    settled(phone)
    ready_for_no_connection(phone)

    phone.context.set_offline(True)
    phone.goto("/attenzione/segnala/")  # from the cache: no network
    expect(phone.get_by_test_id("emergency")).to_contain_text("112")
    phone.get_by_label("Che cosa hai notato").fill(WHAT)
    phone.get_by_role("button", name="Invia la segnalazione").click()
    expect(phone.get_by_test_id("phone-queue")).to_contain_text("1 segnalazione in attesa di invio")
    assert not Signal.objects.filter(text=WHAT).exists()
    stored = phone.evaluate(RAW_QUEUE)
    assert len(stored) == 1
    assert "posta" not in bytes(stored[0]["data"]).decode("latin-1")  # encrypted at rest

    # Her list, with no network: the copy kept on the phone, dated and marked as not up to date.
    phone.goto("/attenzione/mie-segnalazioni/")
    expect(phone.get_by_test_id("copy-date")).to_contain_text("non aggiornata")
    expect(phone.get_by_test_id("offline-copy")).to_contain_text("La signora del civico 4")
    expect(phone.get_by_test_id("phone-queue")).to_contain_text("1 segnalazione in attesa di invio")

    phone.context.set_offline(False)
    expect(phone.get_by_test_id("phone-queue")).to_contain_text("1 segnalazione inviata")
    phone.reload()
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    expect(phone.get_by_test_id("signal-excerpt").first).to_contain_text("Il signore del terzo piano")
    expect(phone.get_by_test_id("phone-queue")).to_be_hidden()
    signal = Signal.objects.get(text=WHAT)
    assert Signal.objects.count() == 2
    assert (signal.sent_by, signal.text, signal.client_key is not None) == (antenna, WHAT, True)
    assert phone.evaluate(RAW_QUEUE) == []


def test_another_account_on_the_same_phone_cannot_read_what_the_antenna_kept(phone, live_server, antenna, make_user, neighbourhood):
    log_in_through_form(phone, antenna.username, PASSWORD)
    ready_for_no_connection(phone)
    phone.context.set_offline(True)
    phone.goto("/attenzione/segnala/")
    phone.get_by_label("Che cosa hai notato").fill(WHAT)
    phone.get_by_role("button", name="Invia la segnalazione").click()
    expect(phone.get_by_test_id("phone-queue")).to_contain_text("1 segnalazione in attesa di invio")
    # Her session ends on this browser before the network returns (another person takes the phone): the queue
    # stays, unsent, since nobody signed in may send it.
    phone.context.clear_cookies()
    phone.context.set_offline(False)
    phone.goto("/account/accedi/")
    assert len(phone.evaluate(RAW_QUEUE)) == 1

    other = make_user(Role.ANTENNA, [neighbourhood])
    Antenna.objects.create(account=other, kind=Antenna.Kind.SHOP)
    log_in_through_form(phone, other.username, PASSWORD)
    phone.goto("/attenzione/segnala/")
    expect(phone.get_by_test_id("phone-queue")).to_be_hidden()
    phone.wait_for_function(f"({RAW_QUEUE})().then(q => q !== null && q.length === 0)")
    assert Signal.objects.count() == 0


def test_a_worker_signed_in_after_the_antenna_finds_nothing_of_hers(phone, live_server, antenna, users):
    log_in_through_form(phone, antenna.username, PASSWORD)
    ready_for_no_connection(phone)
    phone.context.clear_cookies()
    log_in_through_form(phone, users[Role.WORKER].username, PASSWORD)
    phone.wait_for_function("indexedDB.databases().then(dbs => !dbs.some(d => d.name === 'trama-antenna'))")
    assert phone.evaluate("caches.has('trama-antenna')") is False


def test_the_manifest_is_linked_from_the_antennas_pages(phone, live_server, antenna):
    log_in_through_form(phone, antenna.username, PASSWORD)
    phone.goto("/attenzione/segnala/")
    address = phone.locator("link[rel=manifest]").get_attribute("href")
    manifest = phone.request.get(address).json()
    assert manifest["start_url"] == "/attenzione/segnala/"
    for icon in manifest["icons"]:
        assert phone.request.get(icon["src"]).headers["content-type"] == "image/png"
    scope = phone.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live_server.url}/"
