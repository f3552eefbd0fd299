"""Italian text processing for theme discovery: tokens, stop words, stems and their surface forms.

Stemming groups "bollette", "bolletta" and "bollettino" under one feature; the surface forms
are kept so that what people read (theme names, key phrases) is always a real word, the one
most often written, never a stem.
"""

import re
import unicodedata
from collections import Counter, defaultdict

import snowballstemmer

# Common Italian function words, auxiliaries and fillers of citizens' messages, plus the
# English ones (some people write in English). Words that carry the subject of a need
# (casa, lavoro, scuola…) are deliberately absent.
STOP_WORDS = frozenset(
    """
    a ad al allo alla ai agli alle all anche ancora avere abbiamo avete hanno ho hai ha
    avevo aveva avevamo avevano avrei avrebbe abbia
    c ce ci che chi come con col coi contro cosa cose cui così cosi
    d da dal dallo dalla dai dagli dalle dall del dello della dei degli delle dell di dove
    dopo durante
    e ed è e' era erano ero essere sono sei siamo siete sia siano stato stata stati state
    fa fare faccio fanno fatto fatta gli già gia i il in io l la le lei li lo loro lui
    ma me mi mia mie miei mio molto molta molti molte mai meno
    ne nei negli nel nello nella nelle nell nemmeno neanche no noi non nostro nostra nostri
    nostre nulla o od oggi ogni ora per perché perche però pero più piu poi poco
    può puo possiamo posso possono potrei potrebbe proprio qua qual quale quali quando quanto
    quanta quanti quante quasi quel quello quella quelli quelle quei questo questa questi
    queste qui se sé senza si sì sto sta stiamo stanno sempre su sua sue suo suoi sul sullo
    sulla sui sugli sulle sull solo sola soli sole stesso stessa tra fra te ti tu tua tue tuo
    tuoi tutto tutta tutti tutte tanto tanta tanti tante troppo troppa troppi troppe
    un uno una un' vi voi vostro vostra ecco invece allora quindi pure ok ciao grazie
    salve buongiorno buonasera gentili gentile prego mah boh cioè cioe dunque comunque
    qualche qualcosa qualcuno nessuno niente altro altra altri altre
    essere stare avere fare dire detto dico dice vorrei volevo vuole vogliono devo deve
    devono dovrei riesco riesce riusciamo
    x xke xché nn cmq ke tt
    anno anni giorno giorni volta volte cerco cerca cerchiamo serve servono servirebbe
    bisogno vorremmo dato sento sa so sanno
    the a an and or but of to in on at for with from by is are was were be been being
    am i me my we our you your he she it its they them their this that these those there
    have has had do does did not no can could would should will just so very too also
    what who how when where which why all any some much many more most than then into
    about up out if as get got don doesn didn can't don't know need needs help looking
    like want
    po pò ecc etc tipo
    zero uno due tre quattro cinque sei sette otto nove dieci undici dodici quindici venti trenta
    quaranta cinquanta cento mille mila primo prima secondo seconda terzo terza mezzo mezza
    one two three four five six seven eight nine ten hundred thousand first second
    """.split()
)

# Function words that tell an English text from an Italian one (neither list is exhaustive).
_ENGLISH_MARKERS = frozenset(
    "the a an and or but of to in on at for with from by is are was were be been my we our you your "
    "he she it they their this that there have has had do does did not no can could would should will "
    "i me us him her them what who how when where which".split()
)
_ITALIAN_MARKERS = frozenset(
    "il lo la i gli le un una di da del della dei delle che non per con sono è ho ha hanno mi ci si "
    "nel nella al alla ma anche come più mio mia miei nostro nostra questo questa quando".split()
)

