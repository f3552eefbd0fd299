"""The names and key phrases theme discovery gives, on the demo corpus and the development halves (issue 16, step 2).

    .venv/bin/python bench/names_themes.py [--demo-db DATABASE_URL] [--compare var/bench/theme_names_before.json]

For each development half (bench/devsets.py; the held-out halves are not read) discovery runs with
the number of themes given (the labels) and seed 0, on cached e5 vectors; with `--demo-db` also on
the texts of a database where `manage.py load_demo` ran, as the demo's run does (number chosen by
the engine, seed 0, stored vectors). Prints every theme's size, name and key phrases and writes
var/bench/theme_names.json. With `--compare` (an earlier report, for example written before a
naming change) it prints the names side by side and the NMI / ARI between the two runs' partitions:
1.000 when naming changed nothing of the clustering.
"""

import argparse
import json
import os
import sys

import devsets  # noqa: E402
import numpy as np
from common import OUT, header, write_report  # noqa: E402  (also puts the project on sys.path)
from embedding_cache import embed as cached_embed  # noqa: E402
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from trama.themes import engine  # noqa: E402

SEED = 0


def _run(texts, k, embeddings, truth=None):
    result = engine.discover(texts, n_themes=k, seed=SEED, embeddings=embeddings)
    out = {
        "texts": len(texts),
        "labels": [int(v) for v in result.labels],
        "themes": [{"size": t.size, "name": t.name, "key_phrases": t.key_phrases} for t in result.themes],
    }
    if truth is not None:
        out["nmi"] = round(float(normalized_mutual_info_score(truth, result.labels)), 3)
        out["ari"] = round(float(adjusted_rand_score(truth, result.labels)), 3)
    return out


def demo_corpus(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trama.settings")
    import django

    django.setup()
    from trama.themes.models import TextItem
    from trama.themes.services import embed_items

    items = list(TextItem.objects.order_by("written_at", "pk"))
    embed_items(items)
    return [i.text for i in items], np.vstack([i.vector() for i in items])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-db", help="DATABASE_URL of a database where load_demo ran")
    parser.add_argument("--compare", help="an earlier var/bench/theme_names*.json")
    parser.add_argument("--output", default="theme_names", help="report name under var/bench/")
    args = parser.parse_args()

    report = header("theme names") | {"seed": SEED, "corpora": {}}
    for name in devsets.SETS:
        dev, _held_out = devsets.split(devsets.load(name))
        texts = [r["text"] for r in dev]
        truth = [r["label"] for r in dev]
        report["corpora"][name] = _run(texts, len(set(truth)), cached_embed(texts), truth)
    if args.demo_db:
        texts, vectors = demo_corpus(args.demo_db)
        report["corpora"]["demo"] = _run(texts, None, vectors)

    before = json.loads(open(args.compare, encoding="utf-8").read()) if args.compare else None
    for name, corpus in report["corpora"].items():
        scored = f", NMI {corpus['nmi']:.3f} ARI {corpus['ari']:.3f} against the labels" if "nmi" in corpus else ""
        print(f"\n== {name}: {corpus['texts']} texts, {len(corpus['themes'])} themes{scored}")
        old = (before or {}).get("corpora", {}).get(name)
        if old:
            same = normalized_mutual_info_score(old["labels"], corpus["labels"]), adjusted_rand_score(old["labels"], corpus["labels"])
            print(f"   partition against the earlier run: NMI {same[0]:.3f} ARI {same[1]:.3f}")
        for i, theme in enumerate(corpus["themes"]):
            was = f"   (was «{old['themes'][i]['name']}»)" if old and i < len(old["themes"]) else ""
            print(f"{theme['size']:4d}  «{theme['name']}»{was}\n      {' · '.join(theme['key_phrases'])}")
        names = [t["name"] for t in corpus["themes"]]
        if len(set(names)) < len(names):
            print("   !! names repeated:", sorted({n for n in names if names.count(n) > 1}))
    path = write_report(args.output, report)
    print(f"\nwritten {path.relative_to(OUT.parent.parent)}", file=sys.stderr)


if __name__ == "__main__":
    main()
