import json
import re
from pathlib import Path

import numpy as np
import pytest

from trama.text import Analyzer, content_words
from trama.themes import engine

EVAL_SET = Path(__file__).resolve().parents[1] / "data" / "eval_it.jsonl"
LABELS = ("divario_digitale", "casa_bollette", "doposcuola_compiti", "lingua_stranieri")


@pytest.fixture(scope="module")
def sample():
    """80 texts of four well-separated labels from the evaluation set, embedded once."""
    rows = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["label"] in LABELS][:80]
    texts = [r["text"] for r in rows]
    return texts, [r["label"] for r in rows], engine.embed(texts)


def test_same_texts_and_seed_give_the_same_themes(sample):
    texts, _, _ = sample
    first = engine.discover(texts, n_themes=4, seed=7)
    second = engine.discover(texts, n_themes=4, seed=7)
    assert np.array_equal(first.labels, second.labels)
    assert [t.key_phrases for t in first.themes] == [t.key_phrases for t in second.themes]


def test_fixed_number_of_themes_is_respected(sample):
    texts, _, embeddings = sample
    result = engine.discover(texts, n_themes=4, embeddings=embeddings)
    assert len(result.themes) == 4
    assert sorted(set(result.labels)) == [0, 1, 2, 3]
    assert not result.n_themes_chosen


def test_number_of_themes_is_chosen_in_a_sane_range(sample):
    texts, _, embeddings = sample
    result = engine.discover(texts, embeddings=embeddings)
    assert result.n_themes_chosen
    assert 2 <= len(result.themes) <= len(texts) // 5


def test_themes_recover_well_separated_labels(sample):
    from sklearn.metrics import normalized_mutual_info_score

    texts, labels, embeddings = sample
    result = engine.discover(texts, n_themes=4, embeddings=embeddings)
    assert normalized_mutual_info_score(labels, result.labels) > 0.5


def test_names_and_key_phrases_are_words_people_wrote_not_stems(sample):
    texts, _, embeddings = sample
    written = {w for t in texts for w in content_words(t)}
    result = engine.discover(texts, n_themes=4, embeddings=embeddings)
    for theme in result.themes:
        assert theme.key_phrases
        assert theme.name.split(", ")[0] == theme.key_phrases[0]
        for phrase in theme.key_phrases:
            assert all(word in written for word in phrase.split()), phrase


def test_themes_are_numbered_from_the_largest_with_examples_from_their_members(sample):
    texts, _, embeddings = sample
    result = engine.discover(texts, n_themes=4, embeddings=embeddings)
    sizes = [t.size for t in result.themes]
    assert sizes == sorted(sizes, reverse=True) and sum(sizes) == len(texts)
    for theme in result.themes:
        assert theme.examples and all(result.labels[i] == theme.theme for i in theme.examples)


def test_texts_beyond_the_embedded_sample_get_a_theme_from_their_words(sample):
    texts, _, _ = sample
    result = engine.discover(texts, n_themes=4, max_embedded=60)
    assert len(result.labels) == len(texts)
    assert len(set(result.labels)) == 4


def test_texts_without_content_words_do_not_break_discovery():
    result = engine.discover(["e poi", "ma se", "!!!", "123"], use_embeddings=False)
    assert len(result.labels) == 4


def test_surface_form_is_the_most_written_spelling_of_a_stem():
    analyzer = Analyzer()
    for text in ("le bollette sono care", "bollette altissime", "una bolletta enorme"):
        terms = analyzer.terms(text)
    assert analyzer.surface(terms[0]) == "bollette"
    assert not re.search(r"\bbollett\b", analyzer.surface(terms[0]))
