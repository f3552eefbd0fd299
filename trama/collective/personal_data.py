"""The collective app's part of the registry of personal data: memberships, attendance, decisions."""

from django.utils.translation import gettext_lazy as _

from trama.privacy.registry import (
    BASIS_CONSENT,
    BASIS_PUBLIC_TASK,
    KEPT_24_MONTHS,
    KEPT_WHILE_ACTIVE,
    Erase,
    declare,
    not_about_people,
)

declare(
    "collective.Suggestion",
    subject=["people"],
    purpose=_("Le proposte di convocare un gruppo a partire da bisogni simili"),
    basis=BASIS_PUBLIC_TASK, retention=KEPT_24_MONTHS, months=24,
    actors=["decided_by"], texts=["purpose", "dismissed_reason"],
    withheld=["items", "key_phrases"],  # the other people's needs and the words drawn from them
    erase=Erase.remove("people"),  # its size stays: a count, not a list of people
)
declare(
    "collective.Membership",
    subject=["person"],
    purpose=_("I gruppi di cui la persona fa parte"),
    basis=BASIS_CONSENT, retention=KEPT_WHILE_ACTIVE,
    actors=["consent_recorded_by"],
    # A count, not a name: the row stays on the emptied record, so the group's size and the share of
    # needs brought into a group (G4) of closed periods stay the same.
    erase=Erase.keep("The person's record is emptied of names and contacts: the membership only counts."),
)
declare(
    "collective.Meeting",
    subject=["attendees"], mentions=["agenda", "minutes"],
    purpose=_("Gli incontri di gruppo e i tavoli di quartiere a cui la persona ha partecipato o che la nominano"),
    basis=BASIS_PUBLIC_TASK, retention=KEPT_24_MONTHS, months=24,
    actors=["created_by"], texts=["agenda", "minutes"],
    erase=Erase.call("trama.collective.services.erase_from_meetings",
                     "Out of the attendees, attendance_count keeping the number present; the name taken out of agenda and minutes."),
)
declare(
    "collective.Decision",
    subject=["owner__person"], by_name=["owner_name"],
    purpose=_("Le decisioni degli incontri affidate alla persona"),
    basis=BASIS_PUBLIC_TASK, retention=KEPT_24_MONTHS, months=24,
    texts=["text"],
    erase=Erase.anonymise(blank=["owner_name"], unlink=["owner"], scrub=["text"]),
)
not_about_people("collective.Group", actors=["facilitator", "created_by"], texts=["purpose", "closing_note"],
                 reason="A group's aim and closing note describe the group; its members are Membership rows.")
not_about_people("collective.SuggestionRefresh", actors=["requested_by"],
                 reason="A refresh of the suggestions asked for from their page: who asked and how many changed, no person.")
