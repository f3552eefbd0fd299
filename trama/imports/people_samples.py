"""The team's realistic samples of lists about people, with the mistakes real lists have (all names invented).

`python -m trama.imports.people_samples DIR` writes these files of docs/examples/import/ again (deterministic):

- persone-banca-del-tempo.xlsx: the 200 members of a time bank in Parma's neighbourhoods, as its paper forms were
  copied into a sheet: a row without the date of the consent (line 9), a consent date written 03.05.2024 (line 31),
  a neighbourhood that does not exist ("Oltretorrente Nord", line 58), a formula left in a cell (line 77), a member
  copied twice (the same id on lines 101 and 120), a phone number written without the consent to keep it (line
  150); consent dates in three formats (31/12/2025, 2025-12-31, 31-12-25);
- persone-banca-del-tempo-corretto.xlsx: the same list once the worker has fixed it;
- offerte-banca-del-tempo.csv: what 60 members offer, saved by Excel on Windows (Windows-1252, semicolons), one
  naming a member id that is not in the list (line 41);
- richieste-sportello.csv: 40 needs written down at the help desk from paper cards and phone calls;
- antenne-quartiere.csv: 12 antennas (shopkeepers, pharmacists, a concierge) with their consent to be contacted,
  one without any way to reach her (line 8).
"""

import csv
import io
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from .samples import DATE_STYLES, NEIGHBOURHOODS, xlsx

PEOPLE_HEADER = [
    "id_esterno",
    "nome",
    "quartiere",
    "consenso_raccolto_il",
    "consenso_ricontatto",
    "consenso_dati_anagrafici",
    "nome_anagrafico",
    "cognome",
    "telefono",
    "primo_contatto",
]
NICKNAMES = [
    "Nonna Pina",
    "Il Moro",
    "Zia Nives",
    "Gigi",
    "La Rossa",
    "Tonino",
    "Mimì",
    "Il Prof",
    "Carla B.",
    "Dede",
    "Nando",
    "Lalla",
    "Peppino",
    "Sandra",
    "Ombretta",
    "Ivo",
    "Fede",
    "Marghe",
    "Il Sarto",
    "Rina",
]
FIRST = ["Giuseppina", "Marco", "Nives", "Luigi", "Anna", "Antonio", "Maria", "Paolo", "Carla", "Davide"]
LAST = ["Ferrari", "Bianchi", "Rossi", "Grassi", "Zanichelli", "Bertoli", "Mori", "Rinaldi", "Cavalli", "Pezzani"]
CHANNELS = ["Si è presentata da sé", "Partecipando a un'attività", "Invio da un servizio", "Lavoro di strada / uscita"]


def members(n: int = 200, seed: int = 14) -> list[list]:
    """`n` rows of the fixed list: every row valid, the consent dates in the three formats in turn."""
    rng = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        identifying = i % 4 == 0
        signed = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
        rows.append(
            [
                f"BT-{i:04d}",
                f"{NICKNAMES[i % len(NICKNAMES)]} {i}",
                NEIGHBOURHOODS[rng.randrange(len(NEIGHBOURHOODS))],
                signed.strftime(DATE_STYLES[i % 3]),
                "sì" if i % 3 else "no",
                "sì" if identifying else "",
                FIRST[i % len(FIRST)] if identifying else "",
                LAST[(i * 3) % len(LAST)] if identifying else "",
                f"347 {rng.randrange(1000000, 9999999)}" if identifying else "",
                CHANNELS[i % len(CHANNELS)],
            ]
        )
    return rows


def members_with_mistakes(rows: list[list]) -> list[list]:
    """The list as it arrives (line = index + 2)."""
    rows = [list(r) for r in rows]
    rows[7][3] = ""  # line 9: no consent date
    rows[29][3] = "03.05.2024"  # line 31: a fourth format
    rows[56][2] = "Oltretorrente Nord"  # line 58
    rows[75][1] = '=CONCATENATE("Socia ";76)'  # line 77
    rows[118][0] = rows[99][0]  # line 120 repeats line 101's id
    rows[148][8] = "0521 998877"  # line 150: a phone without the consent to keep it
    rows[148][5] = ""
    return rows


