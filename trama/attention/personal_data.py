"""The attention app's part of the registry of personal data: antennas, signals, outreach, encounters."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trama.privacy.registry import (
    BASIS_CONSENT,
    BASIS_PUBLIC_TASK,
    KEPT_24_MONTHS,
    KEPT_SIGNALS,
    KEPT_WHILE_ACTIVE,
    SEEN_BY_STAFF,
    Erase,
    Expiry,
    declare,
    not_about_people,
)

declare(
    "attention.Antenna",
    subject=["account__person"],
    purpose=_("Il ruolo di antenna della persona nel quartiere"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_WHILE_ACTIVE,
    actors=["onboarded_by"],
    seen_by=SEEN_BY_STAFF,
    erase=Erase.call(
        "trama.attention.services.erase_antennas",
        "The profile stays inactive, with the date it stopped, so the indicators of ended periods "
        "still count her; it holds no name (the account is renamed) and asks for no more e-mails.",
    ),
)
declare(
    "attention.Attendance",
    subject=["antenna__account__person"],
    purpose=_("La partecipazione alle formazioni per antenne"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_WHILE_ACTIVE,
    actors=["recorded_by"],
    seen_by=SEEN_BY_STAFF,
    erase=Erase.keep("That an inactive profile with a renamed account attended a session: the count of trained antennas of ended periods."),
)
declare(
    "attention.Enrolment",
    subject=["antenna__account__person"],
    purpose=_("Le iscrizioni dell'antenna agli incontri di formazione in presenza"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_WHILE_ACTIVE,
    seen_by=_("L'antenna stessa; chi lavora nei suoi quartieri e il coordinamento della città, per segnare le presenze"),
    erase=Erase.delete(),
)
declare(
    "attention.Signal",
    subject=["person"],
    purpose=_("Le segnalazioni che riguardano la persona e il loro seguito"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_SIGNALS,
    months=12,
    # The antenna who sent it and the worker who took it up, at work.
    actors=["sent_by", "assigned_to"],
    texts=["text", "outcome_note"],
    withheld=["sent_by"],  # who signalled: an antenna must be able to speak up without being named
    erase=Erase.anonymise(blank=["text", "outcome_note"]),
    seen_by=_("Il coordinamento della città e gli operatori dei quartieri assegnati; l'antenna che l'ha inviata ne vede solo lo stato"),
    # What stays (neighbourhood, dates, urgency, outcome) feeds the indicators and names no one.
    expires=[
        Expiry(
            clock="closed_at",
            ended=Q(status="closed", first_contact_at__isnull=True, person__isnull=True),
            erase=Erase.anonymise(),
            function="trama.attention.services.anonymise_expired_signals",
            pending=Q(anonymised_at__isnull=True),
            why=_(
                "Una segnalazione senza seguito non riguarda nessuno che il programma conosca: un anno basta a "
                "riconoscere una situazione che si ripete."
            ),
        ),
        Expiry(
            name="contatto",
            months=24,
            clock="closed_at",
            ended=Q(status="closed") & (Q(first_contact_at__isnull=False) | Q(person__isnull=False)),
            erase=Erase.anonymise(),
            function="trama.attention.services.anonymise_expired_signals",
            pending=Q(anonymised_at__isnull=True),
            why=_(
                "Due anni dopo la chiusura il lavoro con la persona continua, se continua, negli incontri e "
                "nelle richieste; il testo della segnalazione non serve più."
            ),
        ),
    ],
)
declare(
    "attention.OutreachTask",
    subject=["signal__person"],
    purpose=_("Le uscite e i contatti programmati per incontrare la persona"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_24_MONTHS,
    months=24,
    actors=["assigned_to", "created_by"],
    texts=["plan", "result"],
    erase=Erase.anonymise(blank=["plan", "result"]),
    seen_by=SEEN_BY_STAFF,
    expires=Expiry(
        clock="due_date",
        ended=~Q(status="planned"),
        why=_(
            "Le note di un'uscita servono a preparare le successive: due anni coprono un percorso di "
            "aggancio; restano data, quartiere ed esito per gli indicatori."
        ),
    ),
)
declare(
    "attention.Encounter",
    subject=["person"],
    purpose=_("Gli incontri con gli operatori e le loro note"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_24_MONTHS,
    months=24,
    actors=["worker"],
    texts=["notes"],
    erase=Erase.anonymise(blank=["notes"]),
    seen_by=SEEN_BY_STAFF,
    expires=Expiry(
        clock="happened_at",
        why=_(
            "Le note di un incontro servono a chi continua il lavoro con la persona: dopo due anni restano "
            "il fatto, il luogo e la data, che gli indicatori contano."
        ),
    ),
)
declare(
    "attention.AntennaApplication",
    subject=["account__person"],
    by_name=["name"],  # until accepted, the applicant is no one's record: only her name says whose it is
    purpose=_("La candidatura come antenna, i recapiti per ricontattare chi si propone e il consenso a farlo"),
    basis=BASIS_CONSENT,
    retention=_("12 mesi dall'arrivo, poi cancellata"),
    months=12,
    actors=["decided_by"],
    texts=["decline_reason"],
    hidden=["source"],  # a keyed hash of the address it came from, only to brake floods: nothing to give back
    erase=Erase.delete(),
    seen_by=_("Il coordinamento della città e gli operatori del quartiere scelto"),
    expires=Expiry(
        clock="created_at",
        why=_(
            "Un anno basta a ricontattare chi si è proposto e a decidere; se è stata accolta, da allora i dati "
            "dell'antenna sono quelli del suo account."
        ),
    ),
)
declare(
    "attention.LessonDone",
    subject=["account__person"],
    purpose=_("Le lezioni della formazione online seguite dall'antenna"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_WHILE_ACTIVE,
    erase=Erase.delete(),
    seen_by=_("L'antenna stessa"),
)
declare(
    "attention.ModuleCompleted",
    subject=["account__person"],
    purpose=_("I moduli della formazione online completati dall'antenna"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_WHILE_ACTIVE,
    erase=Erase.delete(),
    seen_by=_("L'antenna stessa; contati per quartiere e tipo di antenna nella pagina della copertura"),
)
not_about_people("attention.TrainingModule", texts=["content"], reason="Course material for antennas.")
