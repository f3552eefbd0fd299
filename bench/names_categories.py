"""How far the nearest traditional category fits a group of texts: right against wrong (issue 16, step 2).

    .venv/bin/python bench/names_categories.py [--demo-db DATABASE_URL] [--draws 20]

The fallback of theme naming (`naming.nearest_category`) names a theme with the nearest category of
the administration when the theme has no Italian word and no English word known in Italian. This
measures, on the labelled groups of each development half (bench/devsets.py; the held-out halves are
not read) and, with `--demo-db`, on the themes discovery finds in the demo corpus (number chosen by
the engine, then 4, 6 and 8 given), the cosine of each group's nearest category as the engine
computes it (the centre of five texts, less the corpus's mean vector, against the categories'
English names less their mean) and the gap to the second nearest. Five texts are the group's five
central ones, as the engine's examples, then `--draws` random sets of five (seeded), so each group
gives a spread, not one point ("all" in the summary: the central and the drawn sets together).

Which categories fit which group is written below by hand, before looking at the similarities
(`FITS`): a group whose nearest category is among them is "right", else "wrong". Only the categories
that may name a theme matter for the floor (the others are refused anyway): the report prints, for
those, the highest wrong and the lowest right similarity and gap, and the floor with the widest margin.
"""

import argparse
import sys

import devsets  # noqa: E402
import numpy as np
from common import OUT, header, write_report  # noqa: E402  (also puts the project on sys.path)
from embedding_cache import embed as cached_embed  # noqa: E402

from trama.themes import naming  # noqa: E402
from trama.themes.categories import rows_with_english  # noqa: E402

EXAMPLES = 5
# The categories (codes) that fit each labelled group, judged from the labels' meaning alone.
POVERTY = {"poverta", "poverta_adulti"}
FITS = {
    "team": {
        "solitudine_anziani": {"anziani"},
        "doposcuola_compiti": {"infanzia_famiglia", "famiglia_minori"},
        "giovani_disagio": {"infanzia_famiglia", "famiglia_minori", "dipendenze"},
        "caregiver": {"disabilita", "disabili", "anziani"},
        "lavoro_perso": POVERTY,
        "casa_bollette": POVERTY,
        "cibo_spesa": POVERTY,
        "lingua_stranieri": {"immigrati"},
        "salute_accesso": {"disabilita", "anziani"},
        "spazi_quartiere": set(),
        "divario_digitale": set(),
        "mobilita_trasporti": set(),
    },
    # Science, travel, politics, sports, health, entertainment, geography; and a voice assistant's
    # intents: no category of social services fits any of them.
    "sib200": {},
    "xsid": {},
}
# The demo's themes, by the first word of the name discovery gives them (see bench/names_themes.py).
DEMO_FITS = {
    "sola": {"anziani"},
    "bambini": {"anziani"},
    "domenica": {"anziani"},
    "farmaci": {"anziani"},
    "online": set(),
    "app": set(),
    "imparare": set(),
    "spesa": {"anziani"} | POVERTY,
    "casa spesa": {"anziani"} | POVERTY,
    "portare": {"anziani"} | POVERTY,
    "affitto": POVERTY,
    "bolletta": POVERTY,
    "bollette": POVERTY,
    "bolletta luce": POVERTY,
}


def categories():
    rows = [row for row in rows_with_english() if row[0] not in naming._CATCH_ALL]
    _names, _ok, vectors = naming._categories()
    return [code for code, *_ in rows], [ok for *_, ok in rows], vectors


def judge(vectors, common, codes, fit_to_name, categories_vectors, fits):
    centre = vectors.mean(axis=0) - common
    similarity = categories_vectors @ (centre / np.linalg.norm(centre))
    order = np.argsort(-similarity)
    best, second = int(order[0]), int(order[1])
    return {
        "category": codes[best],
        "may_name": bool(fit_to_name[best]),
        "similarity": round(float(similarity[best]), 4),
        "gap": round(float(similarity[best] - similarity[second]), 4),
        "right": codes[best] in fits,
    }


def central(vectors, common, k=EXAMPLES):
    centred = vectors - common
    centred = centred / np.linalg.norm(centred, axis=1, keepdims=True)
    return np.argsort(-(centred @ centred.mean(axis=0)), kind="stable")[:k]


