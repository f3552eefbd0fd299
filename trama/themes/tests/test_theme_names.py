"""Theme names and key phrases read as people wrote them: real words, no filler, in Italian."""

import re

from trama.text import MESSAGE_STOP_WORDS
from trama.themes import engine

# Two themes with no word in common, so that words alone separate them whatever the seed.
GROCERIES = [
    "non riesco a fare la spesa, un po' di aiuto con la spesa",
    "la spesa al supermercato pesa un po' troppo per due borse",
    "chi mi porta la spesa? le borse della spesa sono pesanti",
    "spesa pesante, due piani di scale con le borse",
    "aiuto per la spesa e le borse, un po' di compagnia",
    "portare la spesa a casa è faticoso, tre piani, borse pesanti",
]
# Fewer texts use "spese" than "spesa", but they use it more often: over all texts "spese" is the
# most written spelling of the stem the two words share.
CONDOMINIUM = [
    "spese, spese e ancora spese condominiali: spese ovunque, spese",
    "spese del condominio, spese di riscaldamento, spese di pulizia, spese",
    "l'amministratore del condominio non risponde",
    "riunione di condominio rimandata, amministratore assente",
    "il condominio ha il tetto rotto e l'amministratore tace",
    "lite in condominio con l'amministratore per il cortile",
]
ENGLISH_BILLS = [
    "I can't pay the electricity bills this winter",
    "the bills are too high and the rent went up",
    "we are behind with rent and bills",
    "gas bills doubled, I can't afford the rent",
    "rent and bills take all my income",
    "electricity bills and rent are too much for us",
]
MIXED_LONELINESS = [
    "mia madre anziana vive da sola, nessuno viene a trovarla, è abbandonata",
    "my elderly neighbour lives alone and nobody visits her",
    "vicina anziana abbandonata in casa, nessuno la chiama",
    "elderly man alone all day, nobody talks to him",
    "signora anziana abbandonata dai parenti, sempre sola",
    "she is alone and lonely, no visits at all",
]


def describe(*groups):
    """The themes of fixed groups, in the order given (naming is tested here, not clustering)."""
    texts = [t for group in groups for t in group]
    labels = [g for g, group in enumerate(groups) for _ in group]
    themes = engine.describe(texts, labels)
    assert [t.size for t in themes] == [len(group) for group in groups]
    return themes


def test_key_phrases_have_no_filler_numbers_or_single_letters():
    for theme in describe(GROCERIES, CONDOMINIUM):
        for phrase in [theme.name, *theme.key_phrases]:
            for word in re.findall(r"\w+", phrase):
                assert word not in {"po", "due", "tre"} and word not in MESSAGE_STOP_WORDS, (word, phrase)
                assert len(word) > 1 and not word.isdigit(), (word, phrase)


def test_a_shared_stem_is_shown_as_each_theme_wrote_it():
    groceries = describe(GROCERIES, CONDOMINIUM)[0]
    written = [w for phrase in groceries.key_phrases for w in phrase.split()]
    assert "spesa" in written and "spese" not in written, groceries.key_phrases


def test_a_theme_written_in_english_gets_an_italian_name():
    bills = describe(GROCERIES, ENGLISH_BILLS)[1]
    assert bills.name == "bollette, affitto" or bills.name == "affitto, bollette", bills.name
    assert "bills" in bills.key_phrases  # the key phrases still show what people wrote


def test_a_mixed_theme_is_named_from_its_italian_words():
    loneliness = describe(CONDOMINIUM, MIXED_LONELINESS)[1]
    for word in re.findall(r"\w+", loneliness.name):
        assert word in " ".join(MIXED_LONELINESS[0::2]), loneliness.name  # the Italian texts


def test_discovery_names_its_themes_the_same_way():
    result = engine.discover(GROCERIES + ENGLISH_BILLS, n_themes=2, use_embeddings=False, seed=0)
    assert len(set(result.labels[:6])) == len(set(result.labels[6:])) == 1  # no word in common
    bills = result.themes[result.labels[-1]]
    assert set(bills.name.split(", ")) == {"bollette", "affitto"}, bills.name
