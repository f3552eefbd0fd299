"""Ranked candidates for one need among 100,000 open offers.

Run: .venv/bin/python bench/bench_market.py [--offers N] [--queries Q] [--dump FILE] [--meaning]
With --meaning, the same needs are then ranked again with a meaning vector on every offer and need
(market.meaning, 128 floats): each text's vector is the reduced sum of the e5 vectors of the phrases
it is made of (52 phrases embedded, not 100,000 texts: that would take the worker about an hour), so
offers on the same subject are near as real ones are; the figures of both runs are reported.
Creates the offers in a fresh SQLite file under a scratch TRAMA_VAR_DIR (or in
BENCH_DATABASE_URL if set: use a scratch database, it is filled), prints the
figures and writes them as JSON to var/bench/market.json.
"""

import argparse
import json
import os
import random
import statistics
import time

# One core: no thread pools in numpy/scipy.
for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(name, "1")

import common  # noqa: E402

common.scratch_django(TRAMA_MARKET_EMBED_ON_SAVE="0")  # vectors are written by --meaning

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from trama.market.index import forget_indexes, index_for  # noqa: E402
from trama.market.models import Need, Offer  # noqa: E402
from trama.market.queries import ranked_offers  # noqa: E402
from trama.people.models import Person  # noqa: E402
from trama.territory.models import City, Neighbourhood  # noqa: E402
from trama.text import stem_text  # noqa: E402

VERBS = ["accompagno", "insegno", "presto", "offro", "riparo", "cucino", "leggo", "aiuto", "porto", "organizzo", "ascolto", "pulisco"]
THINGS = [
    "la spesa",
    "i compiti",
    "la bicicletta",
    "il computer",
    "una sala",
    "il giardino",
    "la lingua italiana",
    "la chitarra",
    "le pratiche",
    "il pane",
    "i vestiti",
    "la cena",
    "un passaggio in auto",
    "la pensione",
    "lo smartphone",
    "il cane",
    "la lavatrice",
    "il curriculum",
    "la matematica",
    "un laboratorio",
    "la ginnastica",
    "il condominio",
    "la biblioteca",
]
WHEN = ["il sabato mattina", "la sera", "nel fine settimana", "il martedì", "quando serve", "una volta al mese", "d'estate"]
WHO = ["anziani", "ragazzi", "famiglie", "vicini", "nuovi arrivati", "bambini", "studenti", "mamme", "papà", "tutti"]
KINDS = Offer.Kind.values


def sentence(rng):
    return f"{rng.choice(VERBS)} {rng.choice(THINGS)} per {rng.choice(WHO)} {rng.choice(WHEN)}"


def populate(n_offers, rng):
    call_command("migrate", verbosity=0)
    city = City.objects.create(name="Città di prova", slug="bench", centre_lat=44.8, centre_lon=10.3)
    hoods = [Neighbourhood.objects.create(city=city, name=f"Quartiere {i}", slug=f"q{i}") for i in range(13)]
    person = Person.objects.create(city=city, neighbourhood=hoods[0], display_name="Bench")
    # Needs come from someone else: a person's own offers are never proposed for her need.
    asker = Person.objects.create(city=city, neighbourhood=hoods[0], display_name="Chi chiede")
    through = Offer.neighbourhoods.through
    batch = 5000
    for start in range(0, n_offers, batch):
        offers = []
        for _ in range(min(batch, n_offers - start)):
            title, description = sentence(rng), sentence(rng) + ". " + sentence(rng)
            offers.append(
                Offer(
                    city=city,
                    person=person,
                    kind=rng.choice(KINDS),
                    title=title,
                    description=description,
                    search_tokens=stem_text(f"{title} {description}"),
                    days=rng.randrange(0, 128),
                    slots=rng.randrange(0, 8),
                    capacity=rng.randrange(1, 5),
                )
            )
        Offer.objects.bulk_create(offers)  # bulk_create skips save(): search_tokens set above
        links = [through(offer_id=o.pk, neighbourhood_id=h.pk) for o in offers for h in rng.sample(hoods, rng.randrange(1, 3))]
        through.objects.bulk_create(links)
    # An established market: offers last changed over the past days, one second apart, not all just now.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("UPDATE market_offer SET updated_at = now() - (%s - id) * interval '1 second' - interval '1 hour'", [n_offers])
        else:
            cursor.execute("UPDATE market_offer SET updated_at = datetime('now', '-' || (%s - id + 3600) || ' seconds')", [n_offers])
    needs = [
        Need(
            city=city,
            person=asker,
            neighbourhood=rng.choice(hoods),
            text=f"Cerco qualcuno che {sentence(rng)}",
            days=rng.randrange(0, 128),
            slots=rng.randrange(0, 8),
        )
        for _ in range(200)
    ]
    for need in needs:
        need.save()
    return city, needs


