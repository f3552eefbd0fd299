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
  verb forms) less, and a two-word phrase that recurs ("bollette della luce") more;
- a name **leads with a thing**: a word people write as a quality of a thing (seldom after an article
  or a preposition, but in both genders or after a noun: "sola", "pesante", "elettronico", "la
  domanda online"; `WordUsage`, on the word's forms in any gender and number) names a theme only
  inside a phrase people wrote ("spesa pesante"), or alone when nothing else can; a word people
  write after "di", "per", "in" is a thing ("corso di italiano", "per anziani");
- a two-word phrase names a theme only if people **wrote it as a phrase** (side by side or joined by
  prepositions, shown as written: "bollette della luce"); two words that only meet across an article
  or other words ("a casa la spesa") are not a phrase, and name a theme as a list («spesa, casa»);
- every word shown is the **spelling people used most** for its stem in the theme's own texts,
  never a stem;
- a theme written mostly in English (or in a mix) is named in Italian: from the Italian words people
  wrote in it, else its English words put into Italian (`text.ENGLISH_TO_ITALIAN`), else the Italian
  name of the traditional category of the administration that fits it (`nearest_category`: above a
  measured similarity floor, and never a category whose name labels people by a hardship, such as
  "Povertà, disagio adulti e senza dimora": theme names are shown on public pages), else "tema N"
  for the team to name; the key phrases keep the words as written;
- names are **unique** within a run: a theme whose name another (larger) theme already has takes its
  next distinctive phrase, or else its number.

Whatever is chosen here, no theme's members change: naming reads the partition, it does not make it.
"""

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from trama.text import ENGLISH_TO_ITALIAN, MESSAGE_STOP_WORDS, folded_stem

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


# Words that open a noun phrase: articles, articulated prepositions, demonstratives, possessives (and the
# English ones). A word people write after one is a thing ("la spesa", "il computer"); a word they
# never write after one, but write after a thing, is a quality of it ("spesa pesante", "posta
# elettronica"): a *qualifier*, which names a theme only inside a phrase people wrote.
DETERMINERS = frozenset(
    """
    il lo la i gli le l un uno una del dello della dei degli delle dell al allo alla ai agli alle all
    dal dallo dalla dai dagli dalle dall nel nello nella nei negli nelle nell sul sullo sulla sui sugli
    sulle sull questo questa questi queste quest quel quello quella quei quegli quelle quell
    mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra nostri nostre vostro vostra
    ogni qualche nessun nessuna the an my his her their our your this these those
    """.split()
)
# Prepositions, simple and with their article: "bollette della luce" and "appuntamento dal dottore" are
# phrases people wrote; two words with only an article between them ("a casa la spesa") are not.
PREPOSITIONS = frozenset(
    """
    di d a ad da in con su per tra fra del dello della dei degli delle dell al allo alla ai agli alle
    all dal dallo dalla dai dagli dalle dall nel nello nella nei negli nelle nell sul sullo sulla sui
    sugli sulle sull col coi of for with
    """.split()
)
# A word is a qualifier when at most this share of its occurrences follow a determiner (nouns: most of
# them; "sola" 0 of 37, "online" 0 of 7, "pesante" 0 of 6 on the development halves and the demo)…
QUALIFIER_SHARE = 0.15
# …and at most this share follow a determiner or a preposition: people write a thing after "di", "per",
# "in" ("corso di italiano", "per anziani", "in italiano": "italiano" 7 of 15 uses on the team's
# development half, "anziano/anziani" 10 of 24), a quality seldom, in a few set phrases ("da sola":
# "solo/sola" 7 of 37 there, 2 of 12 in the demo). The floor sits between the two (0.19 and 0.42);
# words seen three to eight times fall on both sides of it (docs/benchmarks.md)…
QUALIFIER_GOVERNED = 0.3
# …and people either write it in both genders ("solo, sola", "elettronico, elettronica": an adjective
# agrees) or write a third or more of it right after a thing ("spesa pesante", "la domanda online").
QUALIFIER_AFTER_THING = 0.3
# A word is a thing, for the test above, when at least half of its occurrences follow a determiner, or
# right where it follows one ("il modulo online": "modulo" written once is a thing there).
THING_SHARE = 0.5
_MIN_EVIDENCE = 3
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # runs of letters or digits: a number breaks a phrase
# Simple prepositions and those with an article: a word right after one is governed by it.
_GOVERNING = DETERMINERS | PREPOSITIONS


def _tokens(text):
    return _TOKEN.findall((text or "").lower())


def inflected(word):
    """The word less its last vowel, one key for the forms of a noun or adjective that differ only in
    gender and number ("anziano", "anziana", "anziani", "anziane" -> "anzian"). Snowball's stems split
    some of them ("anziano" -> "anzi", "anziani" -> "anzian") and join words that differ ("italia" and
    "italiano" -> "ital"), so how a word is used is read on this key."""
    word = word.lower()
    return word[:-1] if len(word) >= 4 and word[-1] in "aeio" else word


def _both_genders(forms):
    """True when the forms end in "-o"/"-i" and in "-a"/"-e": "solo, sola" (an adjective agrees). "-e"
    with "-i" counts too, though it is number, not gender ("pesante, pesanti", and "estate, estati"):
    a noun written so is told apart by the determiners and prepositions before it."""
    endings = {form[-1] for form in forms}
    return bool(endings & {"o", "i"}) and bool(endings & {"a", "e"})


class WordUsage:
    """How people wrote each word (by `inflected` key) in a set of texts: after a determiner, after a
    preposition, after a thing, in which spellings. Read from the texts alone, no tagger."""

    def __init__(self, texts):
        self.total: Counter = Counter()
        self.determined: Counter = Counter()
        self.governed: Counter = Counter()
        self.forms: dict[str, set] = {}
        previous_of: Counter = Counter()
        self.after_thing: Counter = Counter()
        for text in texts:
            tokens = _tokens(text)
            for i, token in enumerate(tokens):
                if not token.isalpha():
                    continue
                key = inflected(token)
                self.total[key] += 1
                self.forms.setdefault(key, set()).add(token)
                before = tokens[i - 1] if i else ""
                if before in DETERMINERS:
                    self.determined[key] += 1
                if before in _GOVERNING:
                    self.governed[key] += 1
                elif before.isalpha() and before not in MESSAGE_STOP_WORDS:
                    if i >= 2 and tokens[i - 2] in DETERMINERS:
                        self.after_thing[key] += 1  # "il modulo online": after a thing, here
                    else:
                        previous_of[(inflected(before), key)] += 1
        for (before, key), count in previous_of.items():
            if self._thing(before):
                self.after_thing[key] += count

    def _share(self, key):
        return self.determined[key] / self.total[key] if self.total[key] else 0.0

    def _thing(self, key):
        return self.total[key] >= 2 and self._share(key) >= THING_SHARE

    def share(self, word):
        """The share of `word`'s uses (any gender or number) right after a determiner."""
        return self._share(inflected(word))

    def thing(self, word):
        return self._thing(inflected(word))

    def qualifier(self, word):
        """True for a word people write as a quality of a thing, not as a thing (see `QUALIFIER_SHARE`)."""
        key = inflected(word)
        total = self.total[key]
        if total < _MIN_EVIDENCE or self._share(key) > QUALIFIER_SHARE or self.governed[key] > QUALIFIER_GOVERNED * total:
            return False
        return _both_genders(self.forms.get(key, ())) or self.after_thing[key] >= QUALIFIER_AFTER_THING * total


def written_phrases(texts):
    """How people wrote each stem pair as one phrase in `texts`: per pair, a Counter of the phrase as
    written (one count per text). One phrase is two words side by side ("spesa pesante") or joined
    by prepositions ("bollette della luce", "insegnante in pensione"), never across a bare article
    ("a casa la spesa"), another word, a number or a punctuation mark."""
    found: dict[tuple, Counter] = {}
    for text in texts:
        seen = set()
        for sentence in re.split(r"[.!?;:,()\n]+", (text or "").lower()):
            matches = list(_TOKEN.finditer(sentence))
            tokens = [m.group() for m in matches]
            for i, token in enumerate(tokens):
                if not token.isalpha() or token in MESSAGE_STOP_WORDS:
                    continue
                j = i + 1
                while j < len(tokens) and j - i <= 2 and tokens[j] in PREPOSITIONS:
                    j += 1
                if j < len(tokens) and tokens[j].isalpha() and tokens[j] not in MESSAGE_STOP_WORDS:
                    written = re.sub(r"\s*'\s*", "'", " ".join(sentence[matches[i].start() : matches[j].end()].split()))
                    seen.add(((folded_stem(token), folded_stem(tokens[j])), written))
        for pair, written in seen:
            found.setdefault(pair, Counter())[written] += 1
    return found


@dataclass
class Candidate:
    """A distinctive term of one theme, as people wrote it."""

    phrase: str  # the written form ("bollette luce")
    stems: frozenset  # the stems it is made of
    score: float  # distinctiveness (share × log lift)
    english: bool  # written mostly in English texts
    words: int
    forms: tuple = ()  # per word, how its stem was written in the whole corpus (Counters)
    qualifier: bool = False  # a single word people write as a quality of a thing ("pesante")
    written: bool = True  # a two-word phrase people wrote as one (see `written_phrases`)
    shown: str = ""  # how people wrote that phrase most, prepositions included ("bollette della luce")

    @property
    def text(self) -> str:
        """What is shown: the phrase as people wrote it."""
        return self.shown or self.phrase

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


def candidates(
    member_presence,
    total,
    size,
    n,
    vocabulary,
    surface,
    forms_of,
    english,
    italian,
    languages=None,
    italian_surface=None,
    limit=60,
    usage=None,
    phrases=None,
):
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
    filler only, and be written as words. With `usage` (a `WordUsage` of the corpus) a single word
    is marked a qualifier when people write it as a quality of a thing; with `phrases` (the theme's
    `written_phrases`) a two-word term is marked written when at least two of the theme's texts (one
    if it has one) hold it as a phrase.
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
        qualifier = usage is not None and len(stems) == 1 and usage.qualifier(words[0])
        ways = phrases.get(tuple(stems)) if phrases is not None and len(stems) == 2 else None
        written = phrases is None or len(stems) == 1 or (ways is not None and ways.total() >= min(2, size))
        shown = min(ways.items(), key=lambda kv: (-kv[1], kv[0]))[0] if ways and written else ""
        out.append(Candidate(phrase, frozenset(stems), float(score[index]), bool(in_english), len(words), forms, qualifier, written, shown))
    return out