OFFERS_HEADER = ["id_esterno", "id_persona", "tipo", "titolo", "descrizione", "quartieri", "posti", "canale"]
OFFERS = [
    ("Tempo", "Ripetizioni di matematica", "Per ragazzi delle medie, il martedì pomeriggio."),
    ("Competenze", "Piccole riparazioni elettriche", "Prese, lampadari, citofoni: niente impianti nuovi."),
    ("Tempo", "Compagnia e due passi", "Una passeggiata e quattro chiacchiere, anche con il deambulatore."),
    ("Beni", "Passeggino e seggiolino", "In buono stato, da ritirare in Oltretorrente."),
    ("Competenze", "Orlo e rammendi", "Porto a casa e riporto in settimana."),
    ("Tempo", "Accompagnamento alle visite", "Ho l'auto: ospedale e poliambulatori, mattina."),
]


def offers(n: int = 60) -> list[list]:
    rows = []
    for i in range(1, n + 1):
        kind, title, description = OFFERS[i % len(OFFERS)]
        member = 1 + (i * 3) % 200
        rows.append([f"OF-{i:03d}", f"BT-{member:04d}", kind, title, description, "", 1 + i % 3, "su carta" if i % 5 else "al telefono"])
    rows[39][1] = "BT-9999"  # line 41: no such member
    return rows


NEEDS_HEADER = ["id_esterno", "id_persona", "testo", "urgenza", "tipo", "canale"]
NEEDS = [
    ("Mi serve qualcuno che mi porti la spesa il sabato, non riesco a fare le scale con le borse.", "Presto", "Tempo"),
    ("Cerco chi aiuti mio figlio con i compiti di inglese.", "Entro qualche settimana", "Competenze"),
    ("Vorrei compagnia il pomeriggio, da quando è mancato mio marito sono sempre sola.", "Entro qualche settimana", "Tempo"),
    ("Ho bisogno di un passaggio per la visita in ospedale del 14.", "Presto", "Tempo"),
    ("Mi servirebbe un lettino da campeggio per la nipote.", "Può aspettare", "Beni"),
]


def needs(n: int = 40) -> list[list]:
    rows = []
    for i in range(1, n + 1):
        text, urgency, kind = NEEDS[i % len(NEEDS)]
        rows.append([f"RI-{i:03d}", f"BT-{1 + (i * 7) % 200:04d}", text, urgency, kind, "su carta" if i % 2 else "al telefono"])
    return rows


ANTENNAS_HEADER = ["id_esterno", "nome", "tipo", "quartiere", "consenso_raccolto_il", "email", "telefono", "indirizzo"]
ANTENNAS = [
    ("Lucia Ferri", "Farmacia", "farmacia.ferri@esempio.example", "", "Via Bixio 12"),
    ("Bruno Gatti", "Portineria", "", "0521 230011", "Borgo Santa Caterina 3"),
    ("Silvana Bocchi", "Negozio", "silvana.bottega@esempio.example", "", ""),
    ("Don Franco", "Parrocchia", "", "0521 998800", "Piazzale Santa Croce 1"),
    ("Ettore Maestri", "Vicino di casa", "", "333 1234567", ""),
    ("Anna Pelosi", "Medico di base", "studio.pelosi@esempio.example", "0521 555000", ""),
]


def antennas(n: int = 12) -> list[list]:
    rows = []
    for i in range(1, n + 1):
        name, kind, email, phone, address = ANTENNAS[i % len(ANTENNAS)]
        signed = date(2024, 9, 1) + timedelta(days=i * 5)
        rows.append([f"AN-{i:02d}", f"{name}", kind, NEIGHBOURHOODS[i % 3], signed.strftime(DATE_STYLES[i % 3]), email, phone, address])
    rows[6][5:8] = ["", "", ""]  # line 8: no way to reach her
    return rows


def csv_bytes(header: list[str], rows: list[list], encoding: str = "cp1252") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def sheet(header: list[str], rows: list[list]) -> bytes:
    return xlsx(rows, header=header, title="Soci")


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fixed = members()
    (folder / "persone-banca-del-tempo.xlsx").write_bytes(sheet(PEOPLE_HEADER, members_with_mistakes(fixed)))
    (folder / "persone-banca-del-tempo-corretto.xlsx").write_bytes(sheet(PEOPLE_HEADER, fixed))
    (folder / "offerte-banca-del-tempo.csv").write_bytes(csv_bytes(OFFERS_HEADER, offers()))
    (folder / "richieste-sportello.csv").write_bytes(csv_bytes(NEEDS_HEADER, needs()))
    (folder / "antenne-quartiere.csv").write_bytes(csv_bytes(ANTENNAS_HEADER, antennas()))


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/examples/import"))
