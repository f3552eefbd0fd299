"""Cells of every CSV and XLSX that Trama writes: text a spreadsheet would run as a formula goes out as text.

An offer titled `=HYPERLINK("http://…","clic")` must reach the open-data CSV as the words someone
typed, not as a formula that Excel or LibreOffice runs when a coordinator opens the file (CSV or
"formula" injection). As OWASP advises, a text cell starting with `=`, `+`, `-`, `@`, a tab or a
carriage return gets a leading single quote. Numbers stay numbers, and so does text that is only a
number ("-3", "+1.5"): a spreadsheet reads those as numbers, never as formulas.

Every export goes through `csv_writer`, `csv_dict_writer` or `protect_workbook`.
"""

import csv
import re

from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def safe_cell(value):
    """`value` as it may go into a spreadsheet cell; anything but text is returned unchanged."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _SafeWriter:
    """csv.writer's interface, every cell through `safe_cell`."""

    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **kwargs):
    """A `csv.writer` on `stream` that neutralises formulas."""
    return _SafeWriter(csv.writer(stream, **kwargs))


class SafeDictWriter(csv.DictWriter):
    """A `csv.DictWriter` that neutralises formulas (the header too)."""

    def writerow(self, rowdict):
        return super().writerow({key: safe_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts):
        for rowdict in rowdicts:
            self.writerow(rowdict)


def csv_dict_writer(stream, fieldnames, **kwargs):
    return SafeDictWriter(stream, fieldnames=fieldnames, **kwargs)


def protect_workbook(workbook):
    """Neutralise every text cell of an openpyxl workbook, just before it is saved.

    openpyxl stores any string starting with "=" as a formula; after this pass none is left.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = safe_cell(cell.value)
    return workbook
