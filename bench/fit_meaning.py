"""Fit the market's reduction of e5 vectors to 128 dimensions and tune how meaning joins the words.

Run: .venv/bin/python bench/fit_meaning.py  (writes trama/market/data/meaning_projection.npz)

The projection: the first 128 principal components of the 605 answers of the evaluation pool
(bench/data/brokerage/pool.jsonl, embedded as themes does, "query: "), after subtracting their mean;
the needs take no part in it. Then, on the development half of the needs only, the product's rule
(market.queries.ranked_offers) is simulated: an answer qualifies when its words similarity is at
least MIN_TEXT or its meaning similarity (cosine of the projected vectors) at least a threshold, and
qualifying answers are ordered by w * words + (1 - w) * meaning (place, days and kind are equal for
every answer of the set). w and the threshold are chosen on `honest_list`, as bench_brokerage does.
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
from trama.market.queries import MIN_TEXT  # noqa: E402
from trama.market.text import stem_text  # noqa: E402

DIMENSIONS = 128
WEIGHTS = np.round(np.arange(0.0, 1.0001, 0.05), 2)
THRESHOLDS = np.round(np.arange(0.0, 0.95, 0.01), 2)
LIMIT = 10


def fit(pool_vectors, dimensions=DIMENSIONS):
    mean = pool_vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(pool_vectors - mean, full_matrices=False)
    return mean.astype(np.float32), vt[:dimensions].astype(np.float32)


def rankings(words, sims, ids, needs, w, threshold):
    out = {}
    for need in needs:
        s, m = words[need["id"]], sims[need["id"]]
        score = np.where((s >= MIN_TEXT) | (m >= threshold), w * s + (1 - w) * m, -np.inf)
        order = np.argsort(-score, kind="stable")[:LIMIT]
        out[need["id"]] = [ids[i] for i in order if np.isfinite(score[i])]
    return out


def main():
    needs, pool = load()
    dev, held = split(needs)
    ids = [item["id"] for item in pool]
    pool_vectors = embed([item["text"] for item in pool])
    need_vectors = embed([need["text"] for need in needs])
    mean, components = fit(pool_vectors)
    meaning.PROJECTION.parent.mkdir(parents=True, exist_ok=True)
    np.savez(meaning.PROJECTION, mean=mean, components=components)
    meaning.forget_projection()
    answers = np.vstack([meaning.vector_of(meaning.project(v)) for v in pool_vectors])
    asks = np.vstack([meaning.vector_of(meaning.project(v)) for v in need_vectors])
    vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform([stem_text(item["text"]) for item in pool])
    queries = vectorizer.transform([stem_text(need["text"]) for need in needs])
    words = {need["id"]: np.asarray((matrix @ queries[i].T).todense()).ravel() for i, need in enumerate(needs)}
    sims = {need["id"]: answers @ asks[i] for i, need in enumerate(needs)}
    best = None
    for w in WEIGHTS:
        for t in THRESHOLDS:
            figure = evaluate(rankings(words, sims, ids, dev, w, t), dev)["honest_list"]
            if best is None or figure > best[0]:
                best = (figure, float(w), float(t))
    _, w, t = best
    centred = pool_vectors - mean
    kept = float(np.linalg.norm(components @ centred.T) ** 2 / np.linalg.norm(centred) ** 2)
    print(f"projection: {DIMENSIONS} of 384 dimensions, {100 * kept:.1f} % of the pool's variance")
    print(f"tuned on the development half: weight of the words {w}, meaning threshold {t}")
    for name, part in (("development", dev), ("held out", held)):
        print(name, {k: round(v, 3) for k, v in evaluate(rankings(words, sims, ids, part, w, t), part).items()})
    for t2 in (0.3, 0.4, 0.5, 0.6, 0.7):
        print(f"  threshold {t2}:", {k: round(v, 3) for k, v in evaluate(rankings(words, sims, ids, dev, w, t2), dev).items()})


if __name__ == "__main__":
    main()
