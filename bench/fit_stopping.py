"""Choose the market's stopping rule, MIN_BEST_MEANING, on the development half of the brokerage set.

Run: .venv/bin/python bench/fit_stopping.py  (reads the stored projection; writes nothing)

The product's rule (market.queries.ranked_offers) with WORDS_WEIGHT and MIN_MEANING as they are: an
answer qualifies when its words similarity is at least MIN_TEXT or its meaning similarity at least
MIN_MEANING, ordered by WORDS_WEIGHT × words + the rest × meaning (negatives as 0). Then the stopping
rule: the list stands only when at least one qualifying answer means much the same as the need (meaning
similarity at least the threshold); otherwise nothing is proposed ("Nessuna risposta adatta per ora").

Two kinds of rule were tried on the development half (docs/benchmarks.md): a floor under every
answer's score (`item`) costs more on the needs that have an answer than it gains on those that have
none, at any height, so honest_list picks 0; the list-level rule on meaning (`list`) does not. The
threshold is the one with the best `honest_list` on the development half (the lowest of equals); the
held-out half is printed once, for the chosen rule.
"""

import os

for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(name, "1")

import common  # noqa: E402

common.scratch_django()

import numpy as np  # noqa: E402
from brokerage import evaluate, load, split  # noqa: E402
from embedding_cache import embed  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from trama.market import meaning  # noqa: E402
from trama.market.queries import MIN_MEANING, MIN_TEXT, WORDS_WEIGHT  # noqa: E402
from trama.text import stem_text  # noqa: E402

THRESHOLDS = np.round(np.arange(0.0, 0.6, 0.005), 3)
LIMIT = 10


def rankings(words, sims, ids, needs, threshold, rule="list"):
    out = {}
    for need in needs:
        s, m = words[need["id"]], sims[need["id"]]
        text = WORDS_WEIGHT * s + (1 - WORDS_WEIGHT) * np.maximum(m, 0)
        eligible = (s >= MIN_TEXT) | (m >= MIN_MEANING)
        if rule == "item":
            eligible &= text >= threshold
        elif not (eligible & (m >= threshold)).any():
            eligible[:] = False
        score = np.where(eligible, text, -np.inf)
        order = np.argsort(-score, kind="stable")[:LIMIT]
        out[need["id"]] = [ids[i] for i in order if np.isfinite(score[i])]
    return out


def rounded(figures):
    return {k: round(v, 3) for k, v in figures.items()}


def main():
    needs, pool = load()
    dev, held = split(needs)
    ids = [item["id"] for item in pool]
    answers = meaning.project(embed([item["text"] for item in pool]))
    asks = meaning.project(embed([need["text"] for need in needs]))
    vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform([stem_text(item["text"]) for item in pool])
    queries = vectorizer.transform([stem_text(need["text"]) for need in needs])
    words = {need["id"]: np.asarray((matrix @ queries[i].T).todense()).ravel() for i, need in enumerate(needs)}
    sims = {need["id"]: answers @ asks[i] for i, need in enumerate(needs)}
    for rule in ("item", "list"):
        scored = [(evaluate(rankings(words, sims, ids, dev, t, rule), dev)["honest_list"], -t) for t in THRESHOLDS]
        best = -max(scored)[1]
        print(f"rule {rule}: chosen on the development half {best}")
        for t in sorted({0.0, best, 0.3, 0.4, 0.45, 0.5}):
            print(f"  {t:5} development", rounded(evaluate(rankings(words, sims, ids, dev, t, rule), dev)))
    print(f"  {best:5} held out   ", rounded(evaluate(rankings(words, sims, ids, held, best), held)))
    print(f"  {0.0:5} held out   ", rounded(evaluate(rankings(words, sims, ids, held, 0.0), held)))


if __name__ == "__main__":
    main()
