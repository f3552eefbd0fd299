"""Demo records of the attention network for `manage.py load_demo`: idempotent (the second run changes nothing)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trama.people.models import User

from . import services
from .models import Antenna, Signal, TrainingModule, TrainingSession

MODULES = [
    (
        "Accorgersi senza invadere",
        "Che cosa notare: una persona che non si vede più, la spesa che cambia, la posta che si accumula.\n\n"
        "Come avvicinarsi con rispetto, senza domande che mettono in imbarazzo.\n\n"
        "Quando e come segnalare: bastano poche parole, il nome non serve.",
        90,
    ),
    (
        "A chi passare la parola",
        "La rete del quartiere: operatori di comunità, punti di comunità, servizi.\n\n"
        "Che cosa succede dopo una segnalazione e perché non ti diremo i dettagli.\n\n"
        "In caso di pericolo immediato: 112.",
        60,
    ),
]
SIGNALS = [
    # text, urgency, age band, household, days ago
    (
        "Una signora anziana che veniva ogni settimana in farmacia non si vede da un mese; l'ultima volta sembrava confusa.",
        Signal.Urgency.MEDIUM,
        Signal.AgeBand.ELDERLY,
        Signal.Household.ALONE,
        3,
    ),
    (
        "Un uomo sulla cinquantina chiede spesso di pagare i farmaci la volta dopo; dice di aver perso il lavoro.",
        Signal.Urgency.LOW,
        Signal.AgeBand.ADULT,
        "",
        10,
    ),
    (
        "Una mamma con due bambini piccoli sembra molto stanca e sola, ha chiesto se c'è qualcuno che aiuta con i compiti.",
        Signal.Urgency.MEDIUM,
        Signal.AgeBand.ADULT,
        Signal.Household.CHILDREN,
        1,
    ),
]


@transaction.atomic
def load_demo(city):
    account = User.objects.filter(username="antenna", city=city).first()
    coordinator = User.objects.filter(username="coordinatrice").first()
    antenna = None
    if account is not None:
        antenna, created = Antenna.objects.get_or_create(account=account, defaults={"kind": Antenna.Kind.PHARMACY, "onboarded_by": coordinator})
    modules = []
    for title, content, minutes in MODULES:
        module, created = TrainingModule.objects.get_or_create(city=city, title=title, defaults={"content": content, "duration_minutes": minutes})
        modules.append(module)
    session = TrainingSession.objects.filter(module=modules[0]).first()
    if session is None:
        session = TrainingSession.objects.create(
            module=modules[0], starts_at=timezone.now() - timezone.timedelta(days=20), location="Centro civico del quartiere"
        )
    if antenna is not None:
        services.record_attendance(session, [antenna], by=coordinator)
        neighbourhoods = list(account.neighbourhoods.order_by("name"))
        if neighbourhoods and not Signal.objects.filter(sent_by=account).exists():
            for n, (text, urgency, age_band, household, days) in enumerate(SIGNALS):
                signal = services.send_signal(
                    by=account,
                    neighbourhood=neighbourhoods[n % len(neighbourhoods)],
                    text=text,
                    urgency=urgency,
                    age_band=age_band,
                    household=household,
                )
                Signal.objects.filter(pk=signal.pk).update(created_at=timezone.now() - timezone.timedelta(days=days))
    signals = Signal.objects.filter(sent_by=account).count() if account else 0
    return _("Rete di attenzione: %(modules)d moduli formativi, %(signals)d segnalazioni dell'antenna dimostrativa.") % {
        "modules": len(modules),
        "signals": signals,
    }
