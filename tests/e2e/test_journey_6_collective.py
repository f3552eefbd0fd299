"""Journey 6, first half: the system proposes a group from similar needs in one neighbourhood, the worker
convenes it with the people who agreed, fixes the first meeting, records attendance, minutes and a decision."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.collective import services
from trama.collective.models import Group, Suggestion
from trama.market import services as market
from trama.people.models import Consent, Person, Role
from trama.people.services import register_person
from trama.territory.models import Place

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

NEEDS = [
    "Non riesco a portare a casa la spesa, è troppo pesante per me",
    "Mi servirebbe aiuto per portare la spesa pesante fino al terzo piano",
    "Da sola non ce la faccio più a fare la spesa e portarla a casa",
    "Cerco qualcuno che mi aiuti a portare la spesa pesante",
    "La spesa è pesante e non ho la macchina per portarla a casa",
    "Aiuto a fare la spesa: le borse sono pesanti da portare",
]


def test_worker_convenes_a_group_from_a_suggestion_and_records_its_first_meeting(page, users, neighbourhood, city):
    worker = users[Role.WORKER]
    Place.objects.create(neighbourhood=neighbourhood, name="Centro civico", kind=Place.Kind.COMMUNITY_POINT)
    names = ["Ada", "Bruno", "Carla", "Dario", "Elena", "Franco"]
    for name, text in zip(names, NEEDS):
        person = register_person(
            by=worker, neighbourhood=neighbourhood, display_name=name, channel=Person.Channel.OUTREACH, consents=[Consent.Purpose.REGISTRATION]
        )
        market.record_need(person=person, text=text, neighbourhood=neighbourhood, urgency="medium", by=worker)
    services.refresh_suggestions(city)

    log_in(page, worker.username, PASSWORD)
    page.goto("/")
    page.get_by_role("link", name="Apri le proposte").click()
    page.get_by_test_id("suggestions").get_by_role("link", name="6 persone con una situazione simile a Borgo Alto").click()
    expect(page.get_by_test_id("situations")).to_contain_text("Ada")
    page.get_by_role("link", name="Convoca un gruppo").click()
    page.get_by_label("Nome del gruppo (lo sceglierà il gruppo: per ora uno provvisorio)").fill("Spesa insieme")
    page.get_by_label("Ada").check(force=True)
    page.get_by_label("Bruno").check(force=True)
    page.get_by_label("Le persone scelte hanno dato il consenso a far parte del gruppo").check(force=True)
    page.get_by_role("button", name="Convoca il gruppo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spesa insieme")
    expect(page.get_by_test_id("group-status")).to_have_text("in formazione")
    expect(page.get_by_test_id("members")).to_contain_text("Ada")
    assert Suggestion.objects.get().status == Suggestion.Status.CONVENED

    page.get_by_role("link", name="Attiva il gruppo").click()
    page.get_by_label("Confermo").check(force=True)
    page.get_by_role("button", name="Attiva il gruppo").click()
    expect(page.get_by_test_id("group-status")).to_have_text("attivo")

    page.get_by_role("link", name="Fissa un incontro").click()
    page.get_by_label("Titolo").fill("Primo incontro")
    when = timezone.localtime() + timedelta(days=3)
    page.get_by_label("Inizio").fill(when.strftime("%Y-%m-%dT18:00"))
    page.get_by_label("Luogo").select_option(label="Centro civico")
    page.get_by_label("Ordine del giorno").fill("Conoscersi; come organizzare la spesa")
    page.get_by_role("button", name="Salva l'incontro").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Primo incontro")

    page.get_by_role("link", name="Presenze e verbale").click()
    page.get_by_label("Ada").check(force=True)
    page.get_by_label("Verbale").fill("Ci siamo conosciuti: faremo la spesa insieme il sabato.")
    page.get_by_role("button", name="Salva presenze e verbale").click()
    expect(page.get_by_test_id("attendees")).to_contain_text("Ada")
    expect(page.get_by_test_id("minutes")).to_contain_text("il sabato")

    page.get_by_label("Decisione").fill("Chiedere un carrello al centro civico")
    page.get_by_label("Chi se ne occupa (se non ha un account)").fill("Bruno")
    page.get_by_label("Entro il").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Aggiungi la decisione").click()
    expect(page.get_by_test_id("decisions")).to_contain_text("Chiedere un carrello")
    group = Group.objects.get()
    assert group.status == Group.Status.ACTIVE and group.meetings.get().decisions.count() == 1
