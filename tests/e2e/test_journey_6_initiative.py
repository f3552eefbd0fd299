"""Journey 6: the system proposes to convene a group from similar needs in one neighbourhood; the worker convenes it;
a meeting is recorded; the group becomes an initiative with partners and commitments, accompanied to autonomy.
And the public side: a citizen finds a public initiative in the catalogue, joins it and sees it on their home."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.collective.models import Group
from trama.initiatives import services
from trama.initiatives.models import Initiative, InterventionObject, Participation
from trama.market import services as market
from trama.market.models import Contribution
from trama.people.models import Consent, Organisation, Person, Role
from trama.people.services import register_person
from trama.territory.models import Place

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOPPING = [
    "Non riesco a portare a casa la spesa, è troppo pesante per me",
    "Mi servirebbe aiuto per portare la spesa pesante fino al terzo piano",
    "Da sola non ce la faccio più a fare la spesa e portarla a casa",
    "Cerco qualcuno che mi aiuti a portare la spesa pesante",
    "La spesa è pesante e non ho la macchina per portarla a casa",
]


def test_similar_needs_become_a_group_then_an_initiative_accompanied_to_autonomy(page, users, neighbourhood, city):
    worker = users[Role.WORKER]
    for n, text in enumerate(SHOPPING, start=1):
        person = register_person(
            by=worker,
            neighbourhood=neighbourhood,
            display_name=f"Vicina {n}",
            channel=Person.Channel.OUTREACH,
            consents=[Consent.Purpose.REGISTRATION],
        )
        market.record_need(person=person, text=text, neighbourhood=neighbourhood, urgency="medium", by=worker)
    InterventionObject.objects.create(
        city=city,
        name="Spesa condivisa",
        slug="spesa-condivisa",
        description="Si fa la spesa insieme.",
        wording_guidance="Presenta l'attività, non le persone a cui si rivolge.",
    )
    emporio = Organisation.objects.create(city=city, name="Emporio solidale", sector=Organisation.Sector.THIRD_SECTOR)
    Organisation.objects.create(city=city, name="Bottega di via Roma", sector=Organisation.Sector.BUSINESS)
    emporio.members.add(users[Role.PARTNER])

    log_in(page, worker.username, PASSWORD)
    # The system proposes a group.
    page.goto("/gruppi/proposte/")
    page.get_by_test_id("refresh-suggestions").click()
    page.get_by_test_id("suggestions").get_by_role("link", name="5 persone con una situazione simile a Borgo Alto").click()
    page.get_by_role("link", name="Convoca un gruppo").click()
    page.get_by_label("Nome del gruppo").fill("Spesa insieme")
    page.get_by_label("Scopo").fill("Fare la spesa insieme il sabato")
    page.get_by_label("Vicina 1", exact=True).check(force=True)  # the design system draws the box over the input
    page.get_by_label("Vicina 2", exact=True).check(force=True)  # the design system draws the box over the input
    page.get_by_label("Le persone scelte hanno dato il consenso").check(force=True)  # the design system draws the box over the input
    page.get_by_role("button", name="Convoca il gruppo").click()
    expect(page.get_by_test_id("group-status")).to_have_text("in formazione")
    group = Group.objects.get()

    # A meeting is recorded, with a decision.
    page.get_by_role("link", name="Fissa un incontro").click()
    page.get_by_label("Titolo").fill("Primo incontro")
    page.get_by_label("Inizio").fill((date.today() - timedelta(days=1)).isoformat() + "T17:00")
    page.get_by_role("button", name="Salva l'incontro").click()
    page.get_by_role("link", name="Presenze e verbale").click()
    page.get_by_label("Verbale").fill("Decidiamo di fare la spesa insieme ogni sabato, con l'emporio.")
    page.get_by_role("button", name="Salva presenze e verbale").click()
    expect(page.get_by_test_id("minutes")).to_contain_text("ogni sabato")
    page.get_by_label("Decisione").fill("Avviamo la spesa condivisa del sabato")
    page.get_by_label("se non ha un account").fill("Il gruppo")
    page.get_by_role("button", name="Aggiungi la decisione").click()

    # The group becomes an initiative.
    page.get_by_test_id("decisions").get_by_role("link", name="Avvia un'iniziativa").click()
    page.locator("#id_name").fill("Spesa condivisa del sabato")
    page.get_by_label("Oggetto di intervento").select_option(label="Spesa condivisa")
    page.get_by_label("Quando").fill("Sabato mattina, alle 9")
    page.get_by_label("Pubblicata nel catalogo").check(force=True)  # the design system draws the box over the input
    page.get_by_role("button", name="Crea l'iniziativa").click()
    expect(page.get_by_test_id("initiative-stage")).to_have_text("idea")
    initiative = Initiative.objects.get()
    group.refresh_from_db()
    assert initiative.origin_group == group and group.status == Group.Status.INITIATIVE

    # Partners with roles and commitments.
    page.get_by_label("Realtà").select_option(label="Emporio solidale")
    page.get_by_label("Ruolo").select_option("co_manager")
    page.get_by_role("button", name="Aggiungi partner").click()
    page.get_by_label("Realtà").select_option(label="Bottega di via Roma")
    page.get_by_label("Ruolo").select_option("funder")
    page.get_by_role("button", name="Aggiungi partner").click()
    expect(page.get_by_test_id("partners")).to_contain_text("Terzo settore")
    page.get_by_text("Nuovo impegno").click()
    page.locator("#id_partner").select_option(label="Emporio solidale (co-gestore)")
    page.locator("#id_description").fill("Due volontari ogni sabato")
    page.get_by_label("Tipo di contributo").select_option("hours")
    page.get_by_label("Quantità promessa").fill("20")
    page.get_by_role("button", name="Aggiungi l'impegno").click()
    expect(page.get_by_test_id("commitments")).to_contain_text("Due volontari ogni sabato")

    def move(stage, reason):
        page.get_by_role("link", name="Cambia fase").click()
        page.get_by_label("Nuova fase").select_option(stage)
        page.get_by_label("Motivo del passaggio").fill(reason)
        page.get_by_label("Confermo il passaggio di fase").check(force=True)  # the design system draws the box over the input
        page.get_by_role("button", name="Conferma il passaggio").click()

    move("incubation", "Il gruppo ha scelto giorno e luogo")
    move("accompanied", "Prime tre uscite fatte")
    expect(page.get_by_test_id("initiative-stage")).to_have_text("accompagnata")

    # The partner's contribution lands in the ledger and counts towards the commitment.
    page.get_by_test_id("commitments").get_by_role("link", name="Registra un contributo").click()
    page.get_by_label("Quantità (ore, pezzi, ore di uso o euro)").fill("10")
    page.get_by_role("button", name="Registra").click()
    expect(page.get_by_test_id("commitments")).to_contain_text("(50%)")

    # Accompanied: autonomy assessed at each review, then autonomous.
    page.get_by_role("link", name="Verifiche di autonomia").click()
    for on, scores in (((date.today() - timedelta(days=90)).isoformat(), ("1", "0", "1", "1")), (date.today().isoformat(), ("3", "2", "2", "3"))):
        page.get_by_label("Data della verifica").fill(on)
        for label, score in zip(("Ha una guida propria", "Ha risorse proprie", "Decide da sola", "Ha legami con altre realtà"), scores):
            page.get_by_label(label).select_option(score)
        page.get_by_role("button", name="Registra la verifica").click()
    expect(page.get_by_test_id("autonomy-trend")).to_contain_text("in crescita")
    expect(page.get_by_test_id("assessments")).to_contain_text("10")
    page.get_by_role("link", name="Torna all'iniziativa").click()
    move("autonomous", "Il gruppo si organizza da solo")
    expect(page.get_by_test_id("initiative-stage")).to_have_text("autonoma")
    expect(page.get_by_test_id("transitions")).to_contain_text("Il gruppo si organizza da solo")

    initiative.refresh_from_db()
    assert initiative.stage == "autonomous" and initiative.transitions.count() == 3
    assert Contribution.objects.get().initiative_id == initiative.pk
    assert initiative.partners.count() == 2 and initiative.assessments.count() == 2


def test_a_citizen_finds_a_public_initiative_joins_it_and_sees_it_at_home(page, users, neighbourhood, other_neighbourhood, city):
    coordinator, citizen = users[Role.COORDINATOR], users[Role.CITIZEN]
    place = Place.objects.create(neighbourhood=neighbourhood, name="Sala civica", kind=Place.Kind.CIVIC_CENTRE)

    def public(name, where, **fields):
        initiative = services.create_initiative(
            city=city, by=coordinator, origin="worker", neighbourhoods=[where], name=name, description="Aperto a tutti.", is_public=True, **fields
        )
        services.move_initiative(initiative, "incubation", "Si parte", by=coordinator)
        return initiative

    public("Gruppo di cammino", neighbourhood, place=place, when="Martedì alle 10", how_to_join="Ci si trova davanti alla sala")
    public("Orto di quartiere", other_neighbourhood)

    page.goto("/")
    page.get_by_role("link", name="Scopri le iniziative").click()
    expect(page.get_by_test_id("catalogue")).to_contain_text("Orto di quartiere")
    page.get_by_label("Quartiere").select_option(label="Borgo Alto")
    page.get_by_role("button", name="Cerca").click()
    expect(page.get_by_test_id("catalogue")).not_to_contain_text("Orto di quartiere")
    page.get_by_role("link", name="Gruppo di cammino").click()
    expect(page.get_by_test_id("public-initiative")).to_contain_text("Sala civica")
    page.get_by_role("link", name="Partecipa").click()
    page.get_by_role("main").get_by_role("link", name="Accedi").click()
    page.get_by_label("Nome per accedere o e-mail").fill(citizen.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").last.click()
    page.get_by_role("button", name="Conferma la partecipazione").click()
    expect(page.get_by_test_id("joined")).to_be_visible()
    page.goto("/")
    expect(page.get_by_test_id("my-initiatives")).to_contain_text("Gruppo di cammino")
    participation = Participation.objects.get()
    assert participation.person.account == citizen and participation.first_contact
