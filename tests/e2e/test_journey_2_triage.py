"""Journey 2: a community worker triages the queue of her neighbourhoods, plans an outreach,
records the encounter, registers the person pseudonymously with consent, and records both
what the person needs and what the person can give."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.attention import services
from trama.attention.models import Antenna, Encounter, OutreachTask, Signal
from trama.people.models import Person, Role

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue(make_user, neighbourhood):
    antenna = make_user(Role.ANTENNA, [neighbourhood])
    Antenna.objects.create(account=antenna, kind=Antenna.Kind.SHOP)
    old = services.send_signal(by=antenna, neighbourhood=neighbourhood, text="Un ragazzo dorme in macchina da qualche notte", urgency=1)
    urgent = services.send_signal(
        by=antenna, neighbourhood=neighbourhood, text="Un signore anziano chiede spesso aiuto a portare la spesa", urgency=3
    )
    duplicate = services.send_signal(by=antenna, neighbourhood=neighbourhood, text="Lo stesso signore anziano, visto ieri", urgency=2)
    return {"old": old, "urgent": urgent, "duplicate": duplicate}


def test_a_worker_triages_goes_out_meets_and_registers_the_person_with_needs_and_offers(page, make_user, neighbourhood, queue):
    make_user(Role.WORKER, [neighbourhood], username="operatrice", first_name="Olga")
    log_in(page, "operatrice", PASSWORD)
    page.get_by_role("link", name="Segnalazioni").first.click()
    items = page.get_by_test_id("queue").locator("li")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text(f"n. {queue['urgent'].pk}")
    expect(items.first.get_by_test_id("unassigned")).to_be_visible()

    # The duplicate is merged into the urgent one.
    page.get_by_role("link", name=f"Segnalazione n. {queue['duplicate'].pk}").click()
    page.get_by_role("link", name="Altro esito").click()
    page.get_by_label("Esito").select_option("merged")
    page.get_by_label("Segnalazione a cui unirla").select_option(str(queue["urgent"].pk))
    page.get_by_role("button", name="Registra l'esito").click()
    expect(page.get_by_text("Esito registrato.")).to_be_visible()

    # An outreach for the urgent one, with the antenna.
    page.goto(f"/attenzione/segnalazioni/{queue['urgent'].pk}/")
    expect(page.get_by_test_id("signal-text")).to_contain_text("portare la spesa")
    page.get_by_role("link", name="Programma un'uscita").click()
    page.get_by_label("Come").select_option("with_antenna")
    page.get_by_label("Entro il").fill((timezone.localdate() + timezone.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Programma l'uscita").click()
    expect(page.get_by_role("alert")).to_contain_text("Uscita programmata")

    # The encounter, from the outreach: the person is registered with a nickname and consent.
    page.get_by_role("link", name="Visita insieme all'antenna").click()
    page.get_by_role("link", name="Registra l'incontro").click()
    page.locator("#id_setting").select_option("home")
    page.locator("#id_notes").fill("Ci ha offerto un caffè. Parla volentieri del suo orto.")
    page.locator("label[for=id_register]").click()  # the design system draws the box on the label
    page.get_by_label("Nome o soprannome").fill("Nonno Bruno")
    page.get_by_label("Era già conosciuta dai servizi sociali?").select_option("no")
    page.locator("label[for=id_consent_registration]").click()
    page.get_by_label("Di che cosa ha bisogno").fill("Qualcuno che mi porti la spesa su per le scale il sabato")
    page.get_by_label("Che cosa potrebbe offrire").fill("Insegno a coltivare l'orto ai ragazzi")
    page.get_by_role("button", name="Registra l'incontro").click()
    expect(page.get_by_text("Incontro registrato.")).to_be_visible()
    expect(page.get_by_test_id("encounter-person")).to_have_text("Nonno Bruno")

    person = Person.objects.get(display_name="Nonno Bruno")
    assert (person.last_name, person.first_contact_channel, person.known_to_services) == ("", "antenna", False)
    assert person.has_consent("registration")
    assert OutreachTask.objects.get().status == "done"
    urgent, duplicate = Signal.objects.get(pk=queue["urgent"].pk), Signal.objects.get(pk=queue["duplicate"].pk)
    assert urgent.status == duplicate.status == "contacted"
    encounter = Encounter.objects.get()
    try:
        from trama.market.models import Need, Offer
    except ImportError:  # the market is not there yet: both stay in the encounter's notes
        assert "spesa su per le scale" in encounter.notes and "orto ai ragazzi" in encounter.notes
    else:
        assert Need.objects.get(person=person).text.startswith("Qualcuno che mi porti la spesa")
        assert "orto" in Offer.objects.get(person=person).description

    # The person's page shows the encounter.
    page.get_by_test_id("encounter-person").click()
    expect(page.get_by_test_id("person-encounters")).to_be_visible()
