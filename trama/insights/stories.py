"""Stories of change: the check that keeps them pseudonymised, and who sees them (rules.STORIES).

The check refuses what it can recognise of a person: an e-mail address, a phone number, a fiscal code, and the
names the linked person's record holds. It cannot recognise everything (a nickname, an address, a rare job): the
form asks the writer not to put any of it.
"""

import re

from django.utils.translation import gettext as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Italian numbers: a mobile (3..) or a landline (0..), 9 to 12 digits, perhaps with +39/0039 and separators.
# Dates ("03.04.2024") have 8 digits at most and are not taken for one.
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?\d{2}[\s./-]?)?[03](?:[\s./-]?\d){8,11}(?!\w)")
FISCAL_CODE = re.compile(r"\b[A-Z]{6}[0-9LMNP-V]{2}[A-EHLMPR-T][0-9LMNP-V]{2}[A-Z][0-9LMNP-V]{3}[A-Z]\b", re.IGNORECASE)
# Parts of a name shorter than this ("Li", "Bo") are too often ordinary words to refuse.
SHORTEST_NAME = 3


def names_of(person):
    """The words of the names `person`'s record holds, to be refused in a story about them."""
    if person is None:
        return set()
    words = set()
    for name in (person.display_name, person.first_name, person.last_name):
        words |= {w for w in re.split(r"[\s'’-]+", name or "") if len(w) >= SHORTEST_NAME}
    return words


def personal_details(text, names=()):
    """Italian sentences naming each kind of personal detail found in `text` (empty when none)."""
    found = []
    if EMAIL.search(text):
        found.append(_("un indirizzo e-mail"))
    if PHONE.search(text):
        found.append(_("un numero di telefono"))
    if FISCAL_CODE.search(text):
        found.append(_("un codice fiscale"))
    named = sorted(n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE))
    if named:
        found.append(_("il nome della persona (%(names)s)") % {"names": ", ".join(named)})
    return found
