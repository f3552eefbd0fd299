"""The catalogues are complete where they must be, and their compiled form matches the source.

English covers every string. The languages of the neighbourhood (docs/languages.md) cover the
public doors, PUBLIC_DOORS below: every msgid one of whose `#:` references points into a door is
translated; anything else (workers' pages) may stay empty and falls back to Italian.
"""

import ast
import fnmatch
import re
from functools import lru_cache
from pathlib import Path

import pytest
from django.utils import translation

TRAMA = Path(__file__).resolve().parents[1]
CATALOGUE = TRAMA / "locale" / "en" / "LC_MESSAGES" / "django.po"
NEIGHBOURHOOD_LANGUAGES = ["ro", "ar", "sq", "uk", "fr"]

# The public doors: what a visitor, a citizen or an antenna reads. Templates as glob patterns under
# trama/, Python as (file, top-level class or function): every string inside that definition counts.
# A new public page is added here; its strings must then be translated in every language above.
PUBLIC_DOORS = {
    "templates": [
        "templates/base.html",
        "templates/form_page.html",
        "templates/home/_role_base.html",
        "templates/home/public.html",
        "templates/home/citizen.html",
        "templates/home/antenna.html",
        "templates/errors/*.html",
        "templates/partials/*.html",
        "templates/registration/login.html",
        "templates/registration/logged_out.html",
        "templates/registration/password_reset_*.html",
        "*/templates/*/home_public.html",
        "*/templates/*/home_citizen.html",
        "*/templates/*/home_antenna.html",
        "*/templates/*/nav.html",
        "market/templates/market/door_*.html",
        "market/templates/market/draft*.html",
        "market/templates/market/_filters.html",
        "initiatives/templates/initiatives/catalogue.html",
        "initiatives/templates/initiatives/public_detail.html",
        "initiatives/templates/initiatives/join.html",
        "initiatives/templates/initiatives/_citizen_card.html",
        "collective/templates/collective/public_calendar.html",
        "collective/templates/collective/public_meeting.html",
        "collective/templates/collective/_month.html",
        "people/templates/people/register.html",
        "people/templates/people/profile.html",
        "people/templates/people/_identity_buttons.html",
        "people/templates/people/identity_register.html",
        "people/templates/people/identity_failed.html",
        "attention/templates/attention/signal_form.html",
        "attention/templates/attention/my_signals.html",
        "attention/templates/attention/my_signal.html",
        "attention/templates/attention/_phone.html",
        "territory/templates/territory/_neighbourhood_finder.html",
    ],
    "python": [
        ("market/forms.py", "PublicNeedForm"),
        ("territory/forms.py", "NeighbourhoodField"),
        ("market/forms.py", "PublicOfferForm"),
        ("market/forms.py", "ContactForm"),
        ("market/models.py", "Weekday"),
        ("market/models.py", "Slot"),
        ("market/models.py", "Offer.Kind"),
        ("market/models.py", "Need.Urgency"),
        ("market/views.py", "draft"),
        ("market/views.py", "draft_discard"),
        ("market/views.py", "_door"),
        ("people/forms.py", "RegistrationForm"),
        ("people/forms.py", "LoginForm"),
        ("people/views.py", "register"),
        *(("people/identity.py", name) for name in ("FAILED", "EXPIRED", "UNREACHABLE", "CANCELLED", "NO_FISCAL_CODE", "UNTRUSTED")),
        *(("people/identity_views.py", name) for name in ("ONLY_CITIZENS", "DISABLED", "_link", "register", "unlink")),
        ("people/services.py", "link_digital_identity"),
        ("people/services.py", "register_with_digital_identity"),
        ("attention/forms.py", "SignalForm"),
        *(
            ("attention/models.py", f"Signal.{name}")
            for name in ("Urgency", "AgeBand", "Household", "Aware", "ANTENNA_LABELS", "text", "neighbourhood", "place")
        ),
        *(("attention/models.py", f"Signal.{name}") for name in ("urgency", "age_band", "household", "person_aware")),
        ("attention/views.py", "signal_create"),
        ("attention/views.py", "ALREADY_RECEIVED"),
        ("attention/views.py", "signal_from_phone"),
        ("attention/views.py", "manifest"),
        ("attention/services.py", "_sent_with_key"),
        ("initiatives/forms.py", "CatalogueFilterForm"),
        ("initiatives/views/public.py", "join"),
    ],
}


def _unquote(lines):
    return (
        "".join(re.match(r'^(?:msgid|msgstr|msgid_plural|msgstr\[\d\])?\s*"(.*)"$', line).group(1) for line in lines)
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode("utf-8")
    )


