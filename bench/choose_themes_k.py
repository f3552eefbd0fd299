"""The engine's own choice of the number of themes (issue 16, step 1), against the number of labels.

    .venv/bin/python bench/choose_themes_k.py [--seeds 0 1 2] [--parts dev] [--sets team sib200 xsid]

For each set and seed: `engine.discover` without `n_themes`, over cached embeddings
(bench/embedding_cache.py); prints the number chosen, whether it is within a factor 1.5 of the
labels (the issue's target), NMI and ARI against the labels, and the CPU seconds of the run
(`time.process_time`, which the machine's load does not inflate as it does wall-clock seconds).
`--parts dev` (default) reads the development halves only; `held` and `whole` are for the final
check, once (bench/devsets.py).
"""

import argparse
import time

import devsets  # noqa: E402
import numpy as np
from common import header, write_report  # noqa: E402  (also puts the project on sys.path)
from embedding_cache import embed as cached_embed  # noqa: E402
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from trama.themes import engine  # noqa: E402


def rows_of(name, part):
    dev, held = devsets.split(devsets.load(name))
    return {"dev": dev, "held": held, "whole": dev + held}[part]


def within(chosen, labels, factor=1.5):
    return labels / factor <= chosen <= labels * factor


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--parts", nargs="+", default=["dev"], choices=["dev", "held", "whole"])
    parser.add_argument("--sets", nargs="+", default=list(devsets.SETS), choices=list(devsets.SETS))
    args = parser.parse_args()
    report = {**header("themes_k"), "runs": []}
    print("| set | part | texts | labels | seed | themes chosen | within ×1.5 | NMI | ARI | CPU s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in args.sets:
        for part in args.parts:
            rows = rows_of(name, part)
            texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
            vectors = cached_embed(texts)
            k = len(set(labels))
            for seed in args.seeds:
                start = time.process_time()
                found = engine.discover(texts, seed=seed, embeddings=vectors).labels
                cpu = time.process_time() - start
                chosen = len(np.unique(found))
                nmi, ari = normalized_mutual_info_score(labels, found), adjusted_rand_score(labels, found)
                ok = within(chosen, k)
                report["runs"].append(dict(set=name, part=part, seed=seed, labels=k, chosen=chosen, within=ok, nmi=nmi, ari=ari, cpu=cpu))
                print(
                    f"| {name} | {part} | {len(texts)} | {k} | {seed} | {chosen} | {'yes' if ok else 'NO'} | {nmi:.3f} | {ari:.3f} | {cpu:.1f} |",
                    flush=True,
                )
    print(f"Written {write_report('themes_k_' + '_'.join(args.parts), report)}")


if __name__ == "__main__":
    main()
