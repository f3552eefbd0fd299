"""A citizen takes her data away and asks for them to be erased (GDPR art. 17); a coordinator confirms; she can no longer sign in."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.market.models import Need
from trama.people.models import Person, Role

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_takes_her_data_asks_for_erasure_and_a_coordinator_confirms(browser, live_server, users, make_person, city, neighbourhood):
    citizen, coordinator = users[Role.CITIZEN], users[Role.COORDINATOR]
    gino = make_person(name="Ginozq", account=citizen)
    Need.objects.create(city=city, person=gino, neighbourhood=neighbourhood, text="zqneed compagnia per la spesa")

    her = browser.new_context(base_url=live_server.url, locale="it-IT").new_page()
    log_in(her, citizen.username, PASSWORD)
    her.get_by_role("link", name="Il mio profilo").first.click()
    her.get_by_role("button", name="Chiedi una copia dei miei dati").click()
    expect(her.get_by_test_id("export-progress")).to_contain_text("pronto")
    with her.expect_download() as arrived:
        her.get_by_test_id("export-download").click()
    record = json.loads(zipfile.ZipFile(io.BytesIO(arrived.value.path().read_bytes())).read("dati.json"))
    needs = next(s for s in record["sections"] if s["model"] == "market.Need")
    assert [row["text"] for row in needs["rows"]] == ["zqneed compagnia per la spesa"]

    her.get_by_role("link", name="Il mio profilo").first.click()
    her.get_by_role("link", name="Chiedi la cancellazione dei miei dati").click()
    expect(her.get_by_role("heading", name="Cancellazione dei dati personali")).to_be_visible()
    her.get_by_role("button", name="Chiedi la cancellazione dei miei dati").click()
    # Destructive: nothing happens until she ticks that she read what it means.
    expect(her.get_by_text("Per registrare la richiesta spunta la conferma.")).to_be_visible()
    her.get_by_label("Ho letto che cosa comporta").check(force=True)  # the design system draws the box over the input
    her.get_by_role("button", name="Chiedi la cancellazione dei miei dati").click()
    expect(her.get_by_test_id("erasure-progress")).to_contain_text("in attesa di conferma")

    them = browser.new_context(base_url=live_server.url, locale="it-IT").new_page()
    log_in(them, coordinator.username, PASSWORD)
    them.get_by_role("link", name="Richieste di cancellazione dei dati").click()
    them.get_by_role("link", name=f"Persona {gino.pk}").click()
    them.get_by_label("Conferma: cancella i dati").check(force=True)  # the design system draws the box over the input
    them.get_by_label("Confermo: i dati della persona saranno cancellati").check(force=True)  # the design system draws the box over the input
    them.get_by_test_id("erasure-decide").click()
    expect(them.get_by_test_id("erasure-progress")).to_contain_text("Dati cancellati il")
    them.goto(reverse("people:person", args=[gino.pk]))
    expect(them.get_by_test_id("erased")).to_contain_text("Dati cancellati il")
    expect(them.get_by_role("heading", level=1)).to_have_text(f"cancellata-{gino.pk}")

    assert Person.objects.get(pk=gino.pk).anonymised_at is not None
    # Her session has ended, and she cannot sign in again.
    her.goto(reverse("people:profile"))
    expect(her).to_have_url(f"{live_server.url}{reverse('login')}?next={reverse('people:profile')}")
    log_in(her, citizen.username, PASSWORD)
    expect(her.get_by_role("button", name="Accedi").last).to_be_visible()
    her.goto(reverse("people:profile"))
    expect(her).to_have_url(f"{live_server.url}{reverse('login')}?next={reverse('people:profile')}")
