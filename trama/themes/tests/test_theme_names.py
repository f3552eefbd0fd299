"""Theme names and key phrases read as people wrote them: real words, no filler, in Italian."""

import re

import pytest

from trama.text import MESSAGE_STOP_WORDS
from trama.themes import engine, naming

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


# Older people alone: people write "passa" and "vive" in nearly every text, and they say nothing of the theme.
ALONE = [
    "vive sola e passa le giornate davanti alla televisione, la solitudine le pesa",
    "passa la domenica da solo, vive lontano dai figli e nessuno lo chiama",
    "la signora vive sola, passa il pomeriggio alla finestra, le manca la compagnia",
    "vive solo dopo la pensione e passa il tempo senza parlare con nessuno",
    "vive sola al terzo piano, passa giorni interi senza compagnia",
    "passa le serate da sola, vive in un palazzo dove non conosce nessuno",
]
# Bills: "pagare" is in every text, a verb; what the theme is about is the bills and the rent (in five).
BILLS = [
    "non riesce a pagare la bolletta della luce e l'affitto",
    "pagare l'affitto e la bolletta del gas, a fine mese non resta niente",
    "deve pagare la bolletta arretrata, rischia lo sfratto per l'affitto",
    "chiede aiuto per pagare la bolletta, l'affitto è aumentato",
    "non ha i soldi per pagare l'affitto, bolletta scaduta",
    "pagare la bolletta con una pensione minima",
]
# Electricity bills: "bollette della luce" recurs as a phrase.
LIGHT_BILLS = [
    "le bollette della luce sono raddoppiate quest'inverno",
    "bollette della luce troppo care, spegne tutto",
    "arrivano bollette della luce altissime",
    "non paga le bollette della luce da tre mesi",
    "le bollette della luce e il riscaldamento costano troppo",
    "bollette della luce arretrate, teme il distacco",
]
# Half English, half Italian: "list" and "lista" share a stem, as many times in each language.
WAITING_LIST = [
    "the waiting list for the specialist is six months long",
    "my mother has been on the waiting list for home care since spring",
    "la lista d'attesa per la visita specialistica è di sei mesi",
    "mio padre è in lista d'attesa per l'assistenza domiciliare",
    "the specialist has no appointments until next year",
    "per la visita specialistica bisogna aspettare un anno",
]
# Evenings alone: "compagnia la sera" recurs; "sera" alone would say nothing, with "compagnia" it does.
EVENINGS = [
    "cerca compagnia la sera, dopo cena non sa con chi parlare",
    "vorrebbe compagnia la sera per guardare un film insieme",
    "un po' di compagnia la sera gli farebbe bene",
    "la figlia lavora e lei cerca compagnia la sera",
    "compagnia la sera per una signora che ha paura del buio",
    "nessuna compagnia la sera, solo la radio",
]
# Written in English with no word `text.ENGLISH_TO_ITALIAN` knows: drinking and gambling.
ENGLISH_ADDICTION = [
    "my brother drinks every night and gambles away his wages",
    "he is addicted to gambling machines at the bar",
    "alcohol abuse is destroying my husband",
    "my son drinks heavily and uses drugs",
    "gambling addiction, slot machines every day",
    "she drinks alone, alcohol and pills",
]


def words_of(theme):
    return {w for phrase in [theme.name, *theme.key_phrases] for w in re.findall(r"\w+", phrase)}


def test_verbs_people_use_in_every_story_never_name_a_theme():
    alone = describe(ALONE, GROCERIES)[0]
    for word in re.findall(r"\w+", alone.name):
        assert word not in {"passa", "vive", "solo"} | naming.NAME_FILLERS, alone.name
    assert {"passa", "vive"}.isdisjoint(alone.key_phrases), alone.key_phrases  # not on their own


def test_a_name_prefers_the_things_to_the_verb():
    bills = describe(BILLS, GROCERIES)[0]
    assert "pagare" not in bills.name and set(bills.name.split(", ")) == {"bolletta", "affitto"}, bills.name


@pytest.mark.parametrize("texts, phrase", [(LIGHT_BILLS, "bollette luce"), (EVENINGS, "compagnia sera")])
def test_a_phrase_people_repeat_names_the_theme(texts, phrase):
    theme = describe(texts, GROCERIES)[0]
    assert theme.name.split(", ")[0] == phrase, theme.name
    assert theme.key_phrases[0] == phrase


def test_an_english_theme_without_known_words_takes_the_nearest_traditional_category():
    addiction = describe(GROCERIES, ENGLISH_ADDICTION)[1]
    assert addiction.name == "dipendenze", addiction.name
    assert "gambling" in addiction.key_phrases or "drinks" in addiction.key_phrases  # what people wrote


def test_no_name_is_in_english_or_carries_a_prefix():
    for theme in describe(GROCERIES, ENGLISH_BILLS, ENGLISH_ADDICTION, MIXED_LONELINESS):
        assert "inglese" not in theme.name and not re.search(r"\b(bills|rent|alone|elderly|gambling|drinks)\b", theme.name), theme.name


def test_a_mixed_theme_shows_its_italian_words_as_the_italian_texts_spell_them():
    waiting = describe(GROCERIES, WAITING_LIST)[1]
    assert "lista" in re.findall(r"\w+", waiting.name) and "list" not in re.findall(r"\w+", waiting.name), waiting.name


def test_two_themes_of_one_run_never_share_a_name():
    # The same texts in two themes (people who sent the same message twice, split apart): the same
    # words in both, yet each theme takes a name of its own.
    themes = describe(GROCERIES, GROCERIES[::-1], CONDOMINIUM)
    names = [t.name for t in themes]
    assert len(set(names)) == len(names), names
    assert all(t.name for t in themes)
