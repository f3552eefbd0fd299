"""What keeps a text off the public pages: personal data and words that label people by their hardship.

`problems(text, names)` lists, in Italian, why `text` may not be shown to the public: a phone number, an
e-mail address, a codice fiscale, one of `names` (the people linked to where the text comes from), or a
word that labels people (DESIGN.md, G5). An empty list: the text may go public.
"""

import re

from django.utils.translation import gettext as _
from stdnum.it import codicefiscale

PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\d{2}[\s.]?)?(?:3\d{2}|0\d{1,3})(?:[\s./-]?\d){5,8}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SIXTEEN = re.compile(r"\b[A-Za-z0-9]{16}\b")
# Words that label people by their hardship: never on a public page (the same as the public pages' tests check).
LABELS = re.compile(
    r"\b(fragil[ei]|disagi\w*|utent[ei]|bisognos[oaie]|indigent[ei]|pover[oaie]|emarginat[oaie]|svantaggiat[oaie]"
    r"|vulnerabil[ei]|disabil[ei]|handicappat[oaie]|tossicodipendent[ei]|anzian[oaie]|immigrat[oaie]|extracomunitar[oaie])\b",
    re.IGNORECASE,
)
SHORTEST_NAME = 3


def problems(text: str, names: list[str] | tuple[str, ...] = ()) -> list[str]:
    found = []
    if PHONE.search(text):
        found.append(_("contiene un numero di telefono"))
    if EMAIL.search(text):
        found.append(_("contiene un indirizzo e-mail"))
    if any(codicefiscale.is_valid(code.upper()) for code in SIXTEEN.findall(text)):
        found.append(_("contiene un codice fiscale"))
    named = sorted({n for n in names if len(n) >= SHORTEST_NAME and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE)})
    if named:
        found.append(_("nomina persone coinvolte: %(names)s") % {"names": ", ".join(named)})
    labels = sorted({m.group(0).lower() for m in LABELS.finditer(text)})
    if labels:
        found.append(_("usa parole che etichettano le persone: %(words)s") % {"words": ", ".join(labels)})
    return found
