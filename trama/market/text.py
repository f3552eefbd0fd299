"""Italian text for matching: words, stop words removed, Snowball stems."""

import re
from functools import lru_cache

import snowballstemmer

# Snowball's Italian stop-word list (articles, prepositions, pronouns, auxiliaries).
STOP_WORDS = frozenset(
    """
    a ad al allo ai agli all agl alla alle con col coi da dal dallo dai dagli dall dagl dalla dalle di del dello dei
    degli dell degl della delle in nel nello nei negli nell negl nella nelle su sul sullo sui sugli sull sugl sulla
    sulle per tra contro io tu lui lei noi voi loro mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra
    nostri nostre vostro vostra vostri vostre mi ti ci vi lo la li le gli ne il un uno una ma ed se perché anche come
    dov dove che chi cui non più quale quanto quanti quanta quante quello quelli quella quelle questo questi questa
    queste si tutto tutti tutte tutta anche e è o ho hai ha abbiamo avete hanno abbia abbiate abbiano avrò avrai avrà
    avremo avrete avranno avrei avresti avrebbe avremmo avreste avrebbero avevo avevi aveva avevamo avevate avevano
    ebbi avesti ebbe avemmo aveste ebbero avessi avesse avessimo avessero avendo avuto avuta avuti avute sono sei
    siamo siete sia siate siano sarò sarai sarà saremo sarete saranno sarei saresti sarebbe saremmo sareste
    sarebbero ero eri era eravamo eravate erano fui fosti fu fummo foste furono fossi fosse fossimo fossero essendo
    faccio fai facciamo fanno faccia facciate facciano farò farai farà faremo farete faranno farei faresti farebbe
    faremmo fareste farebbero facevo facevi faceva facevamo facevate facevano feci facesti fece facemmo faceste
    fecero facessi facesse facessimo facessero facendo sto stai sta stiamo stanno stia stiate stiano starò starai
    starà staremo starete staranno starei staresti starebbe staremmo stareste starebbero stavo stavi stava stavamo
    stavate stavano stetti stesti stette stemmo steste stettero stessi stesse stessimo stessero stando qualcuno
    qualcosa molto poco po' già ancora sempre mai ogni dopo prima poi così allora quando
    """.split()
)

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_stemmer = snowballstemmer.stemmer("italian")


@lru_cache(maxsize=200_000)
def stem(word):
    return _stemmer.stemWord(word)


def words(text):
    """The lower-cased words of `text`, elisions split ("dell'orto" -> "orto")."""
    out = []
    for token in _WORD.findall((text or "").lower()):
        out.append(token.rsplit("'", 1)[-1])
    return out


def stems(text):
    return [stem(w) for w in words(text) if w not in STOP_WORDS and len(w) > 1]


def stem_text(text):
    """The stems of `text` joined by spaces: what offers and needs store for matching."""
    return " ".join(stems(text))


def shared_words(need_stems, text, limit=5, weight=None):
    """Words of `text` whose stem also appears among `need_stems`, in reading order, once each.

    With `weight` (stem -> number), the `limit` words of highest weight, still in reading order."""
    need_stems = set(need_stems)
    seen, out = set(), []
    for word in words(text):
        s = stem(word) if word not in STOP_WORDS else None
        if s and s in need_stems and s not in seen:
            seen.add(s)
            out.append((word, s))
            if weight is None and len(out) == limit:
                break
    if weight is not None and len(out) > limit:
        kept = {s for _w, s in sorted(out, key=lambda ws: -weight(ws[1]))[:limit]}
        out = [(w, s) for w, s in out if s in kept]
    return [w for w, _s in out]