# What an English word of a citizen's message is called in Italian, so that a theme written mostly
# in English still gets a name Italians read. Only words about needs; anything else stays as written.
ENGLISH_TO_ITALIAN = {
    "afford": "costi",
    "alone": "solitudine",
    "appointment": "appuntamenti",
    "appointments": "appuntamenti",
    "bill": "bollette",
    "bills": "bollette",
    "bus": "autobus",
    "buses": "autobus",
    "car": "auto",
    "child": "figli",
    "children": "figli",
    "class": "corsi",
    "classes": "corsi",
    "community": "comunità",
    "course": "corsi",
    "courses": "corsi",
    "depressed": "depressione",
    "digital": "digitale",
    "doctor": "medico",
    "doctors": "medici",
    "elderly": "anziani",
    "electricity": "luce",
    "evicted": "sfratto",
    "eviction": "sfratto",
    "factory": "fabbrica",
    "food": "cibo",
    "gas": "gas",
    "groceries": "spesa",
    "grocery": "spesa",
    "heating": "riscaldamento",
    "homework": "compiti",
    "hospital": "ospedale",
    "house": "casa",
    "housing": "casa",
    "income": "reddito",
    "internet": "internet",
    "italian": "italiano",
    "job": "lavoro",
    "jobs": "lavoro",
    "landlord": "padrone di casa",
    "language": "lingua",
    "lonely": "solitudine",
    "loneliness": "solitudine",
    "medicine": "medicine",
    "medicines": "medicine",
    "money": "soldi",
    "mould": "muffa",
    "mold": "muffa",
    "neighbour": "vicini",
    "neighbours": "vicini",
    "neighbourhood": "quartiere",
    "neighborhood": "quartiere",
    "nobody": "solitudine",
    "online": "online",
    "park": "parco",
    "parks": "parco",
    "pay": "pagare",
    "rent": "affitto",
    "school": "scuola",
    "shopping": "spesa",
    "son": "figli",
    "daughter": "figli",
    "space": "spazi",
    "spaces": "spazi",
    "specialist": "visite specialistiche",
    "teenage": "ragazzi",
    "teenager": "ragazzi",
    "teenagers": "ragazzi",
    "training": "formazione",
    "transport": "trasporti",
    "tutor": "doposcuola",
    "unemployed": "disoccupazione",
    "visit": "visite",
    "visits": "visite",
    "waiting": "attesa",
    "website": "sito",
    "work": "lavoro",
    "youth": "giovani",
}

_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("italian")
_stem_cache: dict[str, str] = {}


def _strip_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


def words(text: str) -> list[str]:
    """Lower-case words of at least two letters, stop words removed (apostrophes split words)."""
    return [w for w in _TOKEN.findall(text.lower()) if len(w) > 1 and w not in STOP_WORDS]


def is_english(text: str) -> bool:
    """True when a text has more English function words than Italian ones."""
    tokens = _TOKEN.findall(text.lower())
    return sum(t in _ENGLISH_MARKERS for t in tokens) > sum(t in _ITALIAN_MARKERS for t in tokens)


def stem(word: str) -> str:
    """The Italian Snowball stem, accents folded so that "città" and "citta" meet."""
    s = _stem_cache.get(word)
    if s is None:
        s = _strip_accents(_stemmer.stemWord(word))
        _stem_cache[word] = s
    return s


class Analyzer:
    """Turns texts into stemmed unigrams and bigrams, remembering the surface forms seen.

    `terms(text)` is the feature list for one text; `surface(term)` the most frequent original
    spelling of a stemmed term ("bollett pag" -> "bollette pagare").
    """

    def __init__(self):
        self._forms: dict[str, Counter] = defaultdict(Counter)

    def terms(self, text: str) -> list[str]:
        ws = words(text)
        stems = [stem(w) for w in ws]
        forms = self._forms
        for s, w in zip(stems, ws):
            forms[s][w] += 1
        bigrams = []
        for i in range(len(stems) - 1):
            if stems[i] != stems[i + 1]:
                b = stems[i] + " " + stems[i + 1]
                forms[b][ws[i] + " " + ws[i + 1]] += 1
                bigrams.append(b)
        return stems + bigrams

    def surface(self, term: str, forms_seen: dict | None = None) -> str:
        """The most written spelling of `term`: among `forms_seen` (as `forms_in` counts them, for
        example in one theme's texts) when it was written there, else among all texts analysed."""
        forms = (forms_seen or {}).get(term) or self._forms.get(term)
        if not forms:
            return term
        # Most frequent spelling; ties go to the alphabetically first, for determinism.
        return min(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    @staticmethod
    def forms_in(texts) -> dict[str, Counter]:
        """How each term (stem or stem bigram) is spelt in `texts`: the same terms `terms()` gives."""
        forms: dict[str, Counter] = defaultdict(Counter)
        for text in texts:
            ws = words(text)
            stems = [stem(w) for w in ws]
            for s, w in zip(stems, ws):
                forms[s][w] += 1
            for i in range(len(stems) - 1):
                if stems[i] != stems[i + 1]:
                    forms[stems[i] + " " + stems[i + 1]][ws[i] + " " + ws[i + 1]] += 1
        return forms
