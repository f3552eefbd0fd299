"""The team's realistic sample: 200 Parma-like associations, with the mistakes real lists have.

`python -m trama.imports.samples DIR` writes the files of docs/examples/import/ again (deterministic):

- associazioni-parma.xlsx: 200 rows with three formulas (a count left in a cell), a neighbourhood that
  does not exist ("Oltretorrente Nord"), a tax code repeated on two rows, a tax code with a wrong check
  digit, and join dates in three formats (31/12/2025, 2025-12-31, 31-12-25);
- associazioni-parma-corretto.xlsx: the same list once the coordinator has fixed it;
- associazioni-parma-windows.csv: the fixed list saved as CSV by Excel on Windows (Windows-1252, semicolons);
- associazioni-parma-senza-quartieri.csv: the fixed list without its "quartieri" column.
"""

import csv
import io
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from stdnum import luhn

NEIGHBOURHOODS = [
    "Parma Centro",
    "Oltretorrente",
    "Molinetto",
    "Pablo",
    "Golese",
    "San Pancrazio",
    "San Leonardo",
    "Cortile San Martino",
    "Lubiana",
    "San Lazzaro",
    "Cittadella",
    "Montanara",
    "Vigatto",
]
KINDS = [
    ("Associazione", "aps", "Terzo settore", "Doposcuola, compiti e merende per i ragazzi del quartiere."),
    ("Circolo", "aps", "Terzo settore", "Tombole, ballo liscio e gite per chi vuole compagnia."),
    ("Gruppo volontari", "odv", "Terzo settore", "Spesa e farmaci a domicilio per chi non esce di casa."),
    ("Cooperativa sociale", "social_cooperative", "Terzo settore", "Laboratori di falegnameria e inserimento lavorativo."),
    ("Parrocchia", "religious_body", "Comunità religiosa", "Centro d'ascolto e distribuzione di vestiti."),
    ("Comitato", "informal_group", "Gruppo informale", "Cura del verde e feste di strada."),
    ("Banca del tempo", "association", "Terzo settore", "Scambio di ore: riparazioni, ripetizioni, passaggi."),
    ("Bottega", "company", "Impresa", "Sconti e consegne per le famiglie del quartiere."),
]
NAMES = [
    "Il Ponte",
    "La Corte",
    "Ortinsieme",
    "Il Battistero",
    "Verdi Note",
    "La Ghiaia",
    "Il Torrente",
    "Porta Nuova",
    "Aquilone",
    "La Pilotta",
    "Sottosopra",
    "Arcobaleno",
    "Il Melograno",
    "Sant'Ilario",
    "Stradone",
    "La Cittadella",
    "Tramonti",
    "Le Mura",
    "Il Parco Ducale",
    "La Bassa",
]
HEADER = [
    "id_esterno",
    "nome",
    "settore",
    "forma_giuridica",
    "codice_fiscale",
    "quartieri",
    "email",
    "telefono",
    "indirizzo",
    "descrizione",
    "data_adesione",
]
DATE_STYLES = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y")


def tax_code(n: int) -> str:
    """A valid tax code of a non-profit body of Parma's office (92…, office 034, check digit right)."""
    body = f"92{n:05d}034"
    return body + luhn.calc_check_digit(body)


def associations(n: int = 200, seed: int = 14) -> list[list]:
    """`n` rows of the fixed list: every row valid, dates in the three formats in turn."""
    rng = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        kind, form, sector, description = KINDS[i % len(KINDS)]
        name = f"{kind} {NAMES[i % len(NAMES)]} {i}"
        hoods = rng.sample(NEIGHBOURHOODS, rng.choice((1, 1, 1, 2)))
        joined = date(2022, 1, 1) + timedelta(days=rng.randrange(1000))
        rows.append(
            [
                f"PR-{i:05d}",
                name,
                sector,
                form,
                tax_code(i),
                "; ".join(hoods),
                f"info{i}@associazioni-parma.example",
                f"0521 {rng.randrange(100000, 999999)}",
                f"Borgo {NAMES[(i * 7) % len(NAMES)]} {rng.randrange(1, 90)}, Parma",
                f"{description} Con l'accento: è, à, ù.",
                joined.strftime(DATE_STYLES[i % 3]),
            ]
        )
    return rows


def with_mistakes(rows: list[list]) -> list[list]:
    """The list as it arrives: formulas, a neighbourhood that does not exist, a repeated and a wrong tax code."""
    rows = [list(r) for r in rows]
    for i in (10, 50, 150):
        rows[i][6] = f'=CONCATENATE("info";{i + 1};"@associazioni-parma.example")'
    rows[40][5] = "Oltretorrente Nord"
    rows[120][4] = rows[119][4]
    rows[170][4] = rows[170][4][:-1] + str((int(rows[170][4][-1]) + 1) % 10)
    return rows


def xlsx(rows: list[list], header: list[str] = HEADER, title: str = "Associazioni") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], header: list[str] = HEADER, encoding: str = "cp1252") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fixed = associations()
    (folder / "associazioni-parma.xlsx").write_bytes(xlsx(with_mistakes(fixed)))
    (folder / "associazioni-parma-corretto.xlsx").write_bytes(xlsx(fixed))
    (folder / "associazioni-parma-windows.csv").write_bytes(csv_bytes(fixed))
    drop = HEADER.index("quartieri")
    (folder / "associazioni-parma-senza-quartieri.csv").write_bytes(
        csv_bytes([r[:drop] + r[drop + 1 :] for r in fixed], HEADER[:drop] + HEADER[drop + 1 :])
    )


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/examples/import"))
