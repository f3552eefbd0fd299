"""Demo records of the collective app for `manage.py load_demo`: idempotent (the second run changes nothing).

Runs after the market, attention and themes demos: it adds a few similar needs so that an open
suggestion exists, an active group with a past meeting (minutes, a decision) and an upcoming
public neighbourhood table.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from trama.market import services as market
from trama.people.models import Consent, Person, User
from trama.people.services import register_person
from trama.territory.models import Place

from . import services
from .models import Group, Meeting, Suggestion

SIMILAR_NEEDS = [
    ("Ada (demo)", "Non riesco più a portare a casa la spesa, le borse sono troppo pesanti."),
    ("Bruno (demo)", "Mi servirebbe qualcuno che mi aiuti a portare a casa la spesa pesante."),
    ("Carla (demo)", "Da sola non ce la faccio a portare la spesa a casa, è pesante."),
    ("Dario (demo)", "Cerco aiuto per portare a casa la spesa pesante, non ho la macchina."),
    ("Elena (demo)", "La spesa è pesante da portare a casa a piedi."),
    ("Franco (demo)", "Vorrei una mano a portare a casa la spesa pesante il sabato."),
]
GROUP_PEOPLE = ["Amina (demo)", "Rosa (demo)"]


def _person(city, name, home, worker, consents):
    person = Person.objects.filter(city=city, display_name=name).first()
    if person is None:
        person = register_person(by=worker, neighbourhood=home, display_name=name, channel=Person.Channel.OUTREACH, consents=consents)
    return person


@transaction.atomic
def load_demo(city):
    worker = User.objects.filter(username="operatore").first()
    scope = list(worker.neighbourhoods.order_by("name")) if worker else []
    pilots = list(city.neighbourhoods.filter(is_pilot=True).order_by("name")) or list(city.neighbourhoods.order_by("name")[:1])
    home = scope[0] if scope else (pilots[0] if pilots else None)
    if home is None:
        return ""
    for name, text in SIMILAR_NEEDS:
        if not Person.objects.filter(city=city, display_name=name).exists():
            person = _person(city, name, home, worker, [Consent.Purpose.REGISTRATION, Consent.Purpose.CONTACT])
            market.record_need(person=person, text=text, neighbourhood=home, urgency="medium", by=worker)
    services.refresh_suggestions(city)

    place = Place.objects.filter(neighbourhood=home, is_public=True).order_by("pk").first()
    group = Group.objects.filter(city=city, name="Compiti insieme (demo)").first()
    if group is None:
        group = services.create_group(
            city=city,
            neighbourhood=home,
            name="Compiti insieme (demo)",
            purpose="Genitori e volontari che si trovano due pomeriggi a settimana per fare i compiti con i ragazzi.",
            by=worker,
        )
        members = [_person(city, name, home, worker, [Consent.Purpose.REGISTRATION]) for name in GROUP_PEOPLE]
        for person in members:
            services.add_member(group, person, by=worker, consent=True)
        group.activate()
        past = services.save_meeting(
            Meeting(
                group=group,
                title="Primo incontro (demo)",
                starts_at=timezone.now() - timedelta(days=14),
                place=place,
                agenda="Conoscersi; giorni e orari; che cosa serve.",
            ),
            by=worker,
        )
        services.record_attendance(
            past, by=worker, attendees=members, minutes="Ci siamo presentati. Ci troveremo il lunedì e il giovedì dalle 16 alle 18."
        )
        services.add_decision(
            past, by=worker, text="Chiedere alla biblioteca una stanza per il lunedì", owner=worker, due_date=timezone.localdate() + timedelta(days=7)
        )
    if not Meeting.objects.filter(city=city, title="Tavolo di quartiere (demo)").exists():
        starts = (timezone.localtime() + timedelta(days=10)).replace(hour=18, minute=0, second=0, microsecond=0)
        services.save_meeting(
            Meeting(
                city=city,
                neighbourhood=home,
                kind=Meeting.Kind.TABLE,
                title="Tavolo di quartiere (demo)",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place=place,
                is_public=True,
                agenda="Le iniziative dell'estate; gli spazi del quartiere; proposte di chi partecipa.",
            ),
            by=worker,
        )
    return (
        f"Gruppi: {Suggestion.objects.filter(city=city, status=Suggestion.Status.OPEN).count()} proposte aperte, "
        f"{Group.objects.filter(city=city).count()} gruppi, {Meeting.objects.filter(city=city).count()} incontri."
    )
