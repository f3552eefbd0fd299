"""The practices app's part of the registry of personal data: the mandates in the programme's bodies."""

from django.utils.translation import gettext_lazy as _

from trama.privacy.registry import BASIS_PUBLIC_TASK, SEEN_BY_STAFF, Erase, Expiry, declare, not_about_people

declare(
    "practices.Mandate",
    subject=["member__person"],
    by_name=["member_name"],
    purpose=_("I mandati della persona negli organismi del programma (cabina di regia, tavoli di quartiere)"),
    basis=BASIS_PUBLIC_TASK,
    retention=_("Per la durata del mandato e 5 anni dopo, come gli atti degli organismi"),
    months=60,
    erase=Erase.anonymise(blank=["member_name"], unlink=["member"]),
    seen_by=SEEN_BY_STAFF,
    expires=Expiry(
        clock="ends_on",
        erase=Erase.anonymise(blank=["member_name"], unlink=["member"]),
        why=_("Cinque anni dopo la fine del mandato resta il ruolo e l'organizzazione rappresentata, senza il nome."),
    ),
)
not_about_people(
    "practices.Practice",
    actors=["written_by", "reviewed_by"],
    texts=["review_note", "what_we_did", "with_whom", "what_it_took", "what_worked", "what_we_would_change"],
    reason=(
        "A practice sheet tells how an activity was done, by organisations and roles; the form asks for no names "
        "and publishing refuses the names of the people linked to its group or initiative, phone numbers, e-mails and tax codes."
    ),
)
not_about_people("practices.Body", texts=["remit"], reason="What a body of the programme deals with; its members are Mandate rows.")
