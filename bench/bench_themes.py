"""Theme discovery: quality on three labelled Italian sets, and speed on 100,000 texts.

    .venv/bin/python bench/bench_themes.py [--quick] [--skip-speed] [--stored-only] [--stored N]

Quality: NMI and ARI against the labels of the team's hand-written set
(trama/themes/data/eval_it.jsonl), SIB-200 Italian and xSID Italian (bench/data/devsets/), each
whole and on its held-out half (bench/devsets.py), mean of seeds 0-2: the engine with the number of
themes given and chosen by itself (with the number it chose against the number of labels), and two
baselines, TF-IDF + LSA 100 + k-means and multilingual-e5-small + k-means; seconds per run and peak
memory traced by Python's tracemalloc (numpy arrays included, the model's own buffers not).
Embeddings are cached by text hash in var/cache/ (bench/embedding_cache.py), so only the first run
embeds; the seconds exclude embedding. `--quick` (what `make bench` runs): quality on seed 0 only.
Speed: `manage.py discover_themes` end to end, in a separate process under /usr/bin/time (wall and
CPU seconds, peak resident memory), on 1,500 texts with the number of themes given and on 100,000
texts with it chosen and given, made by recombining halves of same-label texts (fixed seed); each
twice, first with an empty `--cache` file and again with the file the first run wrote (the second
run embeds nothing, and its output must be the first's). The load average is printed beside.
Discovery over stored vectors (what the web app does: each item's embedding is computed once,
on save, and `discover()` gets them as `embeddings=`): `engine.discover` timed in-process on N
items (default 100,000) with precomputed vectors. Embedding 100,000 distinct texts here would take
over half an hour, so the vectors are synthesised: 2,000 distinct texts (recombined halves, seed 7)
are really embedded, and each of the N items is one of them, its vector plus small Gaussian noise
(sigma 0.01, then unit length). Only the discovery is timed, not the 2,000 embeddings.
Prints the figures and writes them to var/bench/themes.json.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import devsets  # noqa: E402
import numpy as np
from common import ROOT, header, write_report  # noqa: E402  (also puts the project on sys.path)
from embedding_cache import embed as cached_embed  # noqa: E402
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.preprocessing import normalize

from trama.text import MESSAGE_STOP_WORDS  # noqa: E402
from trama.themes import engine  # noqa: E402

SEEDS = (0, 1, 2)
BIG = 100_000
SMALL = 1_500


def baseline(texts, k, seed):
    """TF-IDF (words, stop words removed) + LSA (100 dimensions) + k-means: the usual recipe."""
    tfidf = TfidfVectorizer(stop_words=sorted(MESSAGE_STOP_WORDS), sublinear_tf=True, min_df=2).fit_transform(texts)
    lsa = normalize(TruncatedSVD(min(100, tfidf.shape[1] - 1), random_state=seed).fit_transform(tfidf))
    return KMeans(k, n_init=10, random_state=seed).fit_predict(lsa)


def scores(labels, predicted):
    return normalized_mutual_info_score(labels, predicted), adjusted_rand_score(labels, predicted)


def e5_kmeans(embeddings, k, seed):
    """multilingual-e5-small sentence vectors (unit length) + k-means: the meaning-only baseline."""
    return KMeans(k, n_init=10, random_state=seed).fit_predict(embeddings)


def measured(method, seed):
    """The method's labels for one seed, with its wall-clock and CPU seconds and peak traced memory (MB)."""
    tracemalloc.start()
    start, cpu_start = time.perf_counter(), time.process_time()
    labels = np.asarray(method(seed))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return labels, seconds, cpu, peak


