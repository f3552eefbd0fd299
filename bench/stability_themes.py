"""Stability of theme discovery (issue 16, step 5): add 1 % of texts, how many items stay in matching themes?

On the development half of every set (bench/devsets.py; the held-out halves are not read), for each
seed: 1 % of the texts (at least one, chosen by the seed) are set aside, discovery runs on the rest,
then again on the rest followed by the texts set aside, same seed and same number of themes (the
labels'). The figure is `engine.matched_share`: the share of the first run's items whose theme is the
one matched to theirs in the second (one-to-one matching keeping the most items together). The
target is at least 0.90. Also prints whether the same seed gives the same themes twice.

    .venv/bin/python bench/stability_themes.py [--seeds 0 1 2] [--sets team sib200 xsid]

Quality figures do not depend on the machine's load; the seconds printed do (shared machine).
Embeddings are cached by text hash in var/cache/ (bench/embedding_cache.py).
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import devsets  # noqa: E402
from embedding_cache import embed as cached_embed  # noqa: E402

from trama.themes import engine  # noqa: E402


def one(rows, seed, share=0.01):
    texts = [r["text"] for r in rows]
    k = len({r["label"] for r in rows})
    vectors = cached_embed(texts)
    rng = np.random.default_rng(seed)
    added = np.sort(rng.choice(len(texts), size=max(1, round(share * len(texts))), replace=False))
    kept = np.setdiff1d(np.arange(len(texts)), added)
    order = np.concatenate([kept, added])
    start = time.perf_counter()
    before = engine.discover([texts[i] for i in kept], n_themes=k, seed=seed, embeddings=vectors[kept])
    again = engine.discover([texts[i] for i in kept], n_themes=k, seed=seed, embeddings=vectors[kept])
    after = engine.discover([texts[i] for i in order], n_themes=k, seed=seed, embeddings=vectors[order])
    seconds = time.perf_counter() - start
    # What the app can do when it re-discovers: start from the previous run's themes.
    previous = np.concatenate([before.labels, np.full(len(added), -1)])
    warm = engine.discover([texts[i] for i in order], n_themes=k, seed=seed, embeddings=vectors[order], previous=previous)
    same = bool(np.array_equal(before.labels, again.labels)) and [t.name for t in before.themes] == [t.name for t in again.themes]
    return engine.matched_share(before.labels, after.labels), len(added), same, seconds, engine.matched_share(before.labels, warm.labels)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--sets", nargs="+", default=list(devsets.SETS))
    args = parser.parse_args()
    print(
        "| set (development half) | texts | added | seed | items in matching themes"
        " | started from the previous themes | same seed, same themes | s (3 runs) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name in args.sets:
        dev, _held = devsets.split(devsets.load(name))
        shares, warm_shares = [], []
        for seed in args.seeds:
            share, added, same, seconds, warm = one(dev, seed)
            shares.append(share)
            warm_shares.append(warm)
            print(f"| {name} | {len(dev)} | {added} | {seed} | {share:.3f} | {warm:.3f} | {'sì' if same else 'NO'} | {seconds:.1f} |", flush=True)
        print(
            f"| {name} | | | min / mean | {min(shares):.3f} / {np.mean(shares):.3f} | {min(warm_shares):.3f} / {np.mean(warm_shares):.3f} | | |",
            flush=True,
        )


if __name__ == "__main__":
    main()