def entries():
    """(flags, msgid, msgstr or None for plural entries) for each entry of the catalogue."""
    text = CATALOGUE.read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        lines = [line for line in block.strip().splitlines() if not line.startswith("#") or line.startswith("#,")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        body = [line for line in lines if not line.startswith("#")]
        if not body or body[0].startswith("#~"):
            continue
        keys = [i for i, line in enumerate(body) if not line.startswith('"')]
        parts = {}
        for start, end in zip(keys, keys[1:] + [len(body)]):
            key = body[start].split(" ", 1)[0]
            parts[key] = _unquote(body[start:end])
        if "msgctxt" in parts:
            continue
        yield flags, parts.get("msgid", ""), parts.get("msgstr"), [v for k, v in parts.items() if k.startswith("msgstr[")]


def test_every_string_has_an_english_translation():
    missing = [
        msgid for flags, msgid, msgstr, plurals in entries() if "fuzzy" in flags or (msgstr == "" and not plurals) or any(p == "" for p in plurals)
    ]
    assert not missing, f"untranslated or fuzzy: {missing[:10]}"


def test_compiled_catalogue_matches_the_source():
    stale = []
    with translation.override("en"):
        for _flags, msgid, msgstr, _plurals in entries():
            if msgstr and "%" not in msgid and translation.gettext(msgid) != msgstr:
                stale.append(msgid)
    assert not stale, f"run `make messages`: the .mo file is older than the .po for {stale[:5]}"


def door_entries(path):
    """msgids of the catalogue at `path` that a public door shows, with their msgstr (plurals as a list)."""
    text = path.read_text(encoding="utf-8")
    found = []
    for block in text.split("\n\n")[1:]:
        references = [ref.rsplit(":", 1) for line in block.splitlines() if line.startswith("#: ") for ref in line[3:].split()]
        if any(_in_a_door(file, int(line or 0)) for file, line in references):
            found.append(block)
    return found


def _in_a_door(file, line):
    if any(fnmatch.fnmatch(file, pattern) for pattern in PUBLIC_DOORS["templates"]):
        return True
    return any(first <= line <= last for first, last in _spans(file))


@lru_cache
def _spans(file):
    """The lines of the definitions PUBLIC_DOORS names in `file`: "Form", "Model.Choices", "Model.field"."""
    names = [name for path, name in PUBLIC_DOORS["python"] if path == file]
    if not names:
        return []
    tree = ast.parse((TRAMA / file).read_text(encoding="utf-8"))
    spans = []
    for name in names:
        body, node = tree.body, None
        for part in name.split("."):
            node = next((n for n in body if part in _names_defined(n)), None)
            assert node is not None, f"PUBLIC_DOORS names {name}, which {file} does not define"
            body = getattr(node, "body", [])
        spans.append((node.lineno, node.end_lineno))
    return spans


def _names_defined(node):
    if isinstance(node, ast.Assign):
        return {target.id for target in node.targets if isinstance(target, ast.Name)}
    return {getattr(node, "name", None)}


def test_every_public_door_names_files_that_exist():
    for pattern in PUBLIC_DOORS["templates"]:
        assert list(TRAMA.glob(pattern)), f"PUBLIC_DOORS: nothing matches {pattern}"
    for file, _name in PUBLIC_DOORS["python"]:
        assert _spans(file)


@pytest.mark.parametrize("language", NEIGHBOURHOOD_LANGUAGES)
def test_every_string_of_the_public_doors_is_translated(language):
    path = TRAMA / "locale" / language / "LC_MESSAGES" / "django.po"
    blocks = door_entries(path)
    assert len(blocks) > 300, "the public doors show more strings than that: is the catalogue extracted?"
    missing = []
    for block in blocks:
        body = [line for line in block.splitlines() if not line.startswith("#") or line.startswith("#,")]
        flags = " ".join(line for line in body if line.startswith("#,"))
        values = re.findall(r'^msgstr(?:\[\d\])?\s*((?:".*"\n?)+)', "\n".join(line for line in body if not line.startswith("#,")), re.M)
        if "fuzzy" in flags or not values or any(not "".join(re.findall(r'"(.*)"', v)) for v in values):
            missing.append(re.search(r'^msgid "(.*)"', block, re.M).group(1) or block.splitlines()[-3:])
    assert not missing, f"{language}: {len(missing)} strings of the public doors untranslated or fuzzy: {missing[:10]}"


def test_workers_pages_fall_back_to_italian():
    with translation.override("ar"):
        # The list of outreach is a worker's page: not in the doors, shown in Italian.
        assert translation.gettext("Uscite") == "Uscite"
        assert translation.gettext("Cerco una mano") != "Cerco una mano"