def groups_of_devsets(draws, rng):
    for name in devsets.SETS:
        dev, _held_out = devsets.split(devsets.load(name))
        texts = [r["text"] for r in dev]
        labels = np.array([r["label"] for r in dev])
        vectors = cached_embed(texts)
        common = vectors.mean(axis=0)
        for label in sorted(set(labels)):
            members = vectors[labels == label]
            picks = [central(members, common)] + [rng.choice(len(members), EXAMPLES, replace=False) for _ in range(draws)]
            yield name, label, FITS[name].get(label, set()), [members[p] for p in picks], common


def groups_of_demo(url):
    from names_themes import demo_corpus

    from trama.themes import engine

    texts, vectors = demo_corpus(url)
    common = vectors.mean(axis=0)
    for k in (None, 4, 6, 8):
        result = engine.discover(texts, n_themes=k, seed=0, embeddings=vectors)
        for theme in result.themes:
            first = theme.name.split(", ")[0]
            yield f"demo k={k or 'auto'}", theme.name, DEMO_FITS.get(first), [vectors[theme.examples]], common


def widest(right, wrong):
    """The floor between the highest wrong and the lowest right value with the widest margin on both sides."""
    if not right or not wrong:
        return None
    low, high = max(wrong), min(right)
    return {"highest_wrong": low, "lowest_right": high, "margin": round(high - low, 4), "floor": round((low + high) / 2, 4)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-db", help="DATABASE_URL of a database where load_demo ran")
    parser.add_argument("--draws", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    codes, fit_to_name, category_vectors = categories()
    report = header("category fit") | {"draws": args.draws, "groups": []}
    sources = list(groups_of_devsets(args.draws, rng))
    if args.demo_db:
        sources += list(groups_of_demo(args.demo_db))
    for corpus, group, fits, samples, common in sources:
        if fits is None:
            print(f"!! {corpus} «{group}»: no judgement in DEMO_FITS, left out", file=sys.stderr)
            continue
        judged = [judge(s, common, codes, fit_to_name, category_vectors, fits) for s in samples]
        report["groups"].append({"corpus": corpus, "group": group, "central": judged[0], "draws": judged[1:]})
        c = judged[0]
        verdict, may = ("right" if c["right"] else "WRONG"), ("may name" if c["may_name"] else "refused")
        print(f"{corpus:12s} {group[:34]:34s} {c['category']:18s} {may:8s} sim {c['similarity']:.3f} gap {c['gap']:.3f} {verdict}")
    for what in ("central", "all"):
        judged = [j for g in report["groups"] for j in ([g["central"]] if what == "central" else [g["central"], *g["draws"]]) if j["may_name"]]
        for measure in ("similarity", "gap"):
            right = [j[measure] for j in judged if j["right"]]
            wrong = [j[measure] for j in judged if not j["right"]]
            found = widest(right, wrong)
            report[f"{what}_{measure}"] = found
            counts = f"{len(right)} right, {len(wrong)} wrong (nearest category that may name a theme)"
            print(f"{what:7s} {measure:10s}: {counts}; {found}")
            floors = (0.20, 0.22, 0.24, 0.25, 0.26, 0.28, 0.30) if measure == "similarity" else (0.02, 0.04, 0.06, 0.08, 0.10, 0.13)
            for floor in floors if right and wrong else ():
                kept = sum(v >= floor for v in right), sum(v >= floor for v in wrong)
                print(f"    floor {floor:.2f}: right kept {kept[0]}/{len(right)}, wrong kept {kept[1]}/{len(wrong)}")
            if right and wrong and measure == "similarity":
                # The empty stretches of right values between the highest wrong one and 0.30 (above it a
                # floor loses most right groups): a floor in one keeps no wrong group and stands as far
                # as it can from the samples on both sides.
                above = [max(wrong), *sorted(v for v in right if max(wrong) < v <= 0.30)]
                stretches = sorted(((b - a, a, b) for a, b in zip(above, above[1:])), reverse=True)[:3]
                print("    widest empty stretches up to 0.30:", [(round(a, 4), round(b, 4)) for _w, a, b in stretches])
            if right and wrong and measure == "gap":
                both = [(j["similarity"], j["gap"]) for j in judged if j["right"]], [(j["similarity"], j["gap"]) for j in judged if not j["right"]]
                for floor, gap in ((0.26, 0.13), (0.26, 0.16), (0.24, 0.13)):
                    kept = [sum(s >= floor or g >= gap for s, g in side) for side in both]
                    print(f"    similarity {floor:.2f} or gap {gap:.2f}: right kept {kept[0]}/{len(right)}, wrong kept {kept[1]}/{len(wrong)}")
    path = write_report("names_categories", report)
    print(f"\nwritten {path.relative_to(OUT.parent.parent)}", file=sys.stderr)


if __name__ == "__main__":
    main()
