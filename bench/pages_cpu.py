"""CPU per request of a few signed-in pages, in-process, on an existing city: to compare two revisions in turn.

Run: BENCH_DATABASE_URL=sqlite:///…/city.sqlite3 .venv/bin/python bench/pages_cpu.py
(a database that already holds the synthetic city of `bench_pages.py`/`generate_city`; nothing is written to
it but sessions). Not part of `make bench`: run it alternately on the code before and after a change, on
the same data; it prints the median process CPU time in ms of 12 requests per page after 2 warm-up ones.
The pages are those of `bench_pages.PAGES` named in WANT, with the same accounts.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("BENCH_DATABASE_URL", os.environ.get("DATABASE_URL", ""))

import bench_pages as bp  # noqa: E402  (sets Django up on BENCH_DATABASE_URL)
from django.conf import settings  # noqa: E402
from django.urls import reverse  # noqa: E402

WANT = [
    "layout",
    "worker: signal queue",
    "worker: offers list",
    "worker: needs list",
    "worker: initiatives list",
    "antenna: signal form",
    "coordinator: dashboard, this quarter (stored)",
    "worker: biggest named theme",
    "coordinator: biggest named theme",
]


def main():
    settings.ROOT_URLCONF = "bench_pages"
    users, args_of = bp.accounts(), bp.url_args()
    out = {}
    for figure, role, name, query in [("layout", bp.Role.WORKER, "bench_layout", "")] + bp.PAGES:
        if figure not in WANT:
            continue
        url = reverse(name, args=args_of.get(name)) + query
        client = bp.client_for(users[role])
        for _ in range(2):
            client.get(url)
        cpu = []
        for _ in range(12):
            started = time.process_time()
            client.get(url)
            cpu.append((time.process_time() - started) * 1000)
        out[figure] = round(statistics.median(cpu), 2)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
