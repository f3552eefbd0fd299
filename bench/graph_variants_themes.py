"""Changes to the engine's clustering tried against the gap on SIB-200 (issue 16, step 1), on the
development halves only; figures in docs/benchmarks.md ("The gap on SIB-200 whole").

    .venv/bin/python bench/graph_variants_themes.py [--seeds 0 1 2] [--subsamples]

Each variant rebuilds the engine's last steps from its own parts (`engine._tfidf`, `_word_view`,
`_neighbour_graph`, the spectral embedding and k-means), number of themes given; the unchanged
pipeline is checked against `engine.discover` first, so a variant differs from the engine only by
what it names. NMI / ARI against the labels, mean of the seeds, each seed beside. `--subsamples`
also scores a few of them on two random halves of each development half (fewer texts per theme).
The held-out halves and whole sets are not read here. Writes var/bench/themes_graph_variants.json.
"""

import argparse

import devsets  # noqa: E402
import numpy as np
from common import header, write_report  # noqa: E402  (also puts the project on sys.path)
from embedding_cache import embed as cached_embed  # noqa: E402
from scipy.sparse import csgraph
from sklearn.cluster import KMeans
from sklearn.manifold import spectral_embedding
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.preprocessing import normalize

from trama.text import Analyzer  # noqa: E402
from trama.themes import engine  # noqa: E402


def views(texts, seed, raw):
    """The engine's words view, meaning view (mean removed) and joined features."""
    analyzer = Analyzer()
    tfidf, _ = engine._tfidf([analyzer.terms(t) for t in texts])
    words = engine._word_view(tfidf, seed)
    meaning = normalize(raw - raw.mean(axis=0))
    joined = normalize(np.hstack([(1 - engine.EMBEDDING_WEIGHT) * words, engine.EMBEDDING_WEIGHT * meaning]))
    return words, meaning, joined


def mixed(words, meaning, word_weight=engine.WORD_GRAPH_WEIGHT, neighbours=engine.NEIGHBOURS):
    return word_weight * engine._neighbour_graph(words, neighbours) + (1 - word_weight) * engine._neighbour_graph(meaning, neighbours)


def spectral(graph, k, seed, inits=engine.KMEANS_INITS):
    """k-means (best inertia of `inits` restarts) in the graph's spectral embedding, as the engine does."""
    maps = spectral_embedding(graph, n_components=k, random_state=seed, drop_first=False)
    return KMeans(n_clusters=k, n_init=inits, random_state=seed).fit_predict(normalize(maps[:, :k]))


def consensus(graph, k, seed, runs=5):
    """Consensus over seeds: k-means in the same spectral embedding with `runs` seeds, then the texts
    grouped by how often two of them fell together (average linkage on 1 - co-association)."""
    from sklearn.cluster import AgglomerativeClustering

    maps = normalize(spectral_embedding(graph, n_components=k, random_state=seed, drop_first=False)[:, :k])
    together = np.zeros((len(maps), len(maps)))
    for run in range(runs):
        labels = KMeans(n_clusters=k, n_init=1, random_state=seed * runs + run).fit_predict(maps)
        together += labels[:, None] == labels[None, :]
    distance = 1 - together / runs
    return AgglomerativeClustering(n_clusters=k, metric="precomputed", linkage="average").fit_predict(distance)


def refined(space, labels, seed):
    """k-means in `space` started from the centres of `labels` (one start, so no label is peeked at)."""
    themes = np.unique(labels)
    centres = np.vstack([space[labels == t].mean(axis=0) for t in themes])
    return KMeans(n_clusters=len(themes), init=centres, n_init=1, random_state=seed).fit_predict(space)


def auto_weights(graphs, maps):
    """Parameter-free view weights (Nie et al., 2016, auto-weighted multiple graph learning): each
    view's weight is 1 / (2 sqrt(tr(F' L F))) for the spectral vectors F of the mixed graph and the
    view's normalised Laplacian L, so the view whose graph cuts the themes more cleanly weighs more."""
    weights = []
    for graph in graphs:
        laplacian = csgraph.laplacian(graph.tocsr().astype(np.float64), normed=True)
        weights.append(1 / (2 * np.sqrt(np.trace(maps.T @ (laplacian @ maps)))))
    return np.array(weights) / np.sum(weights)


