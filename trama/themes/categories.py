"""The administration's traditional user areas, from data/categorie_tradizionali.csv.

Loaded by the migration 0002_traditional_categories (with the historical model it is given) and by
the synthetic city when the table is empty.
"""

import csv
from pathlib import Path

CSV = Path(__file__).resolve().parent / "data" / "categorie_tradizionali.csv"


def _read():
    with CSV.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def rows():
    for row in _read():
        yield row["code"], row["name_it"], f"{row['schema'].upper()}. {row['source']}"


def load(apps, schema_editor=None):
    Category = apps.get_model("themes", "TraditionalCategory")
    for code, name, description in rows():
        Category.objects.update_or_create(code=code, defaults={"name": name, "description": description})


def unload(apps, schema_editor=None):
    apps.get_model("themes", "TraditionalCategory").objects.filter(code__in=[code for code, _n, _d in rows()]).delete()


def rows_with_english():
    """(code, Italian name, English name, may name a theme) of each category, in the file's order.

    A category may not name a theme (`names_a_theme` "no") when its name labels people by a hardship
    ("Povertà, disagio adulti e senza dimora", "Dipendenze") or by origin, or names no subject
    ("Multiutenza"): theme names are shown on public pages."""
    for row in _read():
        yield row["code"], row["name_it"], row["name_en"], row["names_a_theme"] == "yes"