def quality(rows, seeds=SEEDS):
    """NMI and ARI (mean over `seeds`) of the engine and both baselines on labelled `rows`."""
    texts = [r["text"] for r in rows]
    labels = [r["label"] for r in rows]
    k = len(set(labels))
    embeddings = cached_embed(texts)
    methods = {
        "engine, K given": lambda s: engine.discover(texts, n_themes=k, seed=s, embeddings=embeddings).labels,
        "engine, K chosen": lambda s: engine.discover(texts, seed=s, embeddings=embeddings).labels,
        "TF-IDF+LSA100+k-means": lambda s: baseline(texts, k, s),
        "e5+k-means": lambda s: e5_kmeans(embeddings, k, s),
    }
    results = {}
    for name, method in methods.items():
        runs = [measured(method, seed) for seed in seeds]
        per_seed = [
            {"seed": seed, "nmi": round(float(n), 3), "ari": round(float(a), 3), "themes": len(set(r))}
            for seed, (r, _, _, _) in zip(seeds, runs)
            for n, a in [scores(labels, r)]
        ]
        results[name] = {
            "nmi": round(float(np.mean([p["nmi"] for p in per_seed])), 3),
            "ari": round(float(np.mean([p["ari"] for p in per_seed])), 3),
            "themes": round(float(np.mean([p["themes"] for p in per_seed])), 1),
            "labels": k,
            "seconds": round(float(np.mean([s for _, s, _, _ in runs])), 2),
            "cpu_seconds": round(float(np.mean([c for _, _, c, _ in runs])), 2),
            "peak_mb": round(float(max(m for _, _, _, m in runs)), 1),
            "per_seed": per_seed,
        }
    return results


def quality_table(seeds):
    """Every set (team, SIB-200, xSID), whole and held-out half: a printed table and a dict."""
    report = {}
    print(f"{'set':16s} {'method':22s} {'NMI':>6s} {'ARI':>6s} {'themes':>7s} {'s/run':>6s} {'cpu s':>6s} {'peak MB':>8s}  per seed")
    for name in devsets.SETS:
        rows = devsets.load(name)
        _, held_out = devsets.split(rows)
        for part, subset in (("whole", rows), ("held-out", held_out)):
            key = f"{name} {part}"
            report[key] = {"texts": len(subset), "seeds": list(seeds), "methods": quality(subset, seeds)}
            for method, r in report[key]["methods"].items():
                seeds_text = "  ".join(f"s{p['seed']}: {p['nmi']:.3f}/{p['ari']:.3f} k={p['themes']}" for p in r["per_seed"])
                print(
                    f"{key:16s} {method:22s} {r['nmi']:6.3f} {r['ari']:6.3f} "
                    f"{r['themes']:4.1f}/{r['labels']:<2d} {r['seconds']:6.2f} {r['cpu_seconds']:6.2f} {r['peak_mb']:8.1f}  {seeds_text}",
                    flush=True,
                )
    return report


