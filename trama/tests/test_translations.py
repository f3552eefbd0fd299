"""The English catalogue is complete and its compiled form matches the source."""

import re
from pathlib import Path

from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"


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
