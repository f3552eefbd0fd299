"""One Italian text module (trama/text.py) for matching, themes and suggestions, each use reading as it was measured."""

import ast
from pathlib import Path

from trama import text

ROOT = Path(__file__).resolve().parent.parent


def test_matching_drops_the_elided_word_and_themes_keep_it():
    assert text.words("Dell'orto e quell'anno") == ["orto", "e", "anno"]
    assert text.content_words("Dell'orto e quell'anno") == ["orto", "quell"]


def test_each_use_keeps_its_own_stop_words():
    # "vorrei" is filler in a citizen's message, not a Snowball stop word; "sarebbe" the other way round.
    assert text.stems("vorrei sarebbe bollette") == ["vorre", "bollett"]
    assert text.content_words("vorrei sarebbe bollette") == ["sarebbe", "bollette"]


def test_themes_fold_accents_and_matching_does_not():
    assert text.folded_stem("età") == text.folded_stem("eta") == "eta"
    assert text.stem("età") == "età" != text.stem("eta")


def test_matching_stores_stems_and_finds_the_words_a_need_shares():
    assert text.stem_text("Porto la spesa alle signore anziane") == "port spes signor anzian"
    assert text.shared_words(["spes", "anzian"], "Aiuto con la spesa per persone anziane") == ["spesa", "anziane"]


def test_the_analyzer_gives_stems_and_bigrams_and_reads_them_back_as_written():
    analyzer = text.Analyzer()
    assert analyzer.terms("bollette da pagare") == ["bollett", "pag", "bollett pag"]
    analyzer.terms("la bolletta")
    analyzer.terms("altre bollette")
    assert analyzer.surface("bollett") == "bollette"
    assert analyzer.surface("bollett pag") == "bollette pagare"


def test_no_other_module_stems_italian():
    """The Snowball stemmer is loaded in trama/text.py only: a second stemmer would read Italian differently."""
    stemming = []
    for path in sorted((ROOT).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module] if isinstance(node, ast.ImportFrom) else []
            if "snowballstemmer" in names:
                stemming.append(str(path.relative_to(ROOT)))
    assert stemming == ["text.py"]


def test_the_language_of_a_persons_text_is_guessed_by_script_or_by_frequent_words():
    assert text.guess_language("أحتاج إلى مساعدة في التسوق") == "ar"
    assert text.guess_language("Мені потрібна допомога з покупками") == "uk"
    assert text.guess_language("Мне нужна помощь, у меня нет еды") == "ru"
    assert text.guess_language("Am nevoie de ajutor pentru cumpărături, sunt singură") == "ro"
    assert text.guess_language("Kam nevojë për ndihmë me pazarin, jam vetëm") == "sq"
    assert text.guess_language("J'ai besoin d'aide pour les courses, je suis seule") == "fr"
    assert text.guess_language("I need help with shopping, my mother is alone") == "en"


def test_italian_and_too_little_text_get_no_language():
    assert text.guess_language("Ho bisogno di una mano con la spesa per mia madre") is None
    assert text.guess_language("La signora del terzo piano è sola e non esce più") is None
    assert text.guess_language("Ciao") is None
    assert text.guess_language("123 !!") is None
