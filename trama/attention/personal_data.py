"""The attention app's part of the registry of personal data: antennas, signals, outreach, encounters."""

from django.utils.translation import gettext_lazy as _

from trama.privacy.registry import (
    BASIS_PUBLIC_TASK,
    KEPT_24_MONTHS,
    KEPT_SIGNALS,
    KEPT_WHILE_ACTIVE,
    Erase,
    declare,
    not_about_people,
)

declare(
    "attention.Antenna",
    subject=["account__person"],
    purpose=_("Il ruolo di antenna della persona nel quartiere"),
    basis=BASIS_PUBLIC_TASK, retention=KEPT_WHILE_ACTIVE,
    actors=["onboarded_by"],
    erase=Erase.delete(),
)
declare(
    "attention.Attendance",
    subject=["antenna__account__person"],
    purpose=_("La partecipazione alle formazioni per antenne"),
    basis=BASIS_PUBLIC_TASK, retention=KEPT_WHILE_ACTIVE,
    actors=["recorded_by"],
    erase=Erase.delete(),
)
declare(
    "attention.Signal",
    subject=["person"],
    purpose=_("Le segnalazioni che riguardano la persona e il loro seguito"),
    basis=BASIS_PUBLIC_TASK, retention=KEPT_SIGNALS, months=12,  # TRAMA_SIGNAL_RETENTION_DAYS, for signals that led to nothing
    # The antenna who sent it and the worker who took it up, at work.
    actors=["sent_by", "assigned_to"], texts=["text", "outcome_note"],
    withheld=["sent_by"],  # who signalled: an antenna must be able to speak up without being named
    erase=Erase.anonymise(blank=["text", "outcome_note"]),
)
declare(
    "attention.OutreachTask",
    subject=["signal__person"],
    purpose=_("Le uscite e i contatti programmati per incontrare la persona"),
    basis=BASIS_PUBLIC_TASK, retention=KEPT_24_MONTHS, months=24,
    actors=["assigned_to", "created_by"], texts=["plan", "result"],
    erase=Erase.anonymise(blank=["plan", "result"]),
)
declare(
    "attention.Encounter",
    subject=["person"],
    purpose=_("Gli incontri con gli operatori e le loro note"),
    basis=BASIS_PUBLIC_TASK, retention=KEPT_24_MONTHS, months=24,
    actors=["worker"], texts=["notes"],
    erase=Erase.anonymise(blank=["notes"]),
)
not_about_people("attention.TrainingModule", texts=["content"], reason="Course material for antennas.")
