"""The imports app's part of the registry of personal data: the log of what a list about people changed."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trama.privacy.registry import BASIS_PUBLIC_TASK, Erase, Expiry, declare, not_about_people

# The kinds of list about people (Import.Kind): only their logs hold someone's values.
PERSONAL = ["people", "offers", "needs", "antennas"]

not_about_people(
    "imports.Import",
    actors=["requested_by", "undone_by"],
    texts=["error"],
    reason=(
        "An import holds a list (its file, its preview rows and what it changed) and names the staff member who made or "
        "undid it. A list about people (people, their offers and needs, antennas) is kept only until it is imported or "
        "refused: its file is then dropped, and its preview rows name each row by its external id and neighbourhood, "
        "never by a person's name. The people it created are declared by the apps that own them (people, market, "
        "attention). What remains of them here is the log of changes (values a re-import replaced, to put them back "
        "on undo), declared below as imports.Change."
    ),
)
declare(
    "imports.Change",
    subject=["person"],
    purpose=_("Quello che un'importazione ha scritto nel record della persona e i valori che c'erano prima, per poterla annullare"),
    basis=BASIS_PUBLIC_TASK,
    retention=_("12 mesi dall'importazione, poi cancellato: l'importazione non si può più annullare"),
    months=12,
    erase=Erase.delete(),
    seen_by=_("Nessuno sullo schermo: lo legge solo l'annullamento dell'importazione"),
    expires=Expiry(
        clock="created_at",
        ended=Q(run__kind__in=PERSONAL),
        why=_("Un elenco importato da più di un anno è stato controllato da tempo: i valori tenuti per annullarlo non servono più."),
    ),
)
