"""The brokerage evaluation set (bench/data/brokerage/), its fixed halves and the ranking metrics.

A ranking is a list of pool ids, best first, as a worker would see it: an empty list means
"nessuna risposta adatta". Judgments are {pool id: grade}, grade 2 answers the need, 1 partly.
"""

import hashlib
import json
import math
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "brokerage"


def _read(name):
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def load():
    """(needs, pool), each a list of dicts in file order."""
    return _read("needs.jsonl"), _read("pool.jsonl")


def stratum(need):
    if not need["relevant"]:
        return "no_answer"
    return "foreign" if need["lang"] != "it" else "italian"


def _key(row_id):
    return hashlib.sha256(row_id.encode("utf-8")).hexdigest()


def split(needs):
    """(development half, held-out half): within each stratum, ids ordered by SHA-256, every second held out."""
    held = set()
    by_stratum = {}
    for need in needs:
        by_stratum.setdefault(stratum(need), []).append(need["id"])
    for ids in by_stratum.values():
        held.update(sorted(ids, key=_key)[1::2])
    return [n for n in needs if n["id"] not in held], [n for n in needs if n["id"] in held]


def reciprocal_rank(ranking, relevant, k=5):
    """1 / rank of the first answer with any grade among the first k, else 0."""
    for rank, item in enumerate(ranking[:k], start=1):
        if relevant.get(item, 0) > 0:
            return 1.0 / rank
    return 0.0


def ndcg(ranking, relevant, k=10):
    """Normalised discounted cumulative gain at k, gain 2**grade - 1, log2(rank + 1) discount."""
    gains = sorted(relevant.values(), reverse=True)[:k]
    ideal = sum((2**g - 1) / math.log2(r + 2) for r, g in enumerate(gains))
    if ideal == 0:
        return 0.0
    dcg = sum((2 ** relevant.get(item, 0) - 1) / math.log2(r + 2) for r, item in enumerate(ranking[:k]))
    return dcg / ideal


def evaluate(rankings, needs):
    """Figures of `rankings` ({need id: [pool ids]}) over `needs`.

    MRR@5 and nDCG@10 over the needs that have an answer; `silent_when_nothing_fits`: share of the
    needs with no answer whose list is empty; `silent_when_something_fits`: share of the others whose
    list is empty (the price of the silence); `honest_list`: mean over all needs of nDCG@10, counting
    1 for an empty list and 0 for any list when nothing fits — the single figure weights are tuned on.
    """
    answerable = [n for n in needs if n["relevant"]]
    unanswerable = [n for n in needs if not n["relevant"]]
    rr = [reciprocal_rank(rankings[n["id"]], n["relevant"]) for n in answerable]
    gain = [ndcg(rankings[n["id"]], n["relevant"]) for n in answerable]
    quiet = [not rankings[n["id"]] for n in unanswerable]
    return {
        "needs": len(needs),
        "mrr5": _mean(rr),
        "ndcg10": _mean(gain),
        "silent_when_nothing_fits": _mean(quiet),
        "silent_when_something_fits": _mean([not rankings[n["id"]] for n in answerable]),
        "honest_list": _mean(gain + [float(q) for q in quiet]),
    }


def price_of_silence(scores, needs, share=0.5):
    """Raise the threshold until the list is empty for `share` of the needs with no answer: the share of
    the needs with an answer whose list is then empty too. A ranking that knows when nothing fits pays little."""
    top = {n["id"]: float(scores[n["id"]].max()) for n in needs}
    quiet = sorted(top[n["id"]] for n in needs if not n["relevant"])
    threshold = quiet[int(share * len(quiet))]  # lists whose best score is below it are empty
    answerable = [top[n["id"]] for n in needs if n["relevant"]]
    return {"threshold": round(threshold, 3), "silent_when_something_fits": round(sum(t < threshold for t in answerable) / len(answerable), 3)}


def _mean(values):
    return sum(values) / len(values) if values else 0.0
