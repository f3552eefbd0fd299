import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from trama.spreadsheets import csv_dict_writer, csv_writer, protect_workbook, safe_cell


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x.example","clic")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-cmd|' /C calc'!A0"])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [12, -3, 2.5, None, "-3", "+1.5", "-0,25", "Doposcuola = gioco", "mail@example.org", ""])
def test_numbers_and_harmless_text_stay_as_they_are(value):
    assert safe_cell(value) == value


def test_csv_writers_neutralise_every_cell_and_the_header():
    stream = io.StringIO()
    csv_writer(stream).writerows([["=1+1", 5], ["ok", "-1"]])
    assert list(csv.reader(io.StringIO(stream.getvalue()))) == [["'=1+1", "5"], ["ok", "-1"]]

    stream = io.StringIO()
    writer = csv_dict_writer(stream, fieldnames=["@name", "n"])
    writer.writeheader()
    writer.writerows([{"@name": "=A1", "n": -4}])
    assert list(csv.reader(io.StringIO(stream.getvalue()))) == [["'@name", "n"], ["'=A1", "-4"]]


def test_a_workbook_keeps_no_formula_and_its_numbers():
    workbook = Workbook()
    workbook.active.append(['=HYPERLINK("http://x.example")', -7, "testo"])
    buffer = io.BytesIO()
    protect_workbook(workbook).save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [cell.value for cell in sheet[1]] == ['\'=HYPERLINK("http://x.example")', -7, "testo"]
    assert [cell.data_type for cell in sheet[1]] == ["s", "n", "s"]