def phrases():
    return VERBS + THINGS + WHEN + WHO


def add_vectors(city):
    """Give every offer and need of `city` a meaning vector made from the e5 vectors of its phrases."""
    import numpy as np

    from trama import embeddings
    from trama.market import meaning

    words = phrases()
    raw = embeddings.embed(words)

    def vector_of(text):
        mask = [w in text for w in words]
        return meaning.to_bytes(meaning.project(raw[mask].sum(axis=0) if any(mask) else raw.mean(axis=0)))

    t0 = time.perf_counter()
    for model in (Offer, Need):
        rows = [
            (vector_of(f"{a} {b}"), meaning.MODEL_TAG, pk)
            for pk, a, b in model.objects.filter(city=city).values_list("pk", *(("title", "description") if model is Offer else ("text", "text")))
        ]
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {model._meta.db_table} SET embedding = %s, embedding_model = %s WHERE id = %s", rows)
    return round(time.perf_counter() - t0, 1), np


def run_queries(city, needs, queries):
    forget_indexes()
    t0 = time.perf_counter()
    index_for(city.pk)
    build_s = time.perf_counter() - t0
    timings, cpu, proposals = [], [], {}
    for need in needs[:queries]:
        t0, c0 = time.perf_counter(), time.process_time()
        ranked = ranked_offers(need, limit=10)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert ranked, "every need finds candidates"
        proposals[need.pk] = [[c.offer.pk, round(c.score, 4)] for c in ranked]
    timings.sort()
    cpu.sort()
    return build_s, timings, cpu, proposals


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--dump", help="write each need's proposed offer ids, in order, to this JSON file")
    parser.add_argument("--meaning", action="store_true", help="rank again with a meaning vector on every offer and need")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with BENCH_DATABASE_URL already filled by an earlier run (offers and, with --meaning, vectors): rank its needs, populate nothing",
    )
    args = parser.parse_args()
    rng = random.Random(42)

    t0 = time.perf_counter()
    if args.reuse:
        city = City.objects.get(slug="bench")
        needs = list(Need.objects.filter(city=city).order_by("pk"))
        for need in needs:  # the first pass ranks by words alone, as before vectors were written
            need.embedding, need.embedding_model = None, ""
        args.offers = Offer.objects.filter(city=city).count()
    else:
        city, needs = populate(args.offers, rng)
    populate_s = time.perf_counter() - t0

    build_s, timings, cpu, proposals = run_queries(city, needs, args.queries)

    # An offer changes: the next query folds it into the index before ranking.
    changed = Offer.objects.filter(city=city).order_by("?").first()
    changed.title = "riparo biciclette elettriche"
    changed.save()
    t0 = time.perf_counter()
    ranked_offers(needs[0], limit=10)
    after_change_ms = (time.perf_counter() - t0) * 1000

    figures = {
        **common.header("market.ranked_offers", connection.vendor),
        "offers": args.offers,
        "queries": len(timings),
        "populate_s": round(populate_s, 1),
        "index_build_s": round(build_s, 2),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
        "max_ms": round(timings[-1], 2),
        # CPU time of this process alone: steadier than the wall clock when other work shares the cores.
        "median_cpu_ms": round(statistics.median(cpu), 2),
        "p95_cpu_ms": round(cpu[int(0.95 * (len(cpu) - 1))], 2),
        "query_after_one_change_ms": round(after_change_ms, 2),
    }
    if args.meaning:
        vectors_s, np = (0.0, __import__("numpy")) if args.reuse else add_vectors(city)
        needs = [Need.objects.get(pk=need.pk) for need in needs]  # with their vectors
        build_s, timings, cpu, _ = run_queries(city, needs, args.queries)
        index = index_for(city.pk)
        figures["with_meaning"] = {
            "vectors_written_s": vectors_s,
            "index_build_s": round(build_s, 2),
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
            "max_ms": round(timings[-1], 2),
            "median_cpu_ms": round(statistics.median(cpu), 2),
            "p95_cpu_ms": round(cpu[int(0.95 * (len(cpu) - 1))], 2),
            "vectors_mb": round(index.vectors.nbytes / 2**20, 1),
            "rows_with_vector": int(np.count_nonzero(index.has_vector)),
        }
    common.write_report("market", figures)
    if args.dump:
        with open(args.dump, "w") as out:
            json.dump(proposals, out)
    for key, value in figures.items():
        print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
