"""Ranked answers of every kind among 100,000 offers and 10,000 activities, groups and services (issue 17, speed).

Run: BENCH_DATABASE_URL=<a database filled by bench/bench_market.py --meaning> .venv/bin/python bench/bench_kinds.py [--answers N] [--needs N]
Adds to the bench city, once, N records of the other kinds (default 10,000: four tenths public running
activities in one or two neighbourhoods, three tenths forming groups, three tenths services of
organisations at places), their texts made like the offers' (bench_market.sentence) and their meaning
vectors like the offers' (bench_market.add_vectors: the reduced sum of the e5 vectors of their phrases).
Then ranks N needs with the product's list of all kinds (`market.answers.ranked_answers`, ten at most)
five times over (the first pass not counted), for anyone (no scope) and for a worker of two of the
thirteen neighbourhoods, and prints the median and p95 CPU time of a list, the CPU time of the first list
after a group changed (the groups' rows re-read), and the memory of the other kinds' indexes. CPU time
of this process: the database server's time is not in it. The database is changed: records are added.
"""

import argparse
import os
import random
import statistics
import time

for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(name, "1")

import common  # noqa: E402

if "BENCH_DATABASE_URL" not in os.environ:
    raise SystemExit("BENCH_DATABASE_URL: a database filled by bench/bench_market.py --meaning")
common.scratch_django(TRAMA_MARKET_EMBED_ON_SAVE="0")

from bench_market import phrases, sentence  # noqa: E402
from django.db import connection  # noqa: E402

from trama import embeddings  # noqa: E402
from trama.collective.models import Group  # noqa: E402
from trama.initiatives.models import Initiative  # noqa: E402
from trama.market import meaning  # noqa: E402
from trama.market.answers import _sources, ranked_answers  # noqa: E402
from trama.market.index import index_for, source_index_for  # noqa: E402
from trama.market.models import Need  # noqa: E402
from trama.people.models import Organisation, Role, Service, User  # noqa: E402
from trama.territory.models import City, Neighbourhood, Place  # noqa: E402


def p95(values):
    return sorted(values)[int(0.95 * (len(values) - 1))]


def vectors(texts):
    words = phrases()
    raw = embeddings.embed(words)
    out = []
    for text in texts:
        mask = [w in text for w in words]
        out.append(meaning.to_bytes(meaning.project(raw[mask].sum(axis=0) if any(mask) else raw.mean(axis=0))))
    return out


def populate(city, n, rng):
    """n records of the other kinds in `city`, unless they are there already."""
    if Initiative.objects.filter(city=city).exists():
        return
    hoods = list(Neighbourhood.objects.filter(city=city).order_by("pk"))
    places = Place.objects.bulk_create([Place(neighbourhood=h, name=f"Punto di comunità {h.name}") for h in hoods])
    organisations = [Organisation.objects.create(city=city, name=f"Associazione {i}", sector=Organisation.Sector.THIRD_SECTOR) for i in range(50)]
    n_activities, n_groups = n * 4 // 10, n * 3 // 10
    n_services = n - n_activities - n_groups
    texts = [(sentence(rng), sentence(rng)) for _ in range(n)]
    blobs = vectors([f"{a} {b}" for a, b in texts])
    activities = Initiative.objects.bulk_create(
        Initiative(
            city=city,
            name=a[:160],
            description=b,
            origin=Initiative.Origin.WORKER,
            stage=Initiative.Stage.ACCOMPANIED,
            is_public=True,
            embedding=v,
            embedding_model=meaning.MODEL_TAG,
        )
        for (a, b), v in zip(texts[:n_activities], blobs[:n_activities], strict=True)
    )
    through = Initiative.neighbourhoods.through
    through.objects.bulk_create(
        through(initiative_id=i.pk, neighbourhood_id=h.pk) for i in activities for h in rng.sample(hoods, rng.randrange(1, 3))
    )
    rest = list(zip(texts[n_activities:], blobs[n_activities:], strict=True))
    Group.objects.bulk_create(
        Group(
            city=city,
            neighbourhood=rng.choice(hoods),
            name=a[:120],
            purpose=b,
            status=Group.Status.FORMING,
            embedding=v,
            embedding_model=meaning.MODEL_TAG,
        )
        for (a, b), v in rest[:n_groups]
    )
    Service.objects.bulk_create(
        Service(
            organisation=rng.choice(organisations),
            name=a[:200],
            description=b,
            place=rng.choice(places),
            opening_hours="lunedì e giovedì 9-12",
            embedding=v,
            embedding_model=meaning.MODEL_TAG,
        )
        for (a, b), v in rest[n_groups:]
    )
    assert n_services == len(rest) - n_groups


def timed(needs, user, rounds=5):
    cpu = []
    for round_ in range(rounds):
        for need in needs:
            c0 = time.process_time()
            # What the need's page shows of each answer (written when first read: market.answers.Answer).
            [(a.explanation, a.url, a.detail) for a in ranked_answers(need, limit=10, for_user=user)]
            if round_:
                cpu.append((time.process_time() - c0) * 1000)
    return {"median_cpu_ms": round(statistics.median(cpu), 2), "p95_cpu_ms": round(p95(cpu), 2), "lists": len(cpu)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=10000)
    parser.add_argument("--needs", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(17)
    city = City.objects.get(slug="bench")
    t0 = time.perf_counter()
    populate(city, args.answers, rng)
    populate_s = time.perf_counter() - t0
    needs = list(Need.objects.filter(city=city).order_by("pk")[: args.needs])
    hoods = list(Neighbourhood.objects.filter(city=city).order_by("pk"))
    worker = User.objects.filter(username="bench-worker").first()
    if worker is None:
        worker = User.objects.create_user("bench-worker", password=None, role=Role.WORKER, city=city)
        worker.neighbourhoods.set(hoods[:2])
    t0 = time.perf_counter()
    index_for(city.pk)
    offers_build_s = time.perf_counter() - t0
    builds = {}
    for name, source in _sources.items():
        t0 = time.perf_counter()
        source_index_for(source, city.pk)
        builds[name] = round(time.perf_counter() - t0, 2)
    anyone = timed(needs, None)
    as_worker = timed(needs, worker)
    after_change = []
    for group in Group.objects.filter(city=city).order_by("?")[:5]:
        group.purpose = f"{group.purpose} e riparo biciclette"
        group.save()
        c0 = time.process_time()
        ranked_answers(needs[0], limit=10)
        after_change.append(round((time.process_time() - c0) * 1000, 1))
    memory = {name: source_index_for(source, city.pk).memory_bytes() for name, source in _sources.items()}
    figures = {
        **common.header("market.answers_of_every_kind", connection.vendor),
        "offers": len(index_for(city.pk).ids),
        "other_kinds": {name: len(source_index_for(source, city.pk).ids) for name, source in _sources.items()},
        "populate_s": round(populate_s, 1),
        "offers_index_build_s": round(offers_build_s, 1),
        "other_index_build_s": builds,
        "anyone": anyone,
        "worker_of_two_neighbourhoods": as_worker,
        "first_list_after_a_group_changed_cpu_ms": after_change,
        "other_indexes_memory_mb": {name: round(sum(parts.values()) / 2**20, 2) for name, parts in memory.items()},
    }
    common.write_report("kinds_speed", figures)
    for key, value in figures.items():
        print(f"{key:40} {value}")


if __name__ == "__main__":
    main()