def variants(texts, k, seed, raw, full=True):
    words, meaning, joined = views(texts, seed, raw)
    n = len(texts)
    out = {"engine (15 neighbours, words graph 0.3)": spectral(mixed(words, meaning), k, seed)}
    assert (
        adjusted_rand_score(out["engine (15 neighbours, words graph 0.3)"], engine.discover(texts, n_themes=k, seed=seed, embeddings=raw).labels)
        > 0.999
    )
    engine_labels = out["engine (15 neighbours, words graph 0.3)"]
    out["engine, refined by k-means on the joined views"] = refined(joined, engine_labels, seed)
    for share in (0.3, 0.4, 0.5, 0.6):
        neighbours = max(5, round(share * n / k))
        labels = spectral(mixed(words, meaning, neighbours=neighbours), k, seed)
        out[f"neighbours {share} x texts/themes"] = labels
        out[f"neighbours {share} x texts/themes, refined on the joined views"] = refined(joined, labels, seed)
    if not full:
        return out, {}
    out["50 k-means restarts instead of 10"] = spectral(mixed(words, meaning), k, seed, inits=50)
    out["consensus of 5 k-means seeds (co-association, average linkage)"] = consensus(mixed(words, meaning), k, seed)
    out["engine, refined by k-means on the meaning view"] = refined(meaning, engine_labels, seed)
    out["engine, refined by k-means on raw e5"] = refined(raw, engine_labels, seed)
    for weight in (0.15, 0.2):
        out[f"words graph weight {weight}"] = spectral(mixed(words, meaning, word_weight=weight), k, seed)
    graphs = [engine._neighbour_graph(words), engine._neighbour_graph(meaning)]
    maps = spectral_embedding(mixed(words, meaning), n_components=k, random_state=seed, drop_first=False)
    weights = auto_weights(graphs, maps)
    out["views weighted by their own cut (auto-weighted graphs)"] = spectral(weights[0] * graphs[0] + weights[1] * graphs[1], k, seed)
    both = (graphs[0] > 0).multiply(graphs[1] > 0).sum()
    measures = {
        "auto words weight": round(float(weights[0]), 3),
        "words neighbours also meaning neighbours": round(float(both / (graphs[0] > 0).sum()), 3),
    }
    return out, measures


def scored(results, labels, found):
    for variant, predicted in found.items():
        results.setdefault(variant, []).append((normalized_mutual_info_score(labels, predicted), adjusted_rand_score(labels, predicted)))


def summary(name, results, report):
    report[name] = {}
    for variant, runs in results.items():
        nmi, ari = np.mean(runs, axis=0)
        report[name][variant] = {"nmi": round(float(nmi), 3), "ari": round(float(ari), 3), "per_seed": [[round(a, 3), round(b, 3)] for a, b in runs]}
        print(f"{name:22s} {variant:62s} {nmi:.3f} / {ari:.3f}   " + "  ".join(f"{a:.3f}/{b:.3f}" for a, b in runs), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--subsamples", action="store_true", help="also two random halves of each development half")
    args = parser.parse_args()
    report = {**header("themes_graph_variants"), "seeds": args.seeds, "sets": {}}
    for name in devsets.SETS:
        dev, _ = devsets.split(devsets.load(name))
        texts, labels = [r["text"] for r in dev], [r["label"] for r in dev]
        k, raw = len(set(labels)), cached_embed(texts)
        results: dict = {}
        for seed in args.seeds:
            found, measures = variants(texts, k, seed, raw)
            scored(results, labels, found)
            print(f"{name} seed {seed}: {measures}", flush=True)
        summary(f"{name} dev ({len(texts)})", results, report["sets"])
        if args.subsamples:
            results = {}
            for sub in (0, 1):
                rows = [dev[i] for i in np.sort(np.random.default_rng(100 + sub).choice(len(dev), len(dev) // 2, replace=False))]
                sub_texts, sub_labels = [r["text"] for r in rows], [r["label"] for r in rows]
                for seed in args.seeds:
                    found, _ = variants(sub_texts, len(set(sub_labels)), seed, cached_embed(sub_texts), full=False)
                    scored(results, sub_labels, found)
            summary(f"{name} dev halves ({len(dev) // 2})", results, report["sets"])
    print(f"Written {write_report('themes_graph_variants', report)}")


if __name__ == "__main__":
    main()
