"""Journey 4: a worker brokers a need: ranked offers are proposed, each with one line saying why, the match
is accepted by both sides, followed up, and the contribution lands in the ledger; a need nothing answers
says so and points to the neighbourhood's partners."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.market import services
from trama.market.models import Contribution, Match
from trama.people.models import Consent, Organisation, Person, Role
from trama.people.services import register_person

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_brokers_a_need_and_the_contribution_lands_in_the_ledger(page, users, neighbourhood, city):
    worker, partner = users[Role.WORKER], users[Role.PARTNER]
    organisation = Organisation.objects.create(city=city, name="Emporio solidale", sector="third_sector")
    organisation.members.add(partner)
    services.record_offer(organisation=organisation, kind="skill", title="Corso di chitarra", neighbourhoods=[neighbourhood], by=worker)
    services.record_offer(
        organisation=organisation,
        kind="time",
        title="Accompagniamo a fare la spesa",
        description="Volontari il sabato mattina",
        neighbourhoods=[neighbourhood],
        by=worker,
    )
    person = register_person(
        by=worker, neighbourhood=neighbourhood, display_name="Gino", channel=Person.Channel.OUTREACH, consents=[Consent.Purpose.REGISTRATION]
    )
    need = services.record_need(
        person=person, text="Mi servirebbe una mano per fare la spesa", neighbourhood=neighbourhood, urgency="high", by=worker
    )

    log_in(page, worker.username, PASSWORD)
    page.goto(f"/mercato/richieste/{need.pk}/")
    candidates = page.get_by_test_id("candidates").get_by_role("listitem")
    # The guitar course serves the same neighbourhood but says nothing of shopping: it is not padded in.
    expect(candidates).to_have_count(1)
    first = candidates.first
    expect(first).to_contain_text("Accompagniamo a fare la spesa")
    expect(first.get_by_test_id("explanation")).to_have_text("Parole in comune: fare, spesa; serve lo stesso quartiere.")
    first.get_by_role("button", name="Proponi").click()
    expect(page.get_by_test_id("match-status")).to_have_text("Proposto")
    page.get_by_test_id("accept-need").click()  # the worker records Gino's yes
    expect(page.get_by_test_id("need-answer")).to_have_text("Sì")
    match_url = page.url
    page.get_by_role("button", name="Esci").click()

    log_in(page, partner.username, PASSWORD)
    page.goto(match_url)
    page.get_by_test_id("accept-offer").click()
    expect(page.get_by_test_id("match-status")).to_have_text("Accettato")
    page.get_by_role("button", name="Esci").click()

    log_in(page, worker.username, PASSWORD)
    page.goto(match_url)
    page.get_by_label("Data di verifica").fill((date.today() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Avvia").click()
    expect(page.get_by_test_id("match-status")).to_have_text("In corso")
    page.get_by_role("link", name="Registra un contributo").click()
    page.get_by_label("Tipo di contributo").select_option("hours")
    page.get_by_label("Quantità (ore, pezzi, ore di uso o euro)").fill("3")
    page.get_by_role("button", name="Registra").click()
    expect(page.get_by_test_id("contributions")).to_contain_text("€ 48,00")
    page.get_by_label("Esito (per concludere)").fill("La spesa arriva ogni sabato")
    page.get_by_role("button", name="Concludi").click()
    expect(page.get_by_test_id("match-status")).to_have_text("Concluso")
    page.get_by_role("link", name="Risorse").first.click()
    expect(page.get_by_test_id("ledger")).to_contain_text("Emporio solidale")

    assert Match.objects.get().status == Match.Status.DONE
    contribution = Contribution.objects.get()
    assert contribution.sector == "third_sector" and contribution.quantity == 3


def test_a_need_nothing_answers_says_so_and_leads_to_the_neighbourhood_s_partners(page, users, neighbourhood, city):
    worker = users[Role.WORKER]
    organisation = Organisation.objects.create(city=city, name="Parrocchia del quartiere", sector="faith")
    services.record_offer(
        organisation=organisation, kind="space", title="Sala parrocchiale per feste e pranzi", neighbourhoods=[neighbourhood], by=worker
    )
    person = register_person(
        by=worker, neighbourhood=neighbourhood, display_name="Gino", channel=Person.Channel.OUTREACH, consents=[Consent.Purpose.REGISTRATION]
    )
    need = services.record_need(person=person, text="Medicine e spesa a casa", neighbourhood=neighbourhood, urgency="high", by=worker)

    log_in(page, worker.username, PASSWORD)
    page.goto(f"/mercato/richieste/{need.pk}/")
    expect(page.get_by_test_id("no-answer")).to_contain_text("Nessuna risposta adatta per ora.")
    expect(page.get_by_test_id("candidates")).to_have_count(0)
    page.get_by_role("link", name="Chiedi a un partner del quartiere").click()
    expect(page.get_by_test_id("offers")).to_contain_text("Sala parrocchiale per feste e pranzi")
    expect(page.get_by_test_id("offers")).to_contain_text("Parrocchia del quartiere")
