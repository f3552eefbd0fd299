"""Demo records of the market for `manage.py load_demo`: idempotent (the second run changes nothing)."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from trama.people.models import Consent, Organisation, Person, User
from trama.people.services import register_person

from . import services
from .models import Contribution, Match, Need, Offer, Slot, Weekday

ORGANISATIONS = [
    # name, sector, partner account is a member
    ("Associazione Il Ponte (demo)", Organisation.Sector.THIRD_SECTOR, True),
    ("Emporio solidale (demo)", Organisation.Sector.THIRD_SECTOR, True),
    ("Bottega di quartiere (demo)", Organisation.Sector.BUSINESS, False),
    ("Parrocchia del quartiere (demo)", Organisation.Sector.FAITH, False),
]
OFFERS = [
    # organisation index, kind, title, description, days, slots
    (
        0,
        "time",
        "Accompagniamo a fare la spesa",
        "Volontari che accompagnano a fare la spesa e aiutano a portarla a casa.",
        Weekday.SATURDAY | Weekday.WEDNESDAY,
        Slot.MORNING,
    ),
    (0, "skill", "Aiuto con le pratiche e lo smartphone", "Uno sportello per capire moduli, bollette, app e SPID.", Weekday.TUESDAY, Slot.AFTERNOON),
    (1, "goods", "Pacchi di spesa solidale", "Generi alimentari e prodotti per la casa, senza domande.", 0, 0),
    (
        1,
        "time",
        "Doposcuola e compiti insieme",
        "Ragazzi e volontari fanno i compiti insieme il pomeriggio.",
        Weekday.MONDAY | Weekday.THURSDAY,
        Slot.AFTERNOON,
    ),
    (2, "space", "Il retrobottega per riunioni", "Una stanza di 30 metri quadri per incontri di quartiere, la sera.", Weekday.FRIDAY, Slot.EVENING),
    (3, "space", "Sala parrocchiale per feste e pranzi", "Sala con cucina per pranzi condivisi.", Weekday.SUNDAY, Slot.MORNING),
]
PEOPLE = [
    # display name, need in their own words, what they can give
    (
        "Gino (demo)",
        "Da quando ho male alla gamba non riesco a portare a casa la spesa, mi servirebbe una mano il sabato.",
        ("knowhow", "So riparare le biciclette"),
    ),
    ("Amina (demo)", "Mio figlio ha bisogno di aiuto con i compiti di matematica.", ("knowhow", "Cucino piatti marocchini per le feste")),
    ("Rosa (demo)", "Vorrei capire come usare lo smartphone per parlare con mia nipote.", ("time", "Posso leggere ad alta voce ai bambini")),
]


@transaction.atomic
def load_demo(city):
    neighbourhoods = list(city.neighbourhoods.filter(is_pilot=True).order_by("name")) or list(city.neighbourhoods.order_by("name")[:2])
    if not neighbourhoods:
        return ""
    worker = User.objects.filter(username="operatore").first()
    partner = User.objects.filter(username="partner").first()
    scope = list(worker.neighbourhoods.all()) if worker else []
    home = scope[0] if scope else neighbourhoods[0]
    organisations = []
    for name, sector, with_partner in ORGANISATIONS:
        org, _created = Organisation.objects.get_or_create(city=city, name=name, defaults={"sector": sector})
        if with_partner and partner is not None:
            org.members.add(partner, through_defaults={"role": "referent"})
        organisations.append(org)

    offers = []
    for org_index, kind, title, description, days, slots in OFFERS:
        offer = Offer.objects.filter(city=city, title=title).first()
        if offer is None:
            offer = services.record_offer(
                organisation=organisations[org_index],
                kind=kind,
                title=title,
                description=description,
                neighbourhoods=[home] + [n for n in neighbourhoods if n != home][:1],
                by=worker,
                capacity=3,
                days=days,
                slots=slots,
            )
        offers.append(offer)

    people = []
    for name, need_text, (give_kind, give_text) in PEOPLE:
        person = Person.objects.filter(city=city, display_name=name).first()
        if person is None:
            person = register_person(
                by=worker,
                neighbourhood=home,
                display_name=name,
                channel=Person.Channel.OUTREACH,
                consents=[Consent.Purpose.REGISTRATION, Consent.Purpose.CONTACT],
            )
            services.record_need(person=person, text=need_text, neighbourhood=home, urgency="medium", by=worker)
            services.record_offer(person=person, kind=give_kind, title=give_text, neighbourhoods=[home], by=worker)
        people.append(person)

    need = Need.objects.filter(person=people[0]).first()
    if not Match.objects.filter(need=need).exists():
        match = services.propose_match(need=need, offer=offers[0], by=worker, reasons=["Parole in comune: spesa, sabato."])
        services.answer_match(match, side="need", yes=True, by=worker)
        match = services.answer_match(match, side="offer", yes=True, by=partner or worker)
        services.start_match(match, by=worker, follow_up_on=timezone.localdate() + timedelta(days=14))
        services.record_contribution(
            kind=Contribution.Kind.HOURS,
            quantity=Decimal("4"),
            on=timezone.localdate(),
            neighbourhood=home,
            by=worker,
            organisation=offers[0].organisation,
            match=match,
            note="Due sabati di spesa accompagnata",
        )
    return summary(city)


def summary(city):
    """The market's line of the demo report; printed after every app's demo, which may add needs."""
    return (
        f"Mercato: {Offer.objects.filter(city=city).count()} offerte, {Need.objects.filter(city=city).count()} richieste, "
        f"{Match.objects.filter(need__city=city).count()} abbinamenti, {Contribution.objects.filter(city=city).count()} contributi."
    )
