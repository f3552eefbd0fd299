"""Reading an uploaded list (CSV or XLSX) into a tablib Dataset, refusing what is too big or hostile.

Every limit is stated to the person: the message says what was refused and why. Formulas in an XLSX
are refused, cell by cell, as errors of their row (the value Excel last computed may be stale or
absent, and the file is the person's word for what the record says): "replace them with values".
"""

import csv
import io
import re
import zipfile
from datetime import date, datetime

import tablib
from django.utils.translation import gettext as _

# Characters no list should hold (NUL and the other controls but tab and line ends): PostgreSQL refuses NUL
# in text and in JSON, and none of them can be seen on a page.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def quotable(value: object) -> str:
    """A value of the file as a report may quote it: without its control characters."""
    return CONTROL.sub("", str(value))


MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 60
# An XLSX is a zip: what it holds once unpacked, and how much larger than the upload it may be.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
FORMULA = "__formula__"


class Refused(ValueError):
    """The file as a whole cannot be read: nothing of it is imported."""


def decode(data: bytes) -> str:
    """UTF-8 (with or without its BOM), else Windows-1252, the encoding Excel on Windows saves CSV in."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _dataset(headers, rows):
    headers = [str(h or "").strip().lower() for h in headers]
    if not any(headers):
        raise Refused(_("La prima riga deve contenere i nomi delle colonne."))
    if len(headers) > MAX_COLUMNS:
        raise Refused(_("Il file ha %(n)d colonne: al massimo %(max)d.") % {"n": len(headers), "max": MAX_COLUMNS})
    dataset = tablib.Dataset(headers=headers)
    for count, row in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise Refused(_("Il file ha più di %(max)d righe: dividilo in più file e importali uno alla volta.") % {"max": MAX_ROWS})
        row = list(row)[: len(headers)]
        if len(row) < len(headers):
            row += [""] * (len(headers) - len(row))
        if not any(str(v or "").strip() for v in row):
            row = [""] * len(headers)  # an empty line keeps its number; the import skips it
        dataset.append(row)
    return dataset


def read_csv(data: bytes) -> tablib.Dataset:
    text = decode(data)
    first = text.split("\n", 1)[0]
    if first.count(",") + first.count(";") + first.count("\t") > MAX_COLUMNS:
        raise Refused(_("Il file ha troppe colonne: al massimo %(max)d.") % {"max": MAX_COLUMNS})
    # Italian spreadsheets save CSV with semicolons; others with commas.
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise Refused(_("Il file è vuoto.")) from None
    return _dataset(headers, reader)


def _xlsx_value(cell):
    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
        return f"{FORMULA}{cell.coordinate}"
    if isinstance(cell.value, datetime):
        return cell.value.date()
    return cell.value


def read_xlsx(data: bytes) -> tablib.Dataset:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise Refused(_("Il file non è un foglio XLSX leggibile.")) from None
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(len(data), 1):
        raise Refused(_("Il file XLSX, una volta aperto, sarebbe troppo grande: salva solo i dati, senza immagini né fogli enormi."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise Refused(_("Il file non è un foglio XLSX leggibile.")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows()
    try:
        headers = [cell.value for cell in next(rows)]
    except StopIteration:
        raise Refused(_("Il file è vuoto.")) from None
    while headers and headers[-1] in (None, ""):
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise Refused(_("Il file ha %(n)d colonne: al massimo %(max)d.") % {"n": len(headers), "max": MAX_COLUMNS})
    return _dataset(headers, ([_xlsx_value(cell) for cell in row[: len(headers)]] for row in rows))


def read(name: str, data: bytes) -> tablib.Dataset:
    """The upload as a Dataset with lower-case headers; `Refused` when it cannot be read as a whole."""
    if len(data) > MAX_BYTES:
        raise Refused(_("Il file supera %(mb)d MB: dividilo in più file.") % {"mb": MAX_BYTES // (1024 * 1024)})
    if not data:
        raise Refused(_("Il file è vuoto."))
    if name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return read_xlsx(data)
    if name.lower().endswith((".csv", ".txt")):
        return read_csv(data)
    raise Refused(_("Sono accettati file CSV o XLSX."))


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y")


def parse_date(value) -> date | None:
    """A date written dd/mm/yyyy, yyyy-mm-dd or dd-mm-yy (or a date cell of a sheet); None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Data «%(value)s» non riconosciuta: scrivila come 31/12/2025, 2025-12-31 o 31-12-25.") % {"value": text[:40]})


def formula_cell(value) -> str | None:
    """The cell's coordinate when the value stands for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA):
        return value[len(FORMULA) :]
    return None


SPLIT = re.compile(r"\s*[;,|]\s*")
