"""Names and key phrases for themes, in the words people wrote (issue 16, step 2).

Pure functions, no Django; the engine calls `name_themes` once it has its themes. No tagger model is
downloaded, so what reads as a noun is judged without parts of speech:

- a term is **distinctive** when a theme's texts use it much more than the whole corpus (the share of
  the theme's texts using it times the log of that lift);
- **fillers** never make a key phrase on their own: the verbs people use to tell any story ("passa",
  "vive", "chiede", "resta"), time words, vague adjectives and adverbs (`NAME_FILLERS`, besides the
  stop words that discovery already removes). A two-word key phrase may hold one ("vive sola"), a
  name only if it is no verb ("compagnia sera");
- a **name** prefers what reads as a noun: a word with a noun's ending ("-zione", "-ità", "-mento"…)
  weighs more, a word written as a verb (an infinitive, a gerund, or a stem people wrote in several
  verb forms) less, and a two-word phrase that recurs ("bollette luce", "compagnia sera") more;
- every word shown is the **spelling people used most** for its stem in the theme's own texts,
  never a stem;
- a theme written mostly in English (or in a mix) is named in Italian: from the Italian words people
  wrote in it, else its English words put into Italian (`text.ENGLISH_TO_ITALIAN`), else the Italian
  name of the nearest traditional category of the administration (`categories.py`); the key phrases
  keep the words as written;
- names are **unique** within a run: a theme whose name another (larger) theme already has takes its
  next distinctive phrase, or else its number.

Whatever is chosen here, no theme's members change: naming reads the partition, it does not make it.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from trama.text import ENGLISH_TO_ITALIAN

KEY_PHRASES = 6

# Words that say nothing of a theme on their own, though people write them in every kind of message.
# Not stop words: discovery's clustering keeps them (its figures were measured with them), only names
# and key phrases leave them out. First the verbs of being, going, saying, asking, staying and finding,
# in their usual forms (never in a name, not even in a two-word phrase: "vive sola" stays a key phrase)…
FILLER_VERBS = frozenset(
    """
    passa passano passare passato passata passo passi passando
    vive vivono vivere vissuto vissuta vivo
    va vado vanno andare andato andata andati andiamo andando
    viene vengono venire venuto venuta vengo
    resta restano restare restato restata rimane rimangono rimanere rimasto rimasta
    esce escono uscire uscito uscita usa usano usare usato
    trova trovano trovare trovato trovata trovo
    chiede chiedono chiedere chiesto chiesta chiedo chiediamo
    dicono dire detta diceva dicevano
    sapere sapeva
    sentire sentito sentita sentiamo vede vedono vedere visto vista
    mette mettono mettere messo prende prendono prendere preso presa
    sembra sembrano sembrare
    riescono riuscire riuscito
    arriva arrivano arrivare arrivato arrivata
    costa costano
    tiene tengono tenere tenuto
    parte partono
    succede succedere successo
    diventa diventano diventare diventato
    continua continuano continuare
    capita capitano
    inizia iniziano iniziare
    ricevuto ricevuta riceve ricevere
    esiste esistono
    sapere conosce conoscono conoscere perso persa perde perdere
    sarà saranno sarebbe sarei fosse farà faranno puoi potresti favore dimmi mostrami fammi dammi trovami
    lives live living went goes go going take takes says said feel feels get gets got
    """.split()
)
# …then vague adjectives and adverbs, time words and words for anyone, English ones too: not a name on
# their own, but a two-word phrase may hold one ("compagnia sera").
NAME_FILLERS = FILLER_VERBS | frozenset(
    """
    necessario necessaria possibile importante difficile facile migliore miglior maggiore forma
    tanto tanta spesso bene male meglio peggio ormai davvero veramente subito insieme certo certa
    vero vera nuovo nuova nuovi nuove vecchio grande grandi piccolo piccola piccoli
    fine stesso stessi ultimo ultima ultimi tipo modo parte cosa caso fatto punto
    mese mesi settimana settimane ieri domani adesso spesso sera mattina pomeriggio notte
    signora signore signor persona persone gente uomo donna
    day days time really well still every even
    """.split()
)

# Endings of Italian nouns (and of the adjectives used as nouns) that verbs never have.
_NOUN_ENDINGS = (
    "zione", "zioni", "sione", "sioni", "tà", "ità", "ezza", "ezze", "enza", "enze", "anza", "anze",
    "mento", "menti", "ismo", "ista", "isti", "iste", "tore", "tori", "trice", "aggio", "aggi", "tudine",
    "eria", "erie", "ìa",
)  # fmt: skip
# Endings of adjectives: a name reads better as the thing than as its quality ("computer", not "elettronico").
# Only endings nouns rarely have ("-ico" is also "medico", "amico").
_ADJECTIVE_ENDINGS = ("oso", "osa", "osi", "ose", "ivo", "iva", "ivi", "ive", "abile", "ibile", "onico", "onica", "onici", "oniche")
# Endings only verbs have: infinitives (with a pronoun too), gerunds, first person plural.
_VERB_ENDINGS = ("are", "ere", "ire", "arsi", "ersi", "irsi", "arla", "arlo", "ando", "endo", "iamo")
# Nouns and adjectives that end like an infinitive ("quartiere", "cellulare", "familiare").
_NOT_INFINITIVE = ("iere", "lare")
# Conjugated endings: a stem written in two or more of these forms is a verb people conjugated.
_CONJUGATED = re.compile(r"(ano|ono|ava|eva|iva|avano|evano|ato|ito|uto|ata|ita|uta|erà|irà|erò)$")
NOUN_WEIGHT = 1.25
VERB_WEIGHT = 0.5
ADJECTIVE_WEIGHT = 0.8
BIGRAM_WEIGHT = 1.3
# A theme with at least this share of texts in English names itself only with words plainly Italian.
MIXED_SHARE = 0.3


@dataclass
class Candidate:
    """A distinctive term of one theme, as people wrote it."""

    phrase: str  # the written form ("bollette luce")
    stems: frozenset  # the stems it is made of
    score: float  # distinctiveness (share × log lift)
    english: bool  # written mostly in English texts
    words: int
    forms: tuple = ()  # per word, how its stem was written in the whole corpus (Counters)

    @property
    def name_score(self) -> float:
        return self.score * _noun_likeness(self) * (BIGRAM_WEIGHT if self.words == 2 else 1.0)


def _filler(word: str) -> bool:
    return word in NAME_FILLERS or len(word) < 2 or not word.isalpha()


def _verb_like(word: str, forms_of_stem) -> bool:
    if word.endswith(_VERB_ENDINGS) and len(word) >= 5 and not word.endswith(_NOT_INFINITIVE):
        return True
    conjugated = {form for form in forms_of_stem if _CONJUGATED.search(form) or form.endswith(_VERB_ENDINGS)}
    return len(conjugated) >= 2


def _verb_like_phrase(candidate: Candidate) -> bool:
    """A single word written as a verb (an infinitive, a gerund, a stem people conjugated)."""
    word = candidate.phrase
    return candidate.words == 1 and not word.endswith(_NOUN_ENDINGS) and _verb_like(word, candidate.forms[0] if candidate.forms else ())


def _noun_likeness(candidate: Candidate) -> float:
    weight = 1.0
    for word, forms in zip(candidate.phrase.split(), candidate.forms):
        if word in NAME_FILLERS:
            continue
        if word.endswith(_NOUN_ENDINGS):
            weight *= NOUN_WEIGHT
        elif _verb_like(word, forms):
            weight *= VERB_WEIGHT
        elif word.endswith(_ADJECTIVE_ENDINGS):
            weight *= ADJECTIVE_WEIGHT
    return weight


def candidates(member_presence, total, size, n, vocabulary, surface, forms_of, english, italian, languages=None, italian_surface=None, limit=60):
    """A theme's distinctive terms, most distinctive first, with their written forms.

    `member_presence`: the theme's texts × terms presence matrix (sparse); `total`: per term, the texts
    of the whole corpus using it; `surface(term)`: the written form; `forms_of(stem)`: the written forms
    of a stem (a Counter); `english` / `italian`: 1 for each of the theme's texts written in English /
    in Italian (a text may be neither); `languages`: per term, the English and the Italian texts of the
    whole corpus using it. A term is English when most of the theme's texts using it are English; in a
    theme with a third or more of its texts in English, also unless it is plainly Italian there (see
    below): "list" and "lista" share a stem; `italian_surface(term)`, how the theme's Italian texts
    spell a term (None if they do not), shows such a term in Italian. A term must
    occur in at least two of the theme's texts (one if the theme has one text), hold no stop word or
    filler only, and be written as words.
    """
    inside = np.asarray(member_presence.sum(axis=0)).ravel()
    inside_english = np.asarray(member_presence.T @ english).ravel()
    inside_italian = np.asarray(member_presence.T @ italian).ravel()
    mixed = size > 0 and float(np.mean(english)) >= MIXED_SHARE
    corpus_english, corpus_italian = languages if languages is not None else (inside_english, inside_italian)
    share = inside / max(size, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = share / (total / n)
        score = np.where(inside >= min(2, size), share * np.log(np.maximum(lift, 1.0)), 0.0)
    out = []
    for index in np.argsort(-score, kind="stable"):
        if score[index] <= 0 or len(out) == limit:
            break
        term = vocabulary[index]
        in_english = inside_english[index] * 2 > inside[index]
        if mixed and not in_english:
            # Plainly Italian here (in two Italian texts, no fewer than in English ones), or never in
            # an English text of the theme and more Italian than English in the whole corpus.
            plainly = inside_italian[index] >= min(2, size) and inside_italian[index] >= inside_english[index]
            in_english = not (plainly or (inside_english[index] == 0 and corpus_italian[index] > corpus_english[index]))
        # An Italian term of a mixed theme is shown as its Italian texts spell it ("lista", not "list").
        phrase = (italian_surface(term) if mixed and not in_english and italian_surface else None) or surface(term)
        words = phrase.split()
        stems = term.split()
        if len(words) != len(stems) or any(not w.isalpha() or len(w) < 2 for w in words):
            continue  # not written as words (a stem never seen spelt, a number)
        if all(_filler(w) for w in words) or (len(words) == 1 and _filler(words[0])):
            continue
        if len(words) == 2 and words[0] == words[1]:
            continue
        forms = tuple(forms_of(s) for s in stems)
        out.append(Candidate(phrase, frozenset(stems), float(score[index]), bool(in_english), len(words), forms))
    return out


def key_phrases(found, first=()):
    """Up to six phrases: `first` (the name's phrases), then the others, the more noun-like and
    distinctive first, Italian first; a phrase whose stems are all shown already adds nothing."""
    phrases, covered = [], set()
    for candidate in [*first, *sorted(found, key=lambda c: -c.name_score)]:
        if candidate.stems <= covered or any(candidate.phrase == p.phrase for p in phrases):
            continue
        covered |= candidate.stems
        phrases.append(candidate)
        if len(phrases) == KEY_PHRASES:
            break
    head = [p for p in phrases if p in first]
    rest = sorted((p for p in phrases if p not in first), key=lambda p: p.english)  # stable: Italian first
    return [p.phrase for p in head + rest]


def name_options(found):
    """The names a theme could take, best first: pairs of its most noun-like Italian phrases (no
    shared stem, no filler on its own), then single phrases. Each option is (name, its candidates)."""
    # A two-word phrase with a filler verb ("vive sola", "sarà caldo") stays a key phrase, not a name.
    italian = [c for c in found if not c.english and FILLER_VERBS.isdisjoint(c.phrase.split())]
    ranked = sorted(italian, key=lambda c: -c.name_score)  # stable on ties: the more distinctive first
    # A word written as a verb ("pagare") never joins a pair and names a theme alone only when no
    # other word can: "bolletta" reads as the theme, "bolletta, pagare" as a sentence cut short.
    things = [c for c in ranked if not _verb_like_phrase(c)][:8]
    options = []
    for i, a in enumerate(things):
        # The best phrase with each partner that shares no stem; alone if it has none, or after them.
        options += [(f"{a.phrase}, {b.phrase}", [a, b]) for b in things[i + 1 :] if not a.stems & b.stems]
        options.append((a.phrase, [a]))
    options += [(c.phrase, [c]) for c in ranked if _verb_like_phrase(c)][:8]
    return options


def translated(found):
    """The Italian words for a theme's English words (`text.ENGLISH_TO_ITALIAN`), most distinctive first."""
    out = []
    for candidate in found:
        for word in candidate.phrase.split():
            it = ENGLISH_TO_ITALIAN.get(word)
            if it and it not in out:
                out.append(it)
    return out


# Categories that name no subject (a general access point) are never the nearest.
_CATCH_ALL = frozenset({"multiutenza"})


@lru_cache(maxsize=1)
def _categories():
    """(Italian names, their English names' e5 vectors less the vectors' mean), once per process.

    English names: the texts that reach this are in English, and e5 matches them better (measured on
    the fixed sets of the tests: with the Italian names a text about drinking went to "Anziani")."""
    from trama.embeddings import embed

    from .categories import rows_with_english

    rows = [(code, it, en) for code, it, en in rows_with_english() if code not in _CATCH_ALL]
    if not rows:
        return [], np.zeros((0, 1), dtype=np.float32)
    vectors = embed([en for _code, _it, en in rows])
    return [it for _code, it, _en in rows], vectors - vectors.mean(axis=0)


def nearest_category(texts):
    """The Italian name (lower case) of the administration's traditional category nearest `texts` by
    meaning (e5); None when there is no text."""
    from trama.embeddings import embed

    names, vectors = _categories()
    if not texts or not names:
        return None
    centre = embed(list(texts)).mean(axis=0)
    return names[int(np.argmax(vectors @ centre))].lower()


def name_themes(themes_found, fallback_texts):
    """One (name, key phrases) per theme, names unique in the run.

    `themes_found`: per theme (largest first), its candidates; `fallback_texts(i)`: a few of theme i's
    texts, read only for a theme with no Italian word and no English word known in Italian.
    """
    used: set[str] = set()
    out = []
    for index, found in enumerate(themes_found):
        options = name_options(found)
        name, chosen = None, []
        for option, parts in options:
            if option.lower() not in used:
                name, chosen = option, parts
                break
        if name is None:
            words = translated(found)
            for option in [", ".join(words[:2]), *words]:
                if option and option.lower() not in used:
                    name = option
                    break
        if name is None:
            category = nearest_category(fallback_texts(index))
            if category and category.lower() not in used:
                name = category
            elif category:
                name = f"{category} ({index + 1})"
        if name is None or name.lower() in used:
            name = f"tema {index + 1}"
        used.add(name.lower())
        out.append((name, key_phrases(found, chosen)))
    return out