def key_phrases(found, first=()):
    """Up to six phrases: `first` (the name's phrases), then the others, the more noun-like and
    distinctive first, Italian first; a phrase whose stems are all shown already adds nothing."""
    phrases, covered = [], set()
    for candidate in [*first, *sorted(found, key=lambda c: -c.name_score)]:
        if candidate.stems <= covered or any(candidate.text == p.text for p in phrases):
            continue
        covered |= candidate.stems
        phrases.append(candidate)
        if len(phrases) == KEY_PHRASES:
            break
    head = [p for p in phrases if p in first]
    rest = sorted((p for p in phrases if p not in first), key=lambda p: p.english)  # stable: Italian first
    return [p.text for p in head + rest]


def _keys(candidate: Candidate) -> set:
    return {inflected(word) for word in candidate.phrase.split()}


def name_options(found):
    """The names a theme could take, best first: pairs of its most noun-like Italian phrases (no
    shared stem, no filler on its own), then single phrases. Each option is (name, its candidates)."""
    # A two-word phrase with a filler verb ("vive sola", "sarà caldo") stays a key phrase, not a name,
    # and so does one people never wrote as a phrase ("casa spesa" from "porta a casa la spesa"):
    # its two words may still name the theme as a list («casa, spesa»).
    italian = [c for c in found if not c.english and c.written and FILLER_VERBS.isdisjoint(c.phrase.split())]
    ranked = sorted(italian, key=lambda c: -c.name_score)  # stable on ties: the more distinctive first
    # A word written as a verb ("pagare") or as a quality ("pesante", "elettronico") never joins a
    # pair and names a theme alone only when no other word can: "bolletta" reads as the theme,
    # "bolletta, pagare" as a sentence cut short, «spesa, pesante» as a word astray ("spesa pesante",
    # the phrase people wrote, is a thing and may name it).
    things = [c for c in ranked if not _verb_like_phrase(c) and not c.qualifier][:8]
    options = []
    for i, a in enumerate(things):
        # The best phrase with each partner that shares no stem, nor a word in another gender or number
        # ("anziano" and "anziani" have two stems); alone if it has none, or after them.
        options += [(f"{a.text}, {b.text}", [a, b]) for b in things[i + 1 :] if not a.stems & b.stems and not _keys(a) & _keys(b)]
        options.append((a.text, [a]))
    options += [(c.text, [c]) for c in ranked if _verb_like_phrase(c) and not c.qualifier][:8]
    options += [(c.text, [c]) for c in ranked if c.qualifier][:8]
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
# The least cosine, between the centre of a theme's examples (less the corpus's mean vector: the
# common part of e5 vectors says nothing of the subject) and a category's name (less the names' mean),
# at which the category fits the theme. Measured with bench/names_categories.py (docs/benchmarks.md) on
# the labelled groups of the development halves and the demo's themes, each as five central texts and
# as 20 random sets of five: among the groups whose nearest category may name a theme, the wrong ones
# reach at most 0.232 (food shopping, nearest «Anziani»), the right ones spread from 0.11 to 0.46
# (older people alone, young people, homework, the demo's lonely Sundays). No floor keeps all the right
# ones; the gap to the second nearest category separates them worse (wrong up to 0.127, right down
# to 0.004). The floor sits in the empty stretch of right values just above the highest wrong
# (0.253-0.265): 0.028 above it, keeping 26 of the 66 right samples. Below it the theme is "tema N".
CATEGORY_FLOOR = 0.26


