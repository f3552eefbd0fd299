"""Discovery is deterministic and stable (issue 16, step 5).

- The same items and seed give the same themes, and the database does not change them: items are
  read in primary-key order, so the run below gives the same partition and names on SQLite and on
  PostgreSQL (the suite runs on both).
- Adding 1 % of texts keeps at least 90 % of the items in matching themes (`engine.matched_share`).
  bench/stability_themes.py measures it on the development halves of the three labelled sets.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from trama.themes import engine
from trama.themes.models import Tag, Theme

EVAL_SET = Path(__file__).resolve().parents[1] / "data" / "eval_it.jsonl"
LABELS = ("divario_digitale", "casa_bollette", "doposcuola_compiti", "lingua_stranieri", "solitudine_anziani")
STABLE = 0.9


def test_matched_share_ignores_the_themes_numbers_and_counts_moved_items():
    assert engine.matched_share([0, 0, 1, 1, 2], [2, 2, 0, 0, 1, 1]) == 1.0  # renumbered, one item added
    assert engine.matched_share([0, 0, 0, 1, 1], [0, 0, 1, 1, 1]) == 0.8  # one item moved
    assert engine.matched_share([0, 0, 1, 1], [0, 0, 0, 0]) == 0.5  # two themes became one
    assert engine.matched_share([], [0]) == 1.0


@pytest.fixture(scope="module")
def fixed_set():
    """100 texts of five labels of the evaluation set and one more of them, embedded once."""
    rows = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines()]
    per_label = {label: [r["text"] for r in rows if r["label"] == label] for label in LABELS}
    texts = [text for label in LABELS for text in per_label[label][:20]]
    extra = per_label[LABELS[0]][20]
    texts.append(extra)
    return texts, engine.embed(texts)


@pytest.mark.parametrize("seed", [0, 1])
def test_adding_one_percent_of_texts_keeps_nine_items_in_ten_in_matching_themes(fixed_set, seed):
    texts, vectors = fixed_set
    before = engine.discover(texts[:100], n_themes=5, seed=seed, embeddings=vectors[:100])
    after = engine.discover(texts, n_themes=5, seed=seed, embeddings=vectors)
    assert engine.matched_share(before.labels, after.labels) >= STABLE


def test_the_same_seed_gives_the_same_themes_and_names(fixed_set):
    texts, vectors = fixed_set
    first = engine.discover(texts, n_themes=5, seed=3, embeddings=vectors)
    second = engine.discover(list(texts), n_themes=5, seed=3, embeddings=vectors.copy())
    assert np.array_equal(first.labels, second.labels)
    assert [(t.name, t.key_phrases, t.examples) for t in first.themes] == [(t.name, t.key_phrases, t.examples) for t in second.themes]


def _partition(themes):
    """The partition (as sets of the items' texts) and the names of a run's themes."""
    parts = sorted(sorted(Tag.objects.filter(theme=t).values_list("item__text", flat=True)) for t in themes)
    return parts, sorted(t.suggested_name for t in themes)


@pytest.mark.django_db
def test_a_run_gives_the_database_free_engine_result_on_every_database(coordinator, corpus, run_for):
    """The suite runs on SQLite and on PostgreSQL: on each, a run over stored items and vectors gives the very
    partition and names the engine gives on the same texts and vectors held in memory, and the same again."""
    themes, _run = run_for(coordinator, seed=1, themes=3)
    first = _partition(themes)
    items = sorted(corpus, key=lambda item: item.pk)
    for item in items:
        item.refresh_from_db()
    texts = [item.text for item in items]
    reference = engine.discover(texts, n_themes=3, seed=1, embeddings=np.vstack([item.vector() for item in items]))
    groups = [sorted(text for text, label in zip(texts, reference.labels, strict=True) if label == t.theme) for t in reference.themes]
    assert first == (sorted(groups), sorted(t.name for t in reference.themes))
    Theme.objects.all().delete()
    again, _run = run_for(coordinator, seed=1, themes=3)
    assert _partition(again) == first


def test_started_from_the_previous_themes_the_same_items_keep_their_themes(fixed_set):
    """Re-discovering unchanged items from the previous run's themes gives back that partition."""
    texts, vectors = fixed_set
    before = engine.discover(texts[:100], n_themes=5, seed=1, embeddings=vectors[:100])
    again = engine.discover(texts[:100], n_themes=5, seed=1, embeddings=vectors[:100], previous=before.labels)
    assert engine.matched_share(before.labels, again.labels) == 1.0


@pytest.mark.parametrize("seed", [0, 1])
def test_started_from_the_previous_themes_one_percent_more_keeps_nineteen_items_in_twenty(fixed_set, seed):
    texts, vectors = fixed_set
    before = engine.discover(texts[:100], n_themes=5, seed=seed, embeddings=vectors[:100])
    previous = np.append(before.labels, -1)  # the added text was not themed before
    after = engine.discover(texts, n_themes=5, seed=seed, embeddings=vectors, previous=previous)
    assert engine.matched_share(before.labels, after.labels) >= 0.95


def test_previous_themes_of_another_number_are_not_used(fixed_set):
    texts, vectors = fixed_set
    cold = engine.discover(texts, n_themes=5, seed=0, embeddings=vectors)
    three = np.arange(len(texts)) % 3
    assert np.array_equal(engine.discover(texts, n_themes=5, seed=0, embeddings=vectors, previous=three).labels, cold.labels)
