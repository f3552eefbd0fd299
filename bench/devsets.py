"""The labelled sets theme discovery is measured on, and their fixed development / held-out split.

Each set is JSONL, one {"id", "text", "label"} a line. The split is stratified by label and depends
only on the ids: within each label the ids are ordered by the SHA-256 of the id, and every second
one (positions 1, 3, 5…) is held out. So each half keeps the label proportions, adding or removing
one text moves no other text between halves, and no random generator is involved.
Variants are tuned on the development halves only; the held-out halves are read once, at the end.
"""

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "team": ROOT / "trama" / "themes" / "data" / "eval_it.jsonl",
    "sib200": ROOT / "bench" / "data" / "devsets" / "sib200_ita.jsonl",
    "xsid": ROOT / "bench" / "data" / "devsets" / "xsid_it.jsonl",
}


def load(name):
    return [json.loads(line) for line in SETS[name].read_text(encoding="utf-8").splitlines() if line.strip()]


def _key(row_id):
    return hashlib.sha256(row_id.encode("utf-8")).hexdigest()


def split(rows):
    """(development half, held-out half), each in the set's original order."""
    held = set()
    by_label = {}
    for row in rows:
        by_label.setdefault(row["label"], []).append(row["id"])
    for ids in by_label.values():
        held.update(sorted(ids, key=_key)[1::2])
    return [r for r in rows if r["id"] not in held], [r for r in rows if r["id"] in held]


if __name__ == "__main__":
    for name in SETS:
        rows = load(name)
        dev, held = split(rows)
        print(f"{name}: {len(rows)} texts, {len({r['label'] for r in rows})} labels; development {len(dev)}, held out {len(held)}")
