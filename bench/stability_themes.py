"""Stability of theme discovery (issue 16, step 5): add 1 % of texts, how many items stay in matching themes?

On the development half of every set (bench/devsets.py; the held-out halves are not read), for each
seed: 1 % of the texts (at least one, chosen by the seed) are set aside, discovery runs on the rest,
then again on the rest followed by the texts set aside, same seed and same number of themes (the
labels'). The figure is `engine.matched_share`: the share of the first run's items whose theme is the
one matched to theirs in the second (one-to-one matching keeping the most items together). The
target is at least 0.90. Also prints whether the same seed gives the same themes twice.

    .venv/bin/python bench/stability_themes.py [--seeds 0 1 2] [--sets team sib200 xsid] [--app]

With `--app` the same is measured through the web app instead of the engine alone, on a scratch
database (bench/common.py): the texts are stored as a city's text items with their vectors,
`services.run_discovery` runs, then again after the 1 % is stored; the figure is the share of the first
run's items whose only theme afterwards is the very Theme row they were in (found again by `_match`),
with the previous themes passed (as the app does) and without (`services.previous_outcome` off).

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


def _added(rows, seed, share):
    """(texts, number of labels, their vectors, the texts added later, those kept from the start): `share`
    of the texts, chosen by `seed`, come in the second run only."""
    texts = [r["text"] for r in rows]
    vectors = cached_embed(texts)
    rng = np.random.default_rng(seed)
    added = np.sort(rng.choice(len(texts), size=max(1, round(share * len(texts))), replace=False))
    return texts, len({r["label"] for r in rows}), vectors, added, np.setdiff1d(np.arange(len(texts)), added)


def one(rows, seed, share=0.01):
    texts, k, vectors, added, kept = _added(rows, seed, share)
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


def one_in_the_app(rows, seed, share=0.01):
    """(share kept with the previous themes, share kept without, texts added) through `run_discovery`."""
    from django.db import transaction

    from trama.territory.models import City
    from trama.themes import services
    from trama.themes.models import DiscoveryRun, Tag, TextItem

    texts, k, vectors, added, kept = _added(rows, seed, share)
    City.objects.filter(slug="stabilita").delete()
    city = City.objects.create(name="Stabilità", slug="stabilita", centre_lat=44.8, centre_lon=10.3)

    def store(indices):
        return TextItem.objects.bulk_create(
            [
                TextItem(
                    city=city,
                    source=TextItem.Source.IMPORT,
                    source_id=seed * 1_000_000 + int(i),
                    text=texts[i],
                    embedding=services.to_bytes(vectors[i]),
                )
                for i in indices
            ]
        )

    def run():
        services.run_discovery(DiscoveryRun.objects.create(city=city, requested_themes=k, seed=seed))

    def themes_now(items):
        found = {item.pk: set() for item in items}
        for item_id, theme_id in Tag.objects.filter(item__in=[i.pk for i in items], rejected=False).values_list("item_id", "theme_id"):
            found[item_id].add(theme_id)
        return found

    first = store(kept)
    run()
    before = themes_now(first)
    store(added)
    shares = []
    for warm in (True, False):
        with transaction.atomic():
            outcome = services.previous_outcome
            if not warm:
                services.previous_outcome = lambda run, items: None
            try:
                run()
            finally:
                services.previous_outcome = outcome
            after = themes_now(first)
            shares.append(sum(after[pk] == themes for pk, themes in before.items()) / len(before))
            transaction.set_rollback(True)
    city.delete()
    return shares[0], shares[1], len(added)


def main_app(args):
    from common import scratch_django

    scratch_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print("| set (development half) | texts | added | seed | same Theme row, from the previous themes | same Theme row, from scratch |")
    print("|---|---|---|---|---|---|")
    for name in args.sets:
        dev, _held = devsets.split(devsets.load(name))
        warm_shares, cold_shares = [], []
        for seed in args.seeds:
            warm, cold, added = one_in_the_app(dev, seed)
            warm_shares.append(warm)
            cold_shares.append(cold)
            print(f"| {name} | {len(dev)} | {added} | {seed} | {warm:.3f} | {cold:.3f} |", flush=True)
        warm, cold = f"{min(warm_shares):.3f} / {np.mean(warm_shares):.3f}", f"{min(cold_shares):.3f} / {np.mean(cold_shares):.3f}"
        print(f"| {name} | | | min / mean | {warm} | {cold} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--sets", nargs="+", default=list(devsets.SETS))
    parser.add_argument("--app", action="store_true", help="through the web app's run_discovery, on a scratch database")
    args = parser.parse_args()
    if args.app:
        return main_app(args)
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
