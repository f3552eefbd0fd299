"""The privacy app's own part of the registry of personal data."""

from django.utils.translation import gettext_lazy as _

from .registry import BASIS_PUBLIC_TASK, BASIS_SECURITY, KEPT_AUDIT, Erase, declare

declare(
    "privacy.AuditEntry",
    subject=["actor__person"],
    purpose=_("Sapere chi ha letto o modificato dati personali, e quando"),
    basis=BASIS_SECURITY, retention=KEPT_AUDIT, months=60,
    texts=["reason", "path"],
    # actor_label holds the account's pseudonymous id, never its username (audit._entry).
    erase=Erase.keep("The log is append-only; it names accounts by their pseudonymous id and records the erasure itself."),
)
declare(
    "privacy.DataExport",
    subject=["person"],
    purpose=_("Le richieste di copia dei dati personali e la loro consegna"),
    basis=BASIS_SECURITY, retention=_("Il file fino a quando è scaricato o scade; la richiesta 5 anni"), months=60,
    actors=["requested_by"],
    hidden=["content", "token"],  # the file is this very record; the token opens it
    erase=Erase.delete(),
)
declare(
    "privacy.ErasureRequest",
    subject=["person"],
    purpose=_("Le richieste di cancellazione dei dati, la decisione e quando sono state eseguite"),
    basis=BASIS_PUBLIC_TASK, retention=KEPT_AUDIT, months=60,
    actors=["requested_by", "decided_by"], texts=["reason", "refusal_reason"],
    # The request, its decision and its dates stay, to show the erasure was done; its words go.
    erase=Erase.anonymise(blank=["reason", "refusal_reason"]),
)
declare(
    "privacy.Rectification",
    subject=["person"],
    purpose=_("Le rettifiche dei dati chieste dalla persona: quando, perché e quali dati (non i valori)"),
    basis=BASIS_SECURITY, retention=KEPT_AUDIT, months=60,
    actors=["made_by"], texts=["reason"],
    # That the data were corrected, and which, stays to show the request was answered; the words go.
    erase=Erase.anonymise(blank=["reason"]),
)
