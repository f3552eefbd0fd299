"""The people app's part of the registry of personal data: people, accounts and what secures them.

The accounts' second-factor devices (django-otp) and Django's admin log link to accounts too;
accounts are this app's, so it declares them.
"""

from django.utils.translation import gettext_lazy as _

from trama.privacy.registry import (
    BASIS_CONSENT,
    BASIS_PUBLIC_TASK,
    BASIS_SECURITY,
    BASIS_SERVICE,
    KEPT_WHILE_ACTIVE,
    SEEN_BY_ACCOUNT,
    SEEN_BY_STAFF_AND_PERSON,
    Erase,
    declare,
    not_about_people,
)

declare(
    "people.Person",
    subject=["pk"],
    purpose=_("Riconoscere la persona nel programma: nome o soprannome, quartiere, come ci siamo conosciuti"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_WHILE_ACTIVE,
    actors=["account", "created_by"],
    # Whether services already knew the person is staff's assessment: staff correct it on request, the person does not.
    rectifiable=["display_name", "first_name", "last_name", "phone", "email", "known_to_services"],
    rectifiable_by_person=["display_name", "first_name", "last_name", "phone", "email"],
    erase=Erase.call(
        "trama.people.services.erase_people", "Names and contacts emptied, the pseudonymous id kept, anonymised_at set: the page says when."
    ),
    seen_by=SEEN_BY_STAFF_AND_PERSON,
)
declare(
    "people.User",
    subject=["person"],
    purpose=_("L'account con cui la persona accede a Trama"),
    basis=BASIS_SERVICE,
    retention=KEPT_WHILE_ACTIVE,
    actors=["invited_by"],
    hidden=["password"],  # a hash, useless to the person and a risk in a file
    erase=Erase.call(
        "trama.people.services.erase_accounts", "Disabled, names and e-mail replaced by the pseudonymous id, sessions ended, tokens revoked."
    ),
    seen_by=SEEN_BY_ACCOUNT,
)
declare(
    "people.Organisation",
    subject=["members__person"],
    purpose=_("Le realtà di cui la persona fa parte"),
    basis=BASIS_SERVICE,
    retention=KEPT_WHILE_ACTIVE,
    texts=["description"],
    erase=Erase.remove("members"),
    seen_by=_("Il coordinamento della città, gli operatori e i membri dell'organizzazione"),
)
declare(
    "people.Membership",
    subject=["account__person"],
    purpose=_("Le organizzazioni per cui l'account agisce, come referente o membro"),
    basis=BASIS_SERVICE,
    retention=KEPT_WHILE_ACTIVE,
    seen_by=_("Il coordinamento della città, gli operatori dei quartieri dell'organizzazione e i membri dell'organizzazione"),
    erase=Erase.delete(),
)
not_about_people(
    "people.Service", texts=["description", "opening_hours"], reason="What an organisation offers, when and where: never about a person."
)
declare(
    "people.Consent",
    subject=["person"],
    purpose=_("I consensi dati e ritirati, per dimostrarli"),
    basis=BASIS_CONSENT,
    retention=KEPT_WHILE_ACTIVE,
    actors=["recorded_by"],
    seen_by=SEEN_BY_STAFF_AND_PERSON,
    erase=Erase.delete(),
)
declare(
    "people.ApiToken",
    subject=["account__person"],
    purpose=_("Le chiavi di accesso all'API dell'account"),
    basis=BASIS_SECURITY,
    retention=KEPT_WHILE_ACTIVE,
    hidden=["digest"],  # the fingerprint of a secret
    seen_by=_("La persona stessa, dal suo profilo"),
    erase=Erase.delete(),
)
declare(
    "people.DigitalIdentity",
    subject=["account__person"],
    purpose=_("Riconoscere la persona quando entra con SPID o CIE, dal suo codice fiscale"),
    basis=BASIS_SERVICE,
    retention=KEPT_WHILE_ACTIVE,
    # A keyed digest of the fiscal code: the code itself is never stored, and the digest says nothing to anyone.
    hidden=["fiscal_code_digest"],
    seen_by=_("Nessuno: il codice fiscale non è conservato, solo un'impronta cifrata che non si può leggere"),
    erase=Erase.delete(),
)
declare(
    "otp_totp.TOTPDevice",
    subject=["user__person"],
    purpose=_("Il secondo fattore di accesso dell'account"),
    basis=BASIS_SECURITY,
    retention=KEPT_WHILE_ACTIVE,
    hidden=["key"],  # the shared secret of the authenticator app
    seen_by=_("Nessuno: il codice segreto resta nel server"),
    erase=Erase.delete(),
)
declare(
    "otp_static.StaticDevice",
    subject=["user__person"],
    purpose=_("I codici di recupero del secondo fattore"),
    basis=BASIS_SECURITY,
    retention=KEPT_WHILE_ACTIVE,
    seen_by=_("La persona stessa, quando li crea"),
    erase=Erase.delete(),
)
not_about_people("admin.LogEntry", actors=["user"], reason="Django's admin log of coordinators' work; the audit log is the record of access.")
