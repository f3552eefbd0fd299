"""The brokerage evaluation set with every answer as its own kind (issue 17, step 5).

Run: .venv/bin/python bench/bench_answers.py
bench/bench_brokerage.py loads the 605 answers of the pool as open offers, so the ranking of offers is
measured alone. Here each answer is what the pool says it is: offers as offers, activities as public
running initiatives, groups as forming groups, services as an organisation's services, all in one
neighbourhood, and every need of bench/data/brokerage is ranked by the product's list of all kinds
together (`market.answers.ranked_answers`: each kind scored by its own rule, the stopping rule over the
whole list), twice:

- words: no meaning vector stored anywhere (the product before meaning, or with the worker down);
- combined: every answer and need with its stored meaning vector (the e5 "query: " vector reduced
  to 128 dimensions, market.meaning), as the task worker leaves them.

"meaning only" has no product form (the product never ranks by meaning alone); bench_brokerage.py
reports it for the offers' ranking. Figures: MRR@5 and nDCG@10 over the needs with an answer and the
silent-list shares (bench/brokerage.py), on the whole set, the development half and the held-out half,
plus the latency of one ranked list (median and p95, ms). Writes var/bench/answers.json.
"""

import os
import statistics
import time

for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(name, "1")

import common  # noqa: E402

common.scratch_django(TRAMA_MARKET_EMBED_ON_SAVE="0")  # the vectors come from the cache below

from brokerage import evaluate, load, split  # noqa: E402
from django.core.management import call_command  # noqa: E402
from embedding_cache import embed  # noqa: E402

from trama.collective.models import Group  # noqa: E402
from trama.initiatives.models import Initiative  # noqa: E402
from trama.market import meaning as market_meaning  # noqa: E402
from trama.market.answers import ranked_answers  # noqa: E402
from trama.market.index import forget_indexes  # noqa: E402
from trama.market.models import Need, Offer  # noqa: E402
from trama.people.models import Organisation, Person, Service  # noqa: E402
from trama.territory.models import City, Neighbourhood  # noqa: E402
from trama.text import stem_text  # noqa: E402

LIMIT = 10


def populate(needs, pool):
    """The pool in one neighbourhood, each answer as its kind; {(kind, pk): pool id} and {need id: Need}."""
    call_command("migrate", verbosity=0)
    city = City.objects.create(name="Città di prova", slug="eval", centre_lat=44.8, centre_lon=10.3)
    hood = Neighbourhood.objects.create(city=city, name="Borgo Nuovo", slug="borgo-nuovo")
    giver = Person.objects.create(city=city, neighbourhood=hood, display_name="Chi offre")
    asker = Person.objects.create(city=city, neighbourhood=hood, display_name="Chi chiede")
    organisation = Organisation.objects.create(city=city, name="Associazione di prova", sector=Organisation.Sector.THIRD_SECTOR)
    organisation.neighbourhoods.add(hood)
    ids = {}
    for item in pool:
        text, kind = item["text"], item["kind"]
        if kind == "offer":
            # As bench_brokerage.py loads them: the text as the title, open to many.
            record = Offer(city=city, person=giver, kind=Offer.Kind.TIME, title=text, search_tokens=stem_text(text), capacity=1000)
            Offer.objects.bulk_create([record])  # bulk_create skips save(): search_tokens set above
            record.neighbourhoods.add(hood)
        elif kind == "activity":
            record = Initiative.objects.create(
                city=city, name=text[:160], description=text, origin=Initiative.Origin.WORKER, stage=Initiative.Stage.ACCOMPANIED, is_public=True
            )
            record.neighbourhoods.add(hood)
        elif kind == "group":
            record = Group.objects.create(city=city, neighbourhood=hood, name=text[:120], purpose=text, status=Group.Status.FORMING)
        else:
            record = Service.objects.create(organisation=organisation, name=text[:200], description=text)
        ids[(kind, record.pk)] = item["id"]
    rows = {need["id"]: Need(city=city, person=asker, neighbourhood=hood, text=need["text"], search_tokens=stem_text(need["text"])) for need in needs}
    Need.objects.bulk_create(rows.values())
    return ids, rows


def store_vectors(needs, pool, ids, rows):
    """Every answer's and need's meaning vector, as the task worker would store them."""
    models = {"offer": Offer, "activity": Initiative, "group": Group, "service": Service}
    by_pool_id = {pool_id: key for key, pool_id in ids.items()}
    vectors = market_meaning.project(embed([item["text"] for item in pool]))
    for item, vector in zip(pool, vectors, strict=True):
        kind, pk = by_pool_id[item["id"]]
        models[kind].objects.filter(pk=pk).update(embedding=market_meaning.to_bytes(vector), embedding_model=market_meaning.MODEL_TAG)
    need_vectors = market_meaning.project(embed([need["text"] for need in needs]))
    for need, vector in zip(needs, need_vectors, strict=True):
        Need.objects.filter(pk=rows[need["id"]].pk).update(embedding=market_meaning.to_bytes(vector), embedding_model=market_meaning.MODEL_TAG)
    forget_indexes()  # the offers' index re-reads the stored vectors


def rank_all(needs, ids, rows):
    rankings, timings = {}, []
    for need in needs:
        record = Need.objects.get(pk=rows[need["id"]].pk)
        t0 = time.perf_counter()
        answers = ranked_answers(record, limit=LIMIT)
        timings.append((time.perf_counter() - t0) * 1000)
        rankings[need["id"]] = [ids[(a.kind, a.target_id)] for a in answers]
    return rankings, timings


def figures(rankings, timings, needs, dev, held):
    out = {}
    for half, subset in (("all", needs), ("development", dev), ("held_out", held)):
        out[half] = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in evaluate(rankings, subset).items()}
    ordered = sorted(timings)
    out["latency_ms"] = {"median": round(statistics.median(ordered), 1), "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1)}
    return out


def kinds_in_top(rankings, pool):
    kind_of = {item["id"]: item["kind"] for item in pool}
    counts = {}
    for ranked in rankings.values():
        for item in ranked[:5]:
            counts[kind_of[item]] = counts.get(kind_of[item], 0) + 1
    return counts


def main():
    needs, pool = load()
    dev, held = split(needs)
    ids, rows = populate(needs, pool)
    forget_indexes()
    report = common.header("answers")
    report["pool"] = {kind: sum(1 for item in pool if item["kind"] == kind) for kind in ("offer", "activity", "group", "service")}
    report["needs"] = {"all": len(needs), "development": len(dev), "held_out": len(held)}
    words, words_ms = rank_all(needs, ids, rows)
    report["words"] = figures(words, words_ms, needs, dev, held)
    report["words"]["kinds_in_top5"] = kinds_in_top(words, pool)
    store_vectors(needs, pool, ids, rows)
    combined, combined_ms = rank_all(needs, ids, rows)
    report["combined"] = figures(combined, combined_ms, needs, dev, held)
    report["combined"]["kinds_in_top5"] = kinds_in_top(combined, pool)
    path = common.write_report("answers", report)
    for method in ("words", "combined"):
        f = report[method]
        print(
            f"{method:9} MRR@5 all {f['all']['mrr5']:.3f} dev {f['development']['mrr5']:.3f} held {f['held_out']['mrr5']:.3f} · "
            f"nDCG@10 all {f['all']['ndcg10']:.3f} dev {f['development']['ndcg10']:.3f} held {f['held_out']['ndcg10']:.3f} · "
            f"silent (nothing fits) held {f['held_out']['silent_when_nothing_fits']:.3f} · median {f['latency_ms']['median']} ms"
        )
    print(f"written {path}")


if __name__ == "__main__":
    main()
