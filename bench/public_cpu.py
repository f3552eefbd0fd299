"""CPU per request of the public pages for a visitor not signed in, in-process, on an existing city.

Run: BENCH_DATABASE_URL=postgres://…/trama_load .venv/bin/python bench/public_cpu.py
(a database that already holds a city, e.g. the one `make load` generated; nothing is written to it
but the cache of this process). Not part of `make bench`: it compares two revisions of the code
on the same data, run in turn, so its figures are process CPU time (median of 30 requests after 3
warm-up requests, which for cached pages means reading the kept copy) and wall time.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.update(DJANGO_SETTINGS_MODULE="trama.settings", TRAMA_HTTPS="0", ALLOWED_HOSTS="testserver")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

URLS = ["/", "/mercato/offerte/", "/mercato/offerte/?q=spesa", "/iniziative/catalogo/", "/indicatori/dati-aperti/"]


def main():
    client, figures = Client(), {}
    for url in URLS:
        for _ in range(3):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        cpu, wall = [], []
        for _ in range(30):
            started, clock = time.process_time(), time.perf_counter()
            client.get(url)
            cpu.append((time.process_time() - started) * 1000)
            wall.append((time.perf_counter() - clock) * 1000)
        figures[url] = {"cpu_ms": round(statistics.median(cpu), 1), "wall_ms": round(statistics.median(wall), 1)}
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
