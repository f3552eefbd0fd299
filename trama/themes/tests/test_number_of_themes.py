"""The engine's own choice of the number of themes (issue 16, step 1): within a factor 1.5 of the labels.

Eight labels of the team's evaluation set, 25 texts each: the former choice (best silhouette of the
joined views) took 17 and 20 themes here for seeds 0 and 1, beyond 8 × 1.5 = 12; counting the groups
that keep most of their neighbours inside (`engine._count_themes`) takes 11.
bench/choose_themes_k.py measures the choice on the three labelled sets (docs/benchmarks.md).
"""

import json
from pathlib import Path

import numpy as np
import pytest

from trama.themes import engine

EVAL_SET = Path(__file__).resolve().parents[1] / "data" / "eval_it.jsonl"
PER_LABEL = 25
LABELS = 8


@pytest.fixture(scope="module")
def labelled():
    """The first 25 texts of the first eight labels (alphabetical) of the evaluation set, embedded once."""
    rows = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = sorted({r["label"] for r in rows})[:LABELS]
    picked = [r for label in chosen for r in [row for row in rows if row["label"] == label][:PER_LABEL]]
    texts = [r["text"] for r in picked]
    return texts, [r["label"] for r in picked], engine.embed(texts)


def within_a_factor(found, labels, factor=1.5):
    return labels / factor <= found <= labels * factor


@pytest.mark.parametrize("seed", [0, 1])
def test_the_chosen_number_of_themes_is_within_a_factor_one_and_a_half_of_the_labels(labelled, seed):
    texts, labels, vectors = labelled
    result = engine.discover(texts, seed=seed, embeddings=vectors)
    assert result.n_themes_chosen
    assert within_a_factor(len(result.themes), len(set(labels))), len(result.themes)


def test_the_choice_does_not_grow_with_the_number_of_texts(labelled):
    """Half of the texts of the same labels: each text's neighbours are a share of the texts, so the
    count of themes stays near the labels instead of following the number of texts."""
    texts, labels, vectors = labelled
    half = np.arange(0, len(texts), 2)
    result = engine.discover([texts[i] for i in half], seed=0, embeddings=vectors[half])
    assert within_a_factor(len(result.themes), LABELS), len(result.themes)


def test_the_same_seed_chooses_the_same_themes(labelled):
    texts, _, vectors = labelled
    first = engine.discover(texts, seed=4, embeddings=vectors)
    second = engine.discover(list(texts), seed=4, embeddings=vectors.copy())
    assert np.array_equal(first.labels, second.labels)


def test_above_the_counting_sample_the_count_is_taken_on_a_sample_fixed_by_the_seed(labelled, monkeypatch):
    texts, labels, vectors = labelled
    monkeypatch.setattr(engine, "_COUNT_SAMPLE", 150)
    first = engine.discover(texts, seed=2, embeddings=vectors)
    second = engine.discover(texts, seed=2, embeddings=vectors)
    assert np.array_equal(first.labels, second.labels)
    assert within_a_factor(len(first.themes), len(set(labels))), len(first.themes)


def test_a_number_of_themes_given_is_kept(labelled):
    texts, _, vectors = labelled
    assert len(engine.discover(texts, n_themes=5, seed=0, embeddings=vectors).themes) == 5
