"""The market app's part of the registry of personal data: offers, needs, matches and the ledger."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trama.privacy.registry import (
    BASIS_PUBLIC_TASK,
    KEPT_24_MONTHS,
    KEPT_LEDGER,
    SEEN_BY_STAFF,
    SEEN_BY_STAFF_AND_PERSON,
    Erase,
    Expiry,
    declare,
    not_about_people,
)

declare(
    "market.Offer",
    subject=["person"],
    purpose=_("Quello che la persona offre (tempo, competenze, spazi, beni)"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_24_MONTHS,
    months=24,
    actors=["created_by"],
    texts=["description", "search_tokens"],
    hidden=["search_tokens", "embedding"],  # a copy of the title and description, for search; numbers computed from them
    rectifiable=["title", "description"],
    rectifiable_by_person=["title", "description"],
    # Kept without words, and withdrawn, for the matches and contributions that point at them; still the
    # (emptied) person's, so that "who gives and receives" of closed periods does not change.
    erase=Erase.call("trama.market.services.erase_offers", "Title and description emptied, the offer withdrawn."),
    seen_by=_(
        "Il coordinamento della città, gli operatori dei quartieri dell'offerta e la persona stessa; le offerte "
        "aperte delle organizzazioni sono pubbliche"
    ),
    expires=Expiry(
        clock="updated_at",
        ended=Q(status="withdrawn"),
        erase=Erase.anonymise(),
        function="trama.market.services.anonymise_expired_offers",
        pending=~Q(title="") | ~Q(description="") | ~Q(search_tokens="") | Q(embedding__isnull=False),
        why=_("Un'offerta ritirata da due anni non si abbina più; resta, senza parole, per gli abbinamenti e il registro che la citano."),
    ),
)
declare(
    "market.Need",
    subject=["person"],
    purpose=_("Quello di cui la persona ha bisogno, con le sue parole"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_24_MONTHS,
    months=24,
    actors=["created_by"],
    texts=["text", "search_tokens"],
    hidden=["search_tokens", "embedding"],  # a copy of the text, for search; numbers computed from it
    rectifiable=["text"],
    rectifiable_by_person=["text"],
    erase=Erase.call("trama.market.services.erase_needs", "Words emptied; a need still waiting is withdrawn."),
    seen_by=SEEN_BY_STAFF_AND_PERSON,
    expires=Expiry(
        clock="updated_at",
        ended=Q(status__in=["met", "withdrawn"]),
        erase=Erase.anonymise(blank=["text", "search_tokens", "embedding"]),
        why=_("Una richiesta chiusa da due anni non serve più a nessun abbinamento; restano tipo, quartiere ed esito per gli indicatori."),
    ),
)
declare(
    "market.Match",
    subject=["need__person", "offer__person"],
    purpose=_("Gli abbinamenti tra richieste e offerte, e come sono andati"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_24_MONTHS,
    months=24,
    actors=["proposed_by"],
    texts=["outcome", "need_feedback", "offer_feedback"],
    # The other side is told the match ended (it reads «Annullato»), without a reason.
    erase=Erase.call("trama.market.services.erase_matches", "Active matches cancelled; outcome, comments and reasons emptied."),
    seen_by=_("Il coordinamento della città, gli operatori del quartiere della richiesta, le due parti (e i membri dell'organizzazione che offre)"),
    expires=Expiry(
        clock="closed_at",
        ended=Q(status__in=["done", "declined", "cancelled"]),
        erase=Erase.anonymise(blank=["outcome", "need_feedback", "offer_feedback", "reasons"]),
        why=_("I commenti su un abbinamento chiuso da due anni non servono più; restano esito e date per gli indicatori."),
    ),
)
declare(
    "market.Contribution",
    subject=["person"],
    purpose=_("Il registro dei contributi dati (ore, beni, spazi, euro)"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_LEDGER,
    months=24,
    actors=["recorded_by"],
    texts=["note"],
    # The amounts stay, on the emptied record (a number, no name), so that the indicators of closed
    # periods do not change: "collaborators" counts givers by their id.
    erase=Erase.anonymise(blank=["note"]),
    seen_by=SEEN_BY_STAFF,
    expires=Expiry(
        clock="on",
        why=_(
            "Il registro dei contributi rende conto del valore generato: gli importi restano per gli "
            "indicatori dei periodi chiusi, la nota dopo due anni no."
        ),
    ),
)
not_about_people("market.Rate", actors=["updated_by"], reason="A rate of the ledger; the link names the coordinator who set it.")
