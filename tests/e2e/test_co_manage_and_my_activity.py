"""Issue 14, steps 4 and 5: a partner edits an initiative her organisation co-manages and sees her pact with its
renewal date; a citizen, on a phone, finds the hours she gave and received on «La mia attività»."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.initiatives import services as initiatives
from trama.initiatives.models import Agreement, Initiative, Partner
from trama.market import services as market
from trama.people.models import Consent, Person, Role
from trama.people.services import register_person

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_partner_co_manages_and_sees_her_pact_and_a_citizen_her_hours(page, phone, users, city, neighbourhood, organisation):
    coordinator, partner, citizen = users[Role.COORDINATOR], users[Role.PARTNER], users[Role.CITIZEN]
    initiative = initiatives.create_initiative(
        city=city, by=coordinator, origin="worker", neighbourhoods=[neighbourhood], name="Merenda in cortile", description="Una merenda insieme."
    )
    initiatives.add_partner(initiative, organisation=organisation, role=Partner.Role.CO_MANAGER, by=coordinator)
    pact = initiatives.save_agreement(
        Agreement(
            city=city,
            kind=Agreement.Kind.PACT,
            title="Patto per il cortile",
            subject="Cura del cortile",
            starts_on=date.today() - timedelta(days=300),
            ends_on=date.today() + timedelta(days=65),
        ),
        by=coordinator,
        neighbourhoods=[neighbourhood],
        parties=[{"organisation": organisation, "commitments": "Apre e chiude il cortile"}],
    )
    Agreement.objects.filter(pk=pact.pk).update(status=Agreement.Status.ACTIVE)
    anna = register_person(
        by=coordinator, neighbourhood=neighbourhood, display_name="Anna", channel=Person.Channel.SELF, consents=[Consent.Purpose.REGISTRATION]
    )
    anna.account = citizen
    anna.save(update_fields=["account"])
    offer = market.record_offer(person=anna, kind="time", title="Leggo ad alta voce", description="", neighbourhoods=[neighbourhood], by=coordinator)
    helped = register_person(
        by=coordinator, neighbourhood=neighbourhood, display_name="Bruno", channel=Person.Channel.OUTREACH, consents=[Consent.Purpose.REGISTRATION]
    )
    need = market.record_need(person=helped, text="Qualcuno che mi legga il giornale", neighbourhood=neighbourhood, urgency="low", by=coordinator)
    match = market.propose_match(need=need, offer=offer, by=coordinator)
    market.record_contribution(kind="hours", quantity=4, on=date.today(), neighbourhood=neighbourhood, by=coordinator, person=anna, match=match)

    log_in(page, partner.username, PASSWORD)
    page.goto(f"/iniziative/{initiative.pk}/modifica/")
    page.get_by_label("Che cosa si fa").fill("Una merenda insieme, poi giochi in cortile.")
    page.get_by_label("Partecipanti (numero)").fill("18")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Iniziativa aggiornata.")).to_be_visible()
    expect(page.get_by_text("poi giochi in cortile")).to_be_visible()
    page.goto("/iniziative/accordi/nostri/")
    agreements = page.get_by_test_id("our-agreements")
    expect(agreements).to_contain_text("Patto per il cortile")
    expect(agreements.get_by_test_id("renewal-due")).to_contain_text("mancano 65 giorni")
    initiative.refresh_from_db()
    assert initiative.participant_count == 18 and initiative.stage == Initiative.Stage.IDEA

    log_in(phone, citizen.username, PASSWORD)
    phone.get_by_test_id("my-activity-link").click()
    expect(phone.get_by_test_id("hours")).to_contain_text("hai dato 4 ore e ne hai ricevute 0")
    expect(phone.get_by_test_id("my-offers")).to_contain_text("Leggo ad alta voce")