def recombined(rows, count, seed):
    """`count` texts, each the first half of one text and the second half of another of the same label."""
    rng = random.Random(seed)
    by_label = {}
    for row in rows:
        by_label.setdefault(row["label"], []).append(row["text"].split())
    labels = sorted(by_label)
    items = []
    for i in range(count):
        label = rng.choice(labels)
        a, b = rng.choice(by_label[label]), rng.choice(by_label[label])
        text = " ".join(a[: len(a) // 2] + b[len(b) // 2 :])
        items.append({"id": f"b{i:06d}", "text": text, "label": label})
    return items


def _run_command(source, output, summary, themes, cache):
    """One `manage.py discover_themes` in a fresh process under /usr/bin/time: wall and CPU seconds,
    peak resident memory (MB) and the command's stdout."""
    timing = source.with_name("time.txt")
    command = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(timing), sys.executable, "manage.py", "discover_themes"]
    command += ["--input", str(source), "--output", str(output), "--summary", str(summary), "--seed", "0", "--cache", str(cache)]
    command += ["--themes", str(themes)] if themes else []
    done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    wall, user, system, peak_kb = timing.read_text().split()[-4:]
    return float(wall), float(user) + float(system), int(peak_kb) / 1024, done.stdout.strip()


def speed(rows, count, themes):
    """`count` recombined texts (seed 42) through the command twice: first with an empty vector cache,
    then again with the cache the first run wrote (nothing left to embed). The two outputs must match."""
    items = recombined(rows, count, seed=42)
    load_before = os.getloadavg()
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        source, summary, cache = (Path(tmp) / name for name in ("in.jsonl", "summary.json", "vectors.npz"))
        source.write_text("".join(json.dumps({"id": i["id"], "text": i["text"]}, ensure_ascii=False) + "\n" for i in items))
        outputs = {}
        for run in ("first", "cached"):
            output = Path(tmp) / f"{run}.jsonl"
            wall, cpu, peak, stdout = _run_command(source, output, summary, themes, cache)
            outputs[run] = output.read_text()
            predicted = [json.loads(line)["theme"] for line in outputs[run].splitlines()]
            described = json.loads(summary.read_text())
            nmi, ari = scores([i["label"] for i in items], predicted)
            runs[run] = {
                "seconds": round(wall, 1),
                "cpu_seconds": round(cpu, 1),
                "peak_rss_mb": round(peak),
                "themes": len(described),
                "nmi": round(nmi, 3),
                "ari": round(ari, 3),
                "vectors": stdout.splitlines()[-1],
            }
    label = f"--themes {themes}" if themes else "auto K"
    same = outputs["first"] == outputs["cached"]
    for run, r in runs.items():
        print(
            f"  {count:,} texts, {label}, {run:6s}: {r['seconds']:.0f} s end to end ({r['cpu_seconds']:.0f} s CPU), "
            f"peak {r['peak_rss_mb']} MB, {r['themes']} themes, NMI {r['nmi']:.3f}  ARI {r['ari']:.3f}; {r['vectors']}"
        )
    load_after = os.getloadavg()
    print(
        f"    same output with and without the cache: {'yes' if same else 'NO'}; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )
    return {**runs, "same_output_cached": same, "load_average": [round(load_before[0], 2), round(load_after[0], 2)]}


def stored_vectors(rows, count, themes=12, distinct=2_000, noise=0.01):
    base = recombined(rows, distinct, seed=7)
    start = time.perf_counter()
    base_vectors = engine.embed([b["text"] for b in base])
    embedding_seconds = time.perf_counter() - start
    rng = np.random.default_rng(42)
    picks = rng.integers(0, distinct, size=count)
    texts = [base[i]["text"] for i in picks]
    labels = [base[i]["label"] for i in picks]
    vectors = base_vectors[picks] + rng.normal(0, noise, size=(count, base_vectors.shape[1])).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    results = {"items": count, "distinct_texts_embedded": distinct, "embedding_seconds": round(embedding_seconds, 1)}
    for name, k in (("auto K", None), (f"--themes {themes}", themes)):
        start = time.perf_counter()
        found = engine.discover(texts, n_themes=k, seed=0, embeddings=vectors)
        seconds = time.perf_counter() - start
        nmi, ari = scores(labels, found.labels)
        print(f"  {count:,} items with stored vectors, {name}: {seconds:.1f} s, {len(found.themes)} themes, NMI {nmi:.3f}  ARI {ari:.3f}")
        results[name] = {"seconds": round(seconds, 1), "themes": len(found.themes), "nmi": round(nmi, 3), "ari": round(ari, 3)}
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="quality on seed 0 only (what `make bench` does)")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--stored-only", action="store_true", help="only discovery over stored vectors")
    parser.add_argument("--stored", type=int, default=BIG, help="items for discovery over stored vectors")
    args = parser.parse_args()
    seeds = (0,) if args.quick else SEEDS
    skip_speed = args.skip_speed
    rows = devsets.load("team")
    report = {**header("themes"), "mode": "quick" if args.quick else "full"}
    if not args.stored_only:
        print(f"Quality, mean of seeds {seeds}; themes = found / labels; peak MB traced per run")
        report["quality"] = quality_table(seeds)
    if not skip_speed and not args.stored_only:
        print(f"Speed: the command end to end, first run (empty cache) and second (cached); {os.cpu_count()} cores")
        report["speed_1500_k12"] = speed(rows, SMALL, themes=12)
        report["speed_100k_auto"] = speed(rows, BIG, themes=None)
        report["speed_100k_k12"] = speed(rows, BIG, themes=12)
    if not skip_speed or args.stored_only:
        print(f"Discovery over stored vectors ({args.stored:,} items)")
        report["stored_vectors"] = stored_vectors(rows, args.stored)
    print(f"Written {write_report('themes', report)}")


if __name__ == "__main__":
    main()
