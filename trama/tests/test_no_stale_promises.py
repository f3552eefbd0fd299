"""No text promises as coming a feature that is already there ("presto, le sue offerte e iniziative").

The features are what the navigation offers (the menu entries of base.html and of every app's
nav.html); a promise is a clause with "presto", "a breve", "prossimamente"… Any clause of a
template's text, or of a string for people in the code, that holds both fails: when a feature lands,
the words announcing it must go. "La tua richiesta è nel mercato: un operatore ti ricontatterà
presto" promises a person's call, not the requests, and stays.
"""

import re
from pathlib import Path

TRAMA = Path(__file__).resolve().parents[1]
PROMISE = re.compile(r"\b(presto|prossimamente|a breve|in arrivo|in futuro|arriver(à|anno)|sar(à|anno) disponibil[ei])\b", re.IGNORECASE)
TRANS = re.compile(
    r'\{%\s*trans\s+"([^"]+)"|\{%\s*blocktrans[^%]*%\}(.*?)\{%\s*(?:endblocktrans|plural)|'
    r'\b_\(\s*"([^"]+)"',
    re.DOTALL,
)


def features():
    """The names of the menu's entries ("Offerte", "Iniziative"…): the features that exist."""
    navs = [TRAMA / "templates" / "base.html", *TRAMA.glob("*/templates/*/nav.html")]
    names = {name for nav in navs for name in re.findall(r'<span>\{% trans "([^"]+)" %\}</span>', nav.read_text())}
    assert {"Offerte", "Iniziative", "Segnalazioni", "Gruppi", "Temi", "Indicatori"} <= names
    return names


def texts():
    """(file, text) for every string for people in templates and code."""
    for path in [*TRAMA.glob("**/templates/**/*.html"), *TRAMA.glob("**/templates/**/*.txt"), *TRAMA.glob("**/*.py")]:
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for match in TRANS.finditer(path.read_text(encoding="utf-8")):
            yield path.relative_to(TRAMA), next(group for group in match.groups() if group)


def promised(text, names):
    """The features a clause of `text` promises as coming."""
    return sorted(
        {name for clause in re.split(r"[.:;!?]", text) if PROMISE.search(clause) for name, pattern in names.items() if pattern.search(clause)}
    )


def feature_patterns():
    # "Offerte" finds "offerta" and "offerte", "Gruppi" "gruppo" and "gruppi".
    return {name: re.compile(rf"\b{re.escape(name.lower()[:-1])}\w?\b", re.IGNORECASE) for name in features()}


def test_no_text_promises_a_feature_that_exists():
    names = feature_patterns()
    stale = [f"{path}: {text!r} promises {promised(text, names)}" for path, text in texts() if promised(text, names)]
    assert not stale, stale


def test_the_check_finds_a_promise_when_there_is_one():
    names = feature_patterns()
    assert promised("Qui la tua organizzazione trova le risorse e, presto, le sue offerte e iniziative.", names) == [
        "Iniziative",
        "Offerte",
        "Organizzazioni",
        "Risorse",
    ]
    assert promised("La tua richiesta è nel mercato: un operatore ti risponderà presto.", names) == []
