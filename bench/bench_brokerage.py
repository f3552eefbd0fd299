"""How well needs meet their answers: the brokerage evaluation set (bench/data/brokerage/).

Run: .venv/bin/python bench/bench_brokerage.py
Loads the 605 answers as open offers of one city in a scratch SQLite file and the 198 needs as needs
of another person, then ranks each need five ways and reports MRR@5, nDCG@10 and the "no answer"
figures on the whole set, the development half and the held-out half (bench/brokerage.py):

- words: the product's ranking as it is, `market.queries.ranked_offers` (TF-IDF over Italian
  stems, MIN_TEXT); place, days and kind are equal for every answer, so only the words order them;
- meaning: cosine of the multilingual e5 embeddings (`themes.engine.embed`, cached in var/cache/),
  answers at or above a threshold;
- combined: w * words + (1 - w) * meaning, answers at or above a threshold;
- meaning_passage, combined_passage: the same with the answers embedded with e5's "passage: " prefix;
- product_meaning: the product's ranking with meaning ("after"): `ranked_offers` again, once every
  answer and need has its stored meaning vector (market.meaning: the "query: " vector reduced to 128
  dimensions), WORDS_WEIGHT and MIN_MEANING as tuned by bench/fit_meaning.py on the development half.

The meaning threshold, w and the combined threshold are tuned on the development half only, on the
`honest_list` figure; the held-out half is read once with them. Writes var/bench/brokerage.json.
"""

import os
import statistics
import time

for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(name, "1")

import common  # noqa: E402

common.scratch_django(TRAMA_MARKET_EMBED_ON_SAVE="0")  # the vectors come from the cache below

import numpy as np  # noqa: E402
from brokerage import evaluate, load, price_of_silence, split  # noqa: E402
from django.core.management import call_command  # noqa: E402
from embedding_cache import embed  # noqa: E402

from trama.market import meaning as market_meaning  # noqa: E402
from trama.market.index import forget_indexes, index_for  # noqa: E402
from trama.market.models import Need, Offer  # noqa: E402
from trama.market.queries import MIN_MEANING, MIN_TEXT, WORDS_WEIGHT, ranked_offers  # noqa: E402
from trama.people.models import Person  # noqa: E402
from trama.territory.models import City, Neighbourhood  # noqa: E402
from trama.text import stem_text  # noqa: E402

LIMIT = 10
WEIGHTS = np.round(np.arange(0.0, 1.0001, 0.05), 2)
THRESHOLDS = np.round(np.arange(0.0, 0.95, 0.005), 3)


def populate(needs, pool):
    call_command("migrate", verbosity=0)
    city = City.objects.create(name="Città di prova", slug="eval", centre_lat=44.8, centre_lon=10.3)
    hood = Neighbourhood.objects.create(city=city, name="Borgo Nuovo", slug="borgo-nuovo")
    giver = Person.objects.create(city=city, neighbourhood=hood, display_name="Chi offre")
    asker = Person.objects.create(city=city, neighbourhood=hood, display_name="Chi chiede")
    offers = [
        Offer(city=city, person=giver, kind=Offer.Kind.TIME, title=item["text"], search_tokens=stem_text(item["text"]), capacity=1000)
        for item in pool
    ]
    Offer.objects.bulk_create(offers)  # bulk_create skips save(): search_tokens set above
    pool_id = {offer.pk: item["id"] for offer, item in zip(offers, pool)}
    rows = {need["id"]: Need(city=city, person=asker, neighbourhood=hood, text=need["text"], search_tokens=stem_text(need["text"])) for need in needs}
    Need.objects.bulk_create(rows.values())  # as Need.save() would store them
    return city, rows, pool_id


def best_ten(scores, ids, needs):
    """{need id: [(score, pool id)] of its LIMIT best answers, best first}: sorted once, cut at any threshold."""
    out = {}
    for need in needs:
        values = scores[need["id"]]
        order = np.argsort(-values, kind="stable")[:LIMIT]
        out[need["id"]] = [(float(values[i]), ids[i]) for i in order]
    return out


def cut(best, threshold):
    """The rankings with only the answers at or above `threshold`."""
    return {need_id: [item for score, item in ranked if score >= threshold] for need_id, ranked in best.items()}


def rankings_of(scores, ids, needs, threshold):
    return cut(best_ten(scores, ids, needs), threshold)


def tune_meaning(meaning, ids, dev):
    """The meaning threshold with the best honest_list on the development half (the lowest of equals)."""
    best = best_ten(meaning, ids, dev)
    return max(THRESHOLDS, key=lambda t: (evaluate(cut(best, t), dev)["honest_list"], -t))