@lru_cache(maxsize=1)
def _categories():
    """(Italian names, may each name a theme, their English names' e5 vectors less the vectors'
    mean, unit length), once per process.

    English names: the texts that reach this are in English, and e5 matches them better (measured on
    the fixed sets of the tests: with the Italian names a text about drinking went to "Anziani")."""
    from trama.embeddings import embed

    from .categories import rows_with_english

    rows = [row for row in rows_with_english() if row[0] not in _CATCH_ALL]
    if not rows:
        return [], [], np.zeros((0, 1), dtype=np.float32)
    vectors = embed([en for _code, _it, en, _ok in rows])
    vectors = vectors - vectors.mean(axis=0)
    return [it for _code, it, _en, _ok in rows], [ok for *_rest, ok in rows], vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def nearest_category(texts=(), vectors=None, common=None, floor=CATEGORY_FLOOR):
    """The Italian name (lower case) of the administration's traditional category that fits `texts`
    by meaning (e5), or None: when there is no text, when the nearest category is below `floor`
    (it does not fit), or when the nearest one may not name a theme (it labels people by a hardship,
    see `categories.rows_with_english`; a second-nearest would be a category that does not fit).

    `vectors`: the texts' e5 vectors when the caller has them (they are not computed again; `texts`
    may then be empty); `common`: the mean vector of the whole corpus the texts come from, taken
    from the theme's centre so that what all texts share does not count (default: none taken).
    """
    names, fit_to_name, categories = _categories()
    if vectors is None:
        if not texts:
            return None
        from trama.embeddings import embed

        vectors = embed(list(texts))
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(vectors) == 0 or not names:
        return None
    centre = vectors.mean(axis=0) - (0 if common is None else np.asarray(common, dtype=np.float32))
    norm = float(np.linalg.norm(centre))
    if norm == 0:
        return None
    similarity = categories @ (centre / norm)
    best = int(np.argmax(similarity))
    if similarity[best] < floor or not fit_to_name[best]:
        return None
    return names[best].lower()


