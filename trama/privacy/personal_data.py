"""The privacy app's own part of the registry of personal data."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .registry import BASIS_PUBLIC_TASK, BASIS_SECURITY, KEPT_AUDIT, SEEN_BY_STAFF_AND_PERSON, Erase, Expiry, declare

declare(
    "privacy.AuditEntry",
    subject=["actor__person"],
    purpose=_("Sapere chi ha letto o modificato dati personali, e quando"),
    basis=BASIS_SECURITY,
    retention=KEPT_AUDIT,
    months=60,
    texts=["reason", "path"],
    # actor_label holds the account's pseudonymous id, never its username (audit._entry).
    erase=Erase.keep("The log is append-only; it names accounts by their pseudonymous id and records the erasure itself."),
    seen_by=_("Il coordinamento della città; la persona, nella copia dei suoi dati, sa per ruolo chi ha letto o modificato i suoi dati"),
    # The database refuses to delete younger entries (migration 0008), whatever the setting says.
    expires=Expiry(
        clock="at",
        erase=Erase.delete(),
        function="trama.privacy.audit.drop_expired",
        pending=Q(),
        why=_(
            "Cinque anni permettono di rispondere a una richiesta o a un reclamo su chi ha letto i dati, "
            "anche tardivi, e di verificare un incidente di sicurezza."
        ),
    ),
)
declare(
    "privacy.DataExport",
    subject=["person"],
    purpose=_("Le richieste di copia dei dati personali e la loro consegna"),
    basis=BASIS_SECURITY,
    retention=_("Il file fino a quando è scaricato o scade; la richiesta 5 anni"),
    months=60,
    actors=["requested_by"],
    hidden=["content", "token"],  # the file is this very record; the token opens it
    erase=Erase.delete(),
    seen_by=_("Chi l'ha chiesta; il coordinamento della città"),
    # The file itself goes much sooner, TRAMA_PRIVACY_EXPORT_HOURS after it is ready, on the same schedule.
    expires=Expiry(
        clock="created_at",
        ended=Q(status__in=["delivered", "expired", "failed"]),
        why=_("La richiesta di una copia dei dati si conserva quanto il registro degli accessi, per dimostrare di aver risposto."),
    ),
)
declare(
    "privacy.ErasureRequest",
    subject=["person"],
    purpose=_("Le richieste di cancellazione dei dati, la decisione e quando sono state eseguite"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_AUDIT,
    months=60,
    actors=["requested_by", "decided_by"],
    texts=["reason", "refusal_reason"],
    # The request, its decision and its dates stay, to show the erasure was done; its words go.
    erase=Erase.anonymise(blank=["reason", "refusal_reason"]),
    seen_by=_("Chi l'ha registrata; il coordinamento della città"),
    expires=Expiry(
        clock="requested_at",
        ended=Q(status__in=["done", "refused"]),
        why=_("Dopo cinque anni resta che la cancellazione è stata chiesta, decisa ed eseguita, non le note che la accompagnavano."),
    ),
)
declare(
    "privacy.Rectification",
    subject=["person"],
    purpose=_("Le rettifiche dei dati chieste dalla persona: quando, perché e quali dati (non i valori)"),
    basis=BASIS_SECURITY,
    retention=KEPT_AUDIT,
    months=60,
    actors=["made_by"],
    texts=["reason"],
    # That the data were corrected, and which, stays to show the request was answered; the words go.
    erase=Erase.anonymise(blank=["reason"]),
    seen_by=SEEN_BY_STAFF_AND_PERSON,
    expires=Expiry(clock="made_at", why=_("Dopo cinque anni resta che i dati sono stati rettificati, e quali, non il motivo scritto.")),
)
