"""The collective app's part of the registry of personal data: memberships, attendance, decisions."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trama.privacy.registry import (
    BASIS_CONSENT,
    BASIS_PUBLIC_TASK,
    KEPT_24_MONTHS,
    KEPT_WHILE_ACTIVE,
    SEEN_BY_STAFF,
    Erase,
    Expiry,
    declare,
    not_about_people,
)

declare(
    "collective.Suggestion",
    subject=["people"],
    purpose=_("Le proposte di convocare un gruppo a partire da bisogni simili"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_24_MONTHS,
    months=24,
    actors=["decided_by"],
    texts=["purpose", "dismissed_reason"],
    withheld=["items", "key_phrases"],  # the other people's needs and the words drawn from them
    # Its size stays: a count, not a list of people.
    erase=Erase.call(
        "trama.collective.services.erase_from_suggestions",
        "The person leaves its people and its items, and its key phrases go (they may be her words).",
    ),
    seen_by=_("Il coordinamento della città (senza i nomi); gli operatori del quartiere della proposta"),
    expires=Expiry(
        clock="decided_at",
        ended=Q(status__in=["dismissed", "convened"]),
        function="trama.collective.services.anonymise_expired_suggestions",
        erase=Erase.anonymise(),
        pending=Q(people__isnull=False) | ~Q(purpose="") | ~Q(dismissed_reason=""),
        why=_("Chi era in una proposta decisa da due anni non serve più a nessuna decisione; restano quartiere, numero ed esito."),
    ),
)
declare(
    "collective.Membership",
    subject=["person"],
    purpose=_("I gruppi di cui la persona fa parte"),
    basis=BASIS_CONSENT,
    retention=KEPT_WHILE_ACTIVE,
    actors=["consent_recorded_by"],
    # A count, not a name: the row stays on the emptied record, so the group's size and the share of
    # needs brought into a group (G4) of closed periods stay the same.
    erase=Erase.keep("The person's record is emptied of names and contacts: the membership only counts."),
    seen_by=_("Il coordinamento della città, gli operatori dei quartieri assegnati e gli altri membri del gruppo"),
)
declare(
    "collective.Meeting",
    subject=["attendees"],
    mentions=["agenda", "minutes"],
    purpose=_("Gli incontri di gruppo e i tavoli di quartiere a cui la persona ha partecipato o che la nominano"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_24_MONTHS,
    months=24,
    actors=["created_by"],
    texts=["agenda", "minutes"],
    erase=Erase.call(
        "trama.collective.services.erase_from_meetings",
        "Out of the attendees, attendance_count keeping the number present; the name taken out of agenda and minutes.",
    ),
    seen_by=_("Il coordinamento della città e gli operatori dei quartieri assegnati; i membri del gruppo ne vedono titolo, data e luogo"),
    expires=Expiry(
        clock="starts_at",
        function="trama.collective.services.anonymise_expired_meetings",
        erase=Erase.anonymise(),
        pending=Q(attendees__isnull=False) | ~Q(agenda="") | ~Q(minutes=""),
        why=_(
            "Verbali e presenze con il nome servono al gruppo mentre lavora; dopo due anni resta quanti erano presenti, che gli indicatori contano."
        ),
    ),
)
declare(
    "collective.Decision",
    subject=["owner__person"],
    by_name=["owner_name"],
    purpose=_("Le decisioni degli incontri affidate alla persona"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_24_MONTHS,
    months=24,
    texts=["text"],
    erase=Erase.anonymise(blank=["owner_name"], unlink=["owner"], scrub=["text"]),
    seen_by=SEEN_BY_STAFF,
    expires=Expiry(
        clock="created_at",
        erase=Erase.anonymise(blank=["owner_name"], unlink=["owner"]),
        why=_("Chi si era preso un impegno due anni fa non serve più a seguirlo; la decisione resta, senza il nome."),
    ),
)
not_about_people(
    "collective.Group",
    actors=["facilitator", "created_by"],
    texts=["purpose", "closing_note"],
    reason="A group's aim and closing note describe the group; its members are Membership rows.",
)
not_about_people(
    "collective.SuggestionRefresh",
    actors=["requested_by"],
    reason="A refresh of the suggestions asked for from their page: who asked and how many changed, no person.",
)
