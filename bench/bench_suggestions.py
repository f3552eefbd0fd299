"""Group suggestions: the refresh's time at several city sizes, blocked against exact, and how far they agree.

    .venv/bin/python bench/bench_suggestions.py
    TRAMA_BENCH_SIZES=50000,200000,1000000 .venv/bin/python bench/bench_suggestions.py

For each size (residents; default 20,000 alone, so `make bench` stays short) a synthetic city over 3 years
(seed 1) is generated with `generate_city`, in its own process, in a fresh SQLite file under a scratch
TRAMA_VAR_DIR (or in BENCH_DATABASE_URL, a scratch database: it is emptied and filled); its generation is timed
apart. Then, as of the reference date's evening (the encounters' window counts from it):

- the candidates found the blocked way (`suggestion_candidates`, the default) and the whole refresh
  (`refresh_suggestions`: candidates and writing them, one transaction), best of `--repeat` runs;
- the candidates found the exact way (`exact=True`, every similar pair listed) up to TRAMA_BENCH_EXACT_MAX
  residents (default 200,000: beyond, its pairs outgrow the memory of a small server), one run;
- the agreement: the share of exact proposals found with the same people and situations, and for each exact
  proposal the best Jaccard index of its situations with a blocked one (mean, and the lowest).

Prints the figures and writes them to var/bench/suggestions.json.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from datetime import time as clock
from pathlib import Path

from common import header, scratch_django, write_report

DEFAULT_SIZES = "20000"
DEFAULT_EXACT_MAX = 200_000


def timed(function, repeat=1):
    """(wall seconds, CPU seconds of this process, result) of the fastest of `repeat` runs. On a shared machine
    the CPU time is the steadier figure: the wall time also counts the time other processes had the cores."""
    best, result = None, None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = function()
        seconds = (round(time.perf_counter() - start, 2), round(time.process_time() - cpu, 2))
        best = seconds if best is None or seconds < best else best
    return best[0], best[1], result


def agreement(blocked, exact):
    """Identical proposals (same situations, hence people) and each exact proposal's best Jaccard with a blocked one."""
    mine = [frozenset((s.source, s.id) for s in c.situations) for c in blocked]
    theirs = [frozenset((s.source, s.id) for s in c.situations) for c in exact]
    best = [max((len(a & b) / len(a | b) for a in mine), default=0.0) for b in theirs] or [1.0]
    return {
        "identical_share": round(len(set(mine) & set(theirs)) / max(1, len(theirs)), 3),
        "same_list": [(c.signature, [(s.source, s.id) for s in c.situations]) for c in blocked]
        == [(c.signature, [(s.source, s.id) for s in c.situations]) for c in exact],
        "jaccard_mean": round(sum(best) / len(best), 3),
        "jaccard_min": round(min(best), 3),
    }


def measure(residents, exact_max, repeat):
    from django.core.management import call_command
    from django.utils import timezone

    from trama import synthetic
    from trama.collective.services import refresh_suggestions
    from trama.collective.suggestions import open_situations, suggestion_candidates
    from trama.territory.queries import current_city

    generate_s, generate_cpu_s, _ = timed(lambda: call_command("generate_city", residents=residents, years=3, seed=1, stdout=io.StringIO()))
    city = current_city()
    evening = timezone.make_aware(datetime.combine(synthetic.DEFAULT_REFERENCE_DATE, clock(20)))
    situations = len(open_situations(city, evening))
    candidates_s, candidates_cpu_s, blocked = timed(lambda: suggestion_candidates(city, now=evening), repeat)
    refresh_s, refresh_cpu_s, _ = timed(lambda: refresh_suggestions(city, now=evening), repeat)
    row = {
        "residents": residents,
        "generate_s": generate_s,
        "generate_cpu_s": generate_cpu_s,
        "situations": situations,
        "suggestions": len(blocked),
        "blocked_candidates_s": candidates_s,
        "blocked_candidates_cpu_s": candidates_cpu_s,
        "blocked_refresh_s": refresh_s,
        "blocked_refresh_cpu_s": refresh_cpu_s,
    }
    line = (
        f"  {residents:>9,} residents: {situations:,} open situations, {len(blocked)} suggestions; generated in {generate_s} s "
        f"(CPU {generate_cpu_s} s); blocked {candidates_s} s (CPU {candidates_cpu_s} s), whole refresh {refresh_s} s "
        f"(CPU {refresh_cpu_s} s)"
    )
    if residents <= exact_max:
        exact_s, exact_cpu_s, exact = timed(lambda: suggestion_candidates(city, now=evening, exact=True))
        row.update(exact_candidates_s=exact_s, exact_candidates_cpu_s=exact_cpu_s, exact_suggestions=len(exact), agreement=agreement(blocked, exact))
        line += f"; exact {exact_s} s (CPU {exact_cpu_s} s), {len(exact)} suggestions, agreement {row['agreement']}"
    print(line, flush=True)
    return row


def one_size(residents, exact_max, repeat, output):
    """Measure one size in this process, on its own scratch database, and write the row to `output`."""
    scratch_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Imported once before timing: scikit-learn takes seconds to load, once per process.
    import sklearn.feature_extraction.text  # noqa: F401

    Path(output).write_text(json.dumps(measure(residents, exact_max, repeat)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2, help="runs of the blocked method; the best is kept")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    exact_max = int(os.environ.get("TRAMA_BENCH_EXACT_MAX", DEFAULT_EXACT_MAX))
    if args.one_size:
        return one_size(args.one_size, exact_max, args.repeat, args.output)
    sizes = [int(s) for s in os.environ.get("TRAMA_BENCH_SIZES", DEFAULT_SIZES).split(",") if s.strip()]
    database = "postgresql" if os.environ.get("BENCH_DATABASE_URL", "").startswith("postgres") else "sqlite"
    print(f"Group suggestions at {', '.join(f'{s:,}' for s in sizes)} residents ({database})", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for residents in sizes:
            # Each size in its own process and scratch database: its generation starts from an empty one.
            output = Path(tmp) / f"{residents}.json"
            subprocess.run(
                [sys.executable, __file__, "--one-size", str(residents), "--output", str(output), "--repeat", str(args.repeat)], check=True
            )
            rows.append(json.loads(output.read_text()))
    report = {**header("suggestions", database), "exact_max": exact_max, "sizes": rows}
    print(f"Written {write_report('suggestions', report)}")


if __name__ == "__main__":
    main()
