"""The brokerage evaluation set (bench/data/brokerage/) is well-formed, and its metrics are right
on examples small enough to compute by hand."""

import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import brokerage  # noqa: E402


@pytest.fixture(scope="module")
def evalset():
    return brokerage.load()


def test_the_set_has_at_least_150_needs_and_600_answers_with_unique_ids(evalset):
    needs, pool = evalset
    assert len(needs) >= 150 and len(pool) >= 600
    assert len({n["id"] for n in needs}) == len(needs)
    assert len({p["id"] for p in pool}) == len(pool)
    assert len({p["text"] for p in pool}) == len(pool)


def test_every_judgment_points_to_an_answer_of_the_pool_with_grade_1_or_2(evalset):
    needs, pool = evalset
    ids = {p["id"] for p in pool}
    for need in needs:
        assert set(need["relevant"]) <= ids, need["id"]
        assert set(need["relevant"].values()) <= {1, 2}, need["id"]


def test_needs_with_no_answer_are_tagged_so_and_there_are_enough_of_them(evalset):
    needs, _ = evalset
    for need in needs:
        assert ("no_answer" in need["tags"]) == (not need["relevant"]), need["id"]
    assert sum(not n["relevant"] for n in needs) >= 10


def test_the_pool_holds_the_four_kinds_of_answer_and_the_needs_five_other_languages(evalset):
    needs, pool = evalset
    assert {p["kind"] for p in pool} == {"offer", "activity", "group", "service"}
    assert {p["by"] for p in pool if p["kind"] == "offer"} == {"person", "organisation"}
    assert {"en", "ar", "ro", "es", "uk"} <= {n["lang"] for n in needs}


def test_the_halves_are_disjoint_fixed_and_both_hold_needs_with_no_answer(evalset):
    needs, _ = evalset
    dev, held = brokerage.split(needs)
    assert {n["id"] for n in dev}.isdisjoint({n["id"] for n in held})
    assert len(dev) + len(held) == len(needs)
    assert brokerage.split(list(reversed(needs)))[1] == list(reversed(held))
    for half in (dev, held):
        assert any(not n["relevant"] for n in half)
        assert any(n["lang"] != "it" for n in half)


def test_reciprocal_rank_counts_the_first_relevant_answer_within_five():
    relevant = {"b": 1, "c": 2}
    assert brokerage.reciprocal_rank(["a", "b", "c"], relevant) == 0.5
    assert brokerage.reciprocal_rank(["c"], relevant) == 1.0
    assert brokerage.reciprocal_rank(["a", "x", "y", "z", "w", "b"], relevant) == 0.0
    assert brokerage.reciprocal_rank([], relevant) == 0.0


def test_ndcg_by_hand():
    relevant = {"a": 2, "b": 1}
    assert brokerage.ndcg(["a", "b"], relevant) == 1.0
    # Swapped: (1 + 3 / log2 3) / (3 + 1 / log2 3)
    assert brokerage.ndcg(["b", "a"], relevant) == pytest.approx((1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3)))
    # The grade-2 answer third, behind an irrelevant one: (0 + 1/log2 3 + 3/2) / (3 + 1/log2 3)
    assert brokerage.ndcg(["x", "b", "a"], relevant) == pytest.approx((1 / math.log2(3) + 3 / 2) / (3 + 1 / math.log2(3)))
    assert brokerage.ndcg([], relevant) == 0.0
    # Only the first k count.
    assert brokerage.ndcg(["x", "a"], relevant, k=1) == 0.0


def test_evaluate_rewards_an_empty_list_only_when_nothing_fits():
    needs = [
        {"id": "n1", "relevant": {"a": 2}},
        {"id": "n2", "relevant": {}},
        {"id": "n3", "relevant": {"b": 1}},
    ]
    padded = brokerage.evaluate({"n1": ["a"], "n2": ["a"], "n3": []}, needs)
    assert padded["mrr5"] == 0.5  # n1 first, n3 nothing
    assert padded["silent_when_nothing_fits"] == 0.0
    assert padded["silent_when_something_fits"] == 0.5
    assert padded["honest_list"] == pytest.approx(1 / 3)
    honest = brokerage.evaluate({"n1": ["a"], "n2": [], "n3": ["b"]}, needs)
    assert honest["silent_when_nothing_fits"] == 1.0
    assert honest["honest_list"] == 1.0


def test_price_of_silence_is_the_share_of_answerable_needs_emptied_to_quiet_half_the_others():
    needs = [
        {"id": "q1", "relevant": {}},
        {"id": "q2", "relevant": {}},
        {"id": "a1", "relevant": {"x": 2}},
        {"id": "a2", "relevant": {"x": 2}},
        {"id": "a3", "relevant": {"x": 2}},
        {"id": "a4", "relevant": {"x": 2}},
    ]
    best = {"q1": 0.3, "q2": 0.5, "a1": 0.2, "a2": 0.4, "a3": 0.6, "a4": 0.9}
    scores = {need_id: np.array([0.0, value]) for need_id, value in best.items()}
    # Emptying q1's list (best 0.3) but not q2's takes a threshold of 0.5: a1 and a2 go quiet too.
    assert brokerage.price_of_silence(scores, needs) == {"threshold": 0.5, "silent_when_something_fits": 0.5}
