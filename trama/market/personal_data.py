"""The market app's part of the registry of personal data: offers, needs, matches and the ledger."""

from django.utils.translation import gettext_lazy as _

from trama.privacy.registry import (
    BASIS_PUBLIC_TASK,
    KEPT_24_MONTHS,
    KEPT_LEDGER,
    Erase,
    declare,
    not_about_people,
)

declare(
    "market.Offer",
    subject=["person"],
    purpose=_("Quello che la persona offre (tempo, competenze, spazi, beni)"),
    basis=BASIS_PUBLIC_TASK, retention=KEPT_24_MONTHS, months=24,
    actors=["created_by"], texts=["description", "search_tokens"],
    hidden=["search_tokens"],  # a copy of the title and description, for search
    rectifiable=["title", "description"], rectifiable_by_person=["title", "description"],
    # Kept without words, and withdrawn, for the matches and contributions that point at them; still the
    # (emptied) person's, so that "who gives and receives" of closed periods does not change.
    erase=Erase.call("trama.market.services.erase_offers", "Title and description emptied, the offer withdrawn."),
)
declare(
    "market.Need",
    subject=["person"],
    purpose=_("Quello di cui la persona ha bisogno, con le sue parole"),
    basis=BASIS_PUBLIC_TASK, retention=KEPT_24_MONTHS, months=24,
    actors=["created_by"], texts=["text", "search_tokens"],
    hidden=["search_tokens"],  # a copy of the text, for search
    rectifiable=["text"], rectifiable_by_person=["text"],
    erase=Erase.call("trama.market.services.erase_needs", "Words emptied; a need still waiting is withdrawn."),
)
declare(
    "market.Match",
    subject=["need__person", "offer__person"],
    purpose=_("Gli abbinamenti tra richieste e offerte, e come sono andati"),
    basis=BASIS_PUBLIC_TASK, retention=KEPT_24_MONTHS, months=24,
    actors=["proposed_by"], texts=["outcome", "need_feedback", "offer_feedback"],
    # The other side is told the match ended (it reads «Annullato»), without a reason.
    erase=Erase.call("trama.market.services.erase_matches", "Active matches cancelled; outcome, comments and reasons emptied."),
)
declare(
    "market.Contribution",
    subject=["person"],
    purpose=_("Il registro dei contributi dati (ore, beni, spazi, euro)"),
    basis=BASIS_PUBLIC_TASK, retention=KEPT_LEDGER, months=24,
    actors=["recorded_by"], texts=["note"],
    # The amounts stay, on the emptied record (a number, no name), so that the indicators of closed
    # periods do not change: "collaborators" counts givers by their id.
    erase=Erase.anonymise(blank=["note"]),
)
not_about_people("market.Rate", actors=["updated_by"], reason="A rate of the ledger; the link names the coordinator who set it.")
