"""The ranking alone, on a database bench_market.py has already filled: quick to run in turn against another
revision of the code on the same data.

Run: BENCH_DATABASE_URL=<a database filled by bench/bench_market.py --meaning> .venv/bin/python bench/bench_ranking.py [--needs N]
Builds the index once, ranks N needs five times over (the first pass not counted) and prints the median and
p95 CPU time and wall time of a ranking, the CPU time of the freshness check alone, the CPU time of the
first ranking after an offer changed (eight changes, each folded in by the ranking after it), and the
index's memory by part. CPU time of this process: the database server's time is not in it (on
PostgreSQL, see the wall time or EXPLAIN ANALYZE). The database is changed: eight offers get new words.
"""

import argparse
import os
import statistics
import time

for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(name, "1")

import common  # noqa: E402

if "BENCH_DATABASE_URL" not in os.environ:
    raise SystemExit("BENCH_DATABASE_URL: a database filled by bench/bench_market.py")
common.scratch_django(TRAMA_MARKET_EMBED_ON_SAVE="0")

from django.db import connection  # noqa: E402

from trama.market.index import index_for  # noqa: E402
from trama.market.models import Need, Offer  # noqa: E402
from trama.market.queries import ranked_offers  # noqa: E402
from trama.territory.models import City  # noqa: E402


def p95(values):
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=60)
    args = parser.parse_args()
    city = City.objects.get(slug="bench")
    needs = list(Need.objects.filter(city=city).order_by("pk")[: args.needs])
    t0 = time.perf_counter()
    index_for(city.pk)
    build_s = time.perf_counter() - t0
    cpu, wall = [], []
    for rounds in range(5):
        for need in needs:
            c0, w0 = time.process_time(), time.perf_counter()
            ranked_offers(need, limit=10)
            if rounds:
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
    c0 = time.process_time()
    for _ in range(200):
        index_for(city.pk)
    check_ms = (time.process_time() - c0) * 1000 / 200
    after_change = []
    for offer in Offer.objects.filter(city=city).order_by("?")[:8]:
        offer.title = f"{offer.title} e riparo biciclette"
        offer.save()
        c0 = time.process_time()
        ranked_offers(needs[0], limit=10)
        after_change.append((time.process_time() - c0) * 1000)
    index = index_for(city.pk)
    memory = getattr(index, "memory_bytes", dict)()
    figures = {
        **common.header("market.ranking_on_filled_database", connection.vendor),
        "offers": len(index.ids),
        "rankings": len(cpu),
        "index_build_s": round(build_s, 1),
        "median_cpu_ms": round(statistics.median(cpu), 2),
        "p95_cpu_ms": round(p95(cpu), 2),
        "median_wall_ms": round(statistics.median(wall), 2),
        "p95_wall_ms": round(p95(wall), 2),
        "freshness_check_cpu_ms": round(check_ms, 3),
        "first_ranking_after_a_change_cpu_ms": [round(x, 1) for x in after_change],
        "index_memory_mb": {k: round(v / 2**20, 1) for k, v in memory.items()},
        "index_memory_total_mb": round(sum(memory.values()) / 2**20, 1),
    }
    common.write_report("ranking", figures)
    for key, value in figures.items():
        print(f"{key:36} {value}")


if __name__ == "__main__":
    main()
