"""Fit the per-kind shifts that put offers, activities, groups and services on one scale (issue 17).

Run: .venv/bin/python bench/fit_kinds.py
Loads the brokerage evaluation set as bench_answers.py does (each answer as its kind, one neighbourhood),
collects for every need the best ten answers of each kind on their own kind's scale
(`market.answers.every_kind`, the stopping rule applied), then tries shifts for activities, groups and
services (offers are the reference, shift 0) from 0 to 0.30 in steps of 0.025 and keeps the one with the
best MRR@5 + nDCG@10 on the development half (ties: the shift nearest to 0.15 each, the time part
offers get for a need that names no day). The held-out half is only reported. Both with meaning vectors
stored (combined, the product) and without (words), the shifts fitted on the combined run. Prints and
writes var/bench/kinds.json: the shifts, MRR@5 / nDCG@10 and the kinds in the first five of every list,
for no shift (before), the neutral-time shift (0.15 each) and the fitted one.
"""

import itertools
import os

for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(name, "1")

import bench_answers  # noqa: E402  (sets Django up on a scratch database)
import common  # noqa: E402
from brokerage import evaluate, load, split  # noqa: E402

from trama.market.answers import every_kind  # noqa: E402
from trama.market.index import forget_indexes  # noqa: E402
from trama.market.models import Need  # noqa: E402

KINDS = ("activity", "group", "service")
STEPS = [round(0.025 * i, 3) for i in range(13)]


def collect(needs, ids, rows):
    """{need id: [(kind, pool id, score on its kind's scale)]}"""
    out = {}
    for need in needs:
        record = Need.objects.get(pk=rows[need["id"]].pk)
        out[need["id"]] = [(a.kind, ids[(a.kind, a.target_id)], a.score) for a in every_kind(record, bench_answers.LIMIT, each=True)]
    return out


def rank(collected, shift):
    rankings = {}
    for need_id, answers in collected.items():
        ordered = sorted(answers, key=lambda a: -(a[2] + shift.get(a[0], 0.0)))
        rankings[need_id] = [pool_id for _kind, pool_id, _score in ordered[: bench_answers.LIMIT]]
    return rankings


def top5(rankings, pool):
    kind_of = {item["id"]: item["kind"] for item in pool}
    counts = dict.fromkeys(("offer", *KINDS), 0)
    for ranked in rankings.values():
        for item in ranked[:5]:
            counts[kind_of[item]] += 1
    return counts


def figures(collected, shift, needs, dev, held, pool):
    rankings = rank(collected, shift)
    out = {}
    for half, subset in (("all", needs), ("development", dev), ("held_out", held)):
        f = evaluate(rankings, subset)
        out[half] = {"mrr5": round(f["mrr5"], 3), "ndcg10": round(f["ndcg10"], 3)}
    out["kinds_in_top5"] = top5(rankings, pool)
    return out


def fit(collected, dev):
    best = None
    for values in itertools.product(STEPS, repeat=len(KINDS)):
        shift = dict(zip(KINDS, values, strict=True))
        f = evaluate(rank({n["id"]: collected[n["id"]] for n in dev}, shift), dev)
        key = (round(f["mrr5"] + f["ndcg10"], 6), -sum(abs(v - 0.15) for v in values))
        if best is None or key > best[0]:
            best = (key, shift)
    return best[1]


def main():
    needs, pool = load()
    dev, held = split(needs)
    ids, rows = bench_answers.populate(needs, pool)
    forget_indexes()
    words = collect(needs, ids, rows)
    bench_answers.store_vectors(needs, pool, ids, rows)
    combined = collect(needs, ids, rows)
    fitted = fit(combined, dev)
    report = common.header("kinds")
    report["fitted_shift"] = fitted
    shifts = {"none (before)": {}, "neutral time 0.15": dict.fromkeys(KINDS, 0.15), "fitted": fitted}
    for method, collected in (("combined", combined), ("words", words)):
        report[method] = {name: figures(collected, shift, needs, dev, held, pool) for name, shift in shifts.items()}
    path = common.write_report("kinds", report)
    print(f"fitted shift (development half): {fitted}")
    for method in ("combined", "words"):
        for name, f in report[method].items():
            print(
                f"{method:8} {name:18} MRR@5 all {f['all']['mrr5']:.3f} dev {f['development']['mrr5']:.3f} held {f['held_out']['mrr5']:.3f} · "
                f"nDCG@10 all {f['all']['ndcg10']:.3f} dev {f['development']['ndcg10']:.3f} held {f['held_out']['ndcg10']:.3f} · "
                f"top 5 {f['kinds_in_top5']}"
            )
    print(f"written {path}")


if __name__ == "__main__":
    main()