def tune_combined(words, meaning, ids, dev):
    """(weight of the words, threshold) with the best honest_list on the development half (the lowest of equals)."""
    found = None
    for w in WEIGHTS:
        best = best_ten({k: w * words[k] + (1 - w) * meaning[k] for k in words}, ids, dev)
        for t in THRESHOLDS:
            figure = evaluate(cut(best, t), dev)["honest_list"]
            if found is None or figure > found[0]:
                found = (figure, float(w), float(t))
    return found[1], found[2]


def rounded(figures):
    return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in figures.items()}


def percentile(values, share):
    values = sorted(values)
    return values[int(share * (len(values) - 1))]


def main():
    needs, pool = load()
    dev, held = split(needs)
    ids = [item["id"] for item in pool]

    t0 = time.perf_counter()
    city, rows, pool_id = populate(needs, pool)
    populate_s = time.perf_counter() - t0
    forget_indexes()
    index = index_for(city.pk)

    # Words, as the product ranks today; and the full text similarity of every answer, for mixing.
    product, timings, cpu = {}, [], []
    for need in needs:
        t0, c0 = time.perf_counter(), time.process_time()
        ranked = ranked_offers(rows[need["id"]], limit=LIMIT)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        product[need["id"]] = [pool_id[c.offer.pk] for c in ranked]
    order = np.array([ids.index(pool_id[int(pk)]) for pk in index.ids])
    words = {}
    for need in needs:
        scores = np.zeros(len(ids), dtype=np.float32)
        scores[order] = index.text_scores(rows[need["id"]].search_tokens)
        words[need["id"]] = scores

    t0 = time.perf_counter()
    need_vectors = embed([need["text"] for need in needs])
    answers_as_queries = embed([item["text"] for item in pool])
    answers_as_passages = embed([item["text"] for item in pool], passage=True)
    embed_s = time.perf_counter() - t0

    scores = {"words": words}
    methods = {"words": product}
    tuned = {"min_text": MIN_TEXT}
    # Two ways to embed the answers: as themes does ("query: ", so its stored vectors could serve), or as
    # e5 prescribes for texts to be searched ("passage: "); the needs are queries either way.
    for suffix, answer_vectors in (("", answers_as_queries), ("_passage", answers_as_passages)):
        meaning = {need["id"]: answer_vectors @ vector for need, vector in zip(needs, need_vectors)}
        min_meaning = tune_meaning(meaning, ids, dev)
        weight, min_combined = tune_combined(words, meaning, ids, dev)
        scores["meaning" + suffix] = meaning
        scores["combined" + suffix] = {k: weight * words[k] + (1 - weight) * meaning[k] for k in words}
        methods["meaning" + suffix] = rankings_of(meaning, ids, needs, min_meaning)
        methods["combined" + suffix] = rankings_of(scores["combined" + suffix], ids, needs, min_combined)
        tuned.update({"min_meaning" + suffix: float(min_meaning), "weight_words" + suffix: weight, "min_combined" + suffix: min_combined})
    # "After": the product with every answer's and need's meaning vector stored, as the worker would store them.
    for offer_pk, item_id in pool_id.items():
        vector = market_meaning.project(answers_as_queries[ids.index(item_id)])
        Offer.objects.filter(pk=offer_pk).update(embedding=market_meaning.to_bytes(vector), embedding_model=market_meaning.MODEL_TAG)
    for need, vector in zip(needs, need_vectors):
        Need.objects.filter(pk=rows[need["id"]].pk).update(
            embedding=market_meaning.to_bytes(market_meaning.project(vector)), embedding_model=market_meaning.MODEL_TAG
        )
    forget_indexes()
    product_meaning, meaning_timings, meaning_cpu = {}, [], []
    for need in needs:
        stored = Need.objects.get(pk=rows[need["id"]].pk)
        t0, c0 = time.perf_counter(), time.process_time()
        ranked = ranked_offers(stored, limit=LIMIT)
        meaning_timings.append((time.perf_counter() - t0) * 1000)
        meaning_cpu.append((time.process_time() - c0) * 1000)
        product_meaning[need["id"]] = [pool_id[c.offer.pk] for c in ranked]
    methods["product_meaning"] = product_meaning
    index = index_for(city.pk)
    reduced = {}
    for need, vector in zip(needs, need_vectors):
        similar = np.zeros(len(ids), dtype=np.float32)
        similar[order] = index.meaning_scores(market_meaning.project(vector))
        reduced[need["id"]] = WORDS_WEIGHT * words[need["id"]] + (1 - WORDS_WEIGHT) * np.maximum(similar, 0)
    scores["product_meaning"] = reduced
    tuned.update({"product_meaning_words_weight": WORDS_WEIGHT, "product_meaning_min_meaning": MIN_MEANING})
    # The product's list and the plain text ranking at MIN_TEXT must agree: same words, same threshold.
    plain = rankings_of(words, ids, needs, MIN_TEXT)
    agree = sum(product[k] == plain[k] for k in product) / len(needs)

    figures = {
        **common.header("market.brokerage_evaluation", "sqlite"),
        "needs": len(needs),
        "answers": len(pool),
        "split": {"development": len(dev), "held_out": len(held), "rule": "SHA-256 of the id within each stratum, every second held out"},
        "tuned_on_development": tuned,
        "words_product_agrees_with_plain_text_ranking": round(agree, 3),
    }
    for method, rankings in methods.items():
        figures[method] = {
            "all": rounded(evaluate(rankings, needs)),
            "development": rounded(evaluate(rankings, dev)),
            "held_out": rounded(evaluate(rankings, held)),
        }
        for tag in ("foreign", "synonym", "loneliness", "typo", "dialect", "short"):
            figures[method][f"tag_{tag}"] = rounded(evaluate(rankings, [n for n in needs if tag in n["tags"]]))
        figures[method]["price_of_silence_on_half_of_no_answer"] = price_of_silence(scores[method], needs)

    # Speed: the product's words ranking here; the cosine over 100,000 stored vectors (what the meaning
    # would add to ranked_offers at the scale); embedding one need (done by the worker, not the request).
    rng = np.random.default_rng(0)
    big = rng.standard_normal((100_000, need_vectors.shape[1]), dtype=np.float32)
    big /= np.linalg.norm(big, axis=1, keepdims=True)
    cosine_ms, cosine_cpu = [], []
    for vector in need_vectors[:50]:
        t0, c0 = time.perf_counter(), time.process_time()
        np.argpartition(-(big @ vector), 30)[:30]
        cosine_ms.append((time.perf_counter() - t0) * 1000)
        cosine_cpu.append((time.process_time() - c0) * 1000)
    # The same with vectors cut to their first 128 dimensions: what a projection to 128 would cost.
    small, small_cpu = np.ascontiguousarray(big[:, :128]), []
    for vector in need_vectors[:50]:
        c0 = time.process_time()
        np.argpartition(-(small @ vector[:128]), 30)[:30]
        small_cpu.append((time.process_time() - c0) * 1000)
    from trama.themes import engine

    engine.embed(["riscaldamento"])  # the model is loaded once per process
    embed_one_ms = []
    for need in needs[:20]:
        t0 = time.perf_counter()
        engine.embed([need["text"]])
        embed_one_ms.append((time.perf_counter() - t0) * 1000)
    figures["latency"] = {
        "populate_s": round(populate_s, 1),
        "embed_set_s_cached_or_not": round(embed_s, 1),
        "words_ranked_offers_median_ms": round(statistics.median(timings), 2),
        "words_ranked_offers_p95_ms": round(percentile(timings, 0.95), 2),
        "words_ranked_offers_median_cpu_ms": round(statistics.median(cpu), 2),
        "with_meaning_ranked_offers_median_ms": round(statistics.median(meaning_timings), 2),
        "with_meaning_ranked_offers_p95_ms": round(percentile(meaning_timings, 0.95), 2),
        "with_meaning_ranked_offers_median_cpu_ms": round(statistics.median(meaning_cpu), 2),
        "cosine_100k_median_ms": round(statistics.median(cosine_ms), 2),
        "cosine_100k_p95_ms": round(percentile(cosine_ms, 0.95), 2),
        "cosine_100k_median_cpu_ms": round(statistics.median(cosine_cpu), 2),
        "embedding_matrix_100k_mb": round(big.nbytes / 2**20, 1),
        "cosine_100k_128_dimensions_median_cpu_ms": round(statistics.median(small_cpu), 2),
        "embed_one_need_median_ms": round(statistics.median(embed_one_ms), 1),
    }
    common.write_report("brokerage", figures)
    print_figures(figures)


def print_figures(figures):
    for key in ("needs", "answers", "split", "tuned_on_development", "words_product_agrees_with_plain_text_ranking"):
        print(f"{key:45} {figures[key]}")
    columns = ("mrr5", "ndcg10", "silent_when_nothing_fits", "silent_when_something_fits", "honest_list")
    print(f"{'method / needs':32}" + "".join(f"{c:>28}" for c in columns))
    for method in ("words", "meaning", "combined", "meaning_passage", "combined_passage", "product_meaning"):
        for part, values in figures[method].items():
            if part.startswith("price"):
                print(f"{method + ' ' + part:45} {values}")
                continue
            print(f"{method + ' ' + part:32}" + "".join(f"{values[c]:>28}" for c in columns))
    for key, value in figures["latency"].items():
        print(f"{key:45} {value}")


if __name__ == "__main__":
    main()
