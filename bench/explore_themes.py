"""Variants of theme discovery tried on the development halves only (issue 16); figures in docs/benchmarks.md.

    .venv/bin/python bench/explore_themes.py [--seeds 0 1 2]

Every variant is scored (NMI, ARI, mean of the seeds) on the development half of each set, next to
the engine and both baselines with the number of themes given. The held-out halves are not read here.
Writes var/bench/themes_variants.json.
"""

import argparse
import itertools

import devsets  # noqa: E402
import numpy as np
from bench_themes import baseline  # noqa: E402
from common import header, write_report  # noqa: E402  (also puts the project on sys.path)
from embedding_cache import embed as cached_embed  # noqa: E402
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.preprocessing import normalize

from trama.text import Analyzer  # noqa: E402
from trama.themes import engine  # noqa: E402

WEIGHTS = (0.5, 1.0, 1.5, 2.0, 3.0)


def views(texts, seed):
    """The engine's two views: LSA of stems and bigrams, and e5 with its common component removed."""
    analyzer = Analyzer()
    tfidf, _ = engine._tfidf([analyzer.terms(t) for t in texts])
    lsa = engine._word_view(tfidf, seed)
    emb = cached_embed(texts)
    return lsa, normalize(emb - emb.mean(axis=0)), emb


def joined(lsa, e5, weight):
    return normalize(np.hstack([lsa, weight * e5]))


def ward(features, k):
    return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(features)


def deduplicated(features, k, seed, threshold=0.95):
    """k-means on one representative per group of near-identical texts (cosine above `threshold`)."""
    n = len(features)
    representative = np.arange(n)
    similarity = features @ features.T
    for i in range(n):
        if representative[i] != i:
            continue
        close = np.flatnonzero((similarity[i] >= threshold) & (np.arange(n) > i) & (representative == np.arange(n)))
        representative[close] = i
    reps = np.unique(representative)
    rep_labels = KMeans(min(k, len(reps)), n_init=10, random_state=seed).fit_predict(features[reps])
    mapping = dict(zip(reps, rep_labels))
    return np.array([mapping[r] for r in representative]), n - len(reps)


def stability_k(features, seed, high=None, runs=4, share=0.8):
    """The k whose k-means clusterings of random 80 % subsamples agree best (mean pairwise ARI on
    the shared texts), corrected for the agreement that grows as k shrinks by preferring the largest
    k within 0.02 of the best; candidates 2..min(40, n/5)."""
    n = len(features)
    high = high or min(engine.MAX_THEMES, n // 5)
    rng = np.random.default_rng(seed)
    samples = [np.sort(rng.choice(n, int(share * n), replace=False)) for _ in range(runs)]
    stability = {}
    for k in range(2, high + 1):
        labelled = []
        for r, sample in enumerate(samples):
            full = np.full(n, -1)
            full[sample] = KMeans(k, n_init=1, random_state=seed + r).fit_predict(features[sample])
            labelled.append(full)
        agreement = []
        for a, b in itertools.combinations(labelled, 2):
            both = (a >= 0) & (b >= 0)
            agreement.append(adjusted_rand_score(a[both], b[both]))
        stability[k] = float(np.mean(agreement))
    best = max(stability.values())
    return max(k for k, s in stability.items() if s >= best - 0.02), stability


def silhouette_k(features, seed, high=None):
    from sklearn.metrics import silhouette_score

    n = len(features)
    high = high or min(engine.MAX_THEMES, n // 5)
    scores = {
        k: silhouette_score(features, KMeans(k, n_init=3, random_state=seed).fit_predict(features), metric="cosine") for k in range(2, high + 1)
    }
    return max(scores, key=scores.get)


def score(labels, predicted):
    return normalized_mutual_info_score(labels, predicted), adjusted_rand_score(labels, predicted)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--no-k-choice", action="store_true", help="skip the (slow) choices of the number of themes")
    parser.add_argument("--weights", type=float, nargs="+", default=list(WEIGHTS), help="e5 weights of the joined views")
    parser.add_argument("--sets", nargs="+", default=list(devsets.SETS), choices=list(devsets.SETS))
    args = parser.parse_args()
    report = {**header("themes_variants"), "seeds": args.seeds, "sets": {}}
    for name in args.sets:
        dev, _ = devsets.split(devsets.load(name))
        texts, labels = [r["text"] for r in dev], [r["label"] for r in dev]
        k = len(set(labels))
        results = {}

        def record(variant, value, extra=None, results=results):
            results.setdefault(variant, []).append((value, extra))

        for seed in args.seeds:
            lsa, e5, raw = views(texts, seed)
            record("engine, K given", score(labels, engine.discover(texts, n_themes=k, seed=seed, embeddings=raw).labels))
            record("TF-IDF+LSA100+k-means", score(labels, baseline(texts, k, seed)))
            record("e5+k-means", score(labels, KMeans(k, n_init=10, random_state=seed).fit_predict(raw)))
            for w in args.weights:
                features = joined(lsa, e5, w)
                record(f"(a) LSA+e5 w={w} k-means", score(labels, KMeans(k, n_init=10, random_state=seed).fit_predict(features)))
                record(f"(b) LSA+e5 w={w} Ward", score(labels, ward(features, k)))
                predicted, merged = deduplicated(features, k, seed)
                record(f"(d) LSA+e5 w={w} dedup 0.95 k-means", score(labels, predicted), merged)
            if not args.no_k_choice:
                features = joined(lsa, e5, max(args.weights))
                chosen, _ = stability_k(features, seed)
                record(
                    f"(c) K by stability, LSA+e5 w={max(args.weights)}",
                    score(labels, KMeans(chosen, n_init=10, random_state=seed).fit_predict(features)),
                    chosen,
                )
                chosen = silhouette_k(features, seed)
                record(
                    f"(c') K by silhouette, LSA+e5 w={max(args.weights)}",
                    score(labels, KMeans(chosen, n_init=10, random_state=seed).fit_predict(features)),
                    chosen,
                )
                found = engine.discover(texts, seed=seed, embeddings=raw).labels
                record("engine, K chosen", score(labels, found), len(set(found)))
        out = {}
        for variant, runs in results.items():
            nmi, ari = np.mean([v for v, _ in runs], axis=0)
            extras = [e for _, e in runs if e is not None]
            out[variant] = {"nmi": round(float(nmi), 3), "ari": round(float(ari), 3)}
            if extras:
                out[variant]["extra"] = extras
            print(f"{name:7s} dev (K={k:2d}) {variant:40s} NMI {nmi:.3f} ARI {ari:.3f} {extras if extras else ''}", flush=True)
        report["sets"][name] = {"texts": len(dev), "labels": k, "variants": out}
    print(f"Written {write_report('themes_variants_' + '_'.join(args.sets), report)}")


if __name__ == "__main__":
    main()