def name_themes(themes_found, fallback_texts, fallback_vectors=None, common=None):
    """One (name, key phrases) per theme, names unique in the run.

    `themes_found`: per theme (largest first), its candidates; `fallback_texts(i)`: a few of theme i's
    texts, read only for a theme with no Italian word and no English word known in Italian, to find
    the traditional category that fits it; `fallback_vectors(i)`: their e5 vectors, when the caller
    has them, and `common` the mean vector of the corpus. Without them the texts of every theme's
    sample are embedded once, and their mean stands for the corpus's. A theme no category fits, or
    only one that may not name a theme, is called "tema N" for the team to name.
    """
    used: set[str] = set()
    out = []
    sample: dict[int, np.ndarray] = {}

    def vectors_of(index):
        nonlocal common
        if fallback_vectors is not None:
            return fallback_vectors(index)
        if not sample:
            from trama.embeddings import embed

            for theme in range(len(themes_found)):
                texts = list(fallback_texts(theme))
                sample[theme] = embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
            embedded = [v for v in sample.values() if len(v)]
            common = np.vstack(embedded).mean(axis=0) if embedded else None
        return sample[index]

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
            vectors = vectors_of(index)  # first: without vectors given, it also sets `common`
            category = nearest_category(fallback_texts(index), vectors, common)
            if category and category.lower() not in used:
                name = category
            elif category:
                name = f"{category} ({index + 1})"
        if name is None or name.lower() in used:
            name = f"tema {index + 1}"
        used.add(name.lower())
        out.append((name, key_phrases(found, chosen)))
    return out
