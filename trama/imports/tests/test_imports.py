import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from trama.imports import files
from trama.imports.models import Change, ExternalId, Import
from trama.people.models import Organisation, Role
from trama.territory.models import Place

UPLOAD = reverse("imports:upload")
HEADER = "id_esterno;nome;settore;forma_giuridica;codice_fiscale;quartieri;descrizione\n"
# Two valid Italian tax codes of organisations (11 digits, check digit right).
TAX_1, TAX_2 = "00488410010", "80012000826"


def csv_file(body, header=HEADER, encoding="utf-8", name="elenco.csv"):
    return SimpleUploadedFile(name, (header + body).encode(encoding), content_type="text/csv")


def post(client, upload, kind="organisations"):
    return client.post(UPLOAD, {"kind": kind, "file": upload})


def run_of(response):
    assert response.status_code == 302, response.status_code
    return Import.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def rows(response):
    """The preview's rows as its page lists them: those with errors first."""
    run = run_of(response)
    return [(row["line"], row["outcome"], row["messages"]) for row in sorted(run.rows, key=lambda r: (r["outcome"] != "error", r["line"]))]


def nothing_kept(response):
    """A preview with errors: its report is kept to be read, its file is not, and nothing of it is written."""
    run = run_of(response)
    return run.has_errors and not run.content and not run.can_confirm and not Organisation.objects.exists() and not Place.objects.exists()


GOOD = f"A1;Società Il Ponte;Terzo settore;APS;{TAX_1};Borgo Alto;Doposcuola\nA2;Orti Uniti;terzo settore;;{TAX_2};Borgo Alto, Borgo Basso;\n"


@pytest.fixture
def coordinator_client(client, coordinator, neighbourhood, other_neighbourhood):
    client.force_login(coordinator)
    return client


def confirm(client, response):
    run = run_of(response)
    client.post(reverse("imports:confirm", args=[run.pk]))
    run.refresh_from_db()
    return run


def test_preview_shows_every_row_and_writes_nothing(coordinator_client):
    response = post(coordinator_client, csv_file(GOOD))
    run = run_of(response)
    assert [(r["line"], r["outcome"]) for r in run.rows] == [(2, "new"), (3, "new")]
    assert run.status == Import.Status.PREVIEW
    assert not Organisation.objects.exists() and not ExternalId.objects.exists()


def test_confirmed_import_writes_through_the_task_and_again_changes_nothing(coordinator_client, neighbourhood, other_neighbourhood):
    run = confirm(coordinator_client, post(coordinator_client, csv_file(GOOD)))
    assert run.status == Import.Status.DONE and run.counts["new"] == 2
    orti = Organisation.objects.get(name="Orti Uniti")
    assert orti.sector == Organisation.Sector.THIRD_SECTOR and orti.tax_code == TAX_2
    assert set(orti.neighbourhoods.all()) == {neighbourhood, other_neighbourhood}
    rerun = run_of(post(coordinator_client, csv_file(GOOD)))
    assert {r["outcome"] for r in rerun.rows} == {"same"} and not rerun.can_confirm
    assert coordinator_client.post(reverse("imports:confirm", args=[rerun.pk])).status_code == 409
    assert Organisation.objects.count() == 2


def test_undo_deletes_what_was_created_and_restores_what_was_updated(coordinator_client):
    first = confirm(coordinator_client, post(coordinator_client, csv_file(GOOD)))
    changed = GOOD.replace("Doposcuola", "Doposcuola e merenda")
    second = confirm(coordinator_client, post(coordinator_client, csv_file(changed)))
    assert [r["outcome"] for r in second.rows] == ["update", "same"]
    assert Organisation.objects.get(name="Società Il Ponte").description == "Doposcuola e merenda"
    coordinator_client.post(reverse("imports:undo", args=[second.pk]))
    assert Organisation.objects.get(name="Società Il Ponte").description == "Doposcuola"
    coordinator_client.post(reverse("imports:undo", args=[first.pk]))
    assert not Organisation.objects.exists() and not ExternalId.objects.exists()
    first.refresh_from_db()
    assert first.status == Import.Status.UNDONE


def test_undo_leaves_a_record_changed_after_the_import_and_says_so(coordinator_client):
    run = confirm(coordinator_client, post(coordinator_client, csv_file(GOOD)))
    Organisation.objects.filter(name="Orti Uniti").update(description="scritto a mano dopo")
    coordinator_client.post(reverse("imports:undo", args=[run.pk]))
    run.refresh_from_db()
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Orti Uniti"]
    assert "modificato dopo l'importazione" in run.undo_notes[0]


def test_missing_columns_refuse_the_file_and_store_nothing(coordinator_client):
    response = post(coordinator_client, csv_file("A1;Il Ponte\n", header="id_esterno;nome\n"))
    assert response.status_code == 400
    assert "Mancano le colonne: settore, quartieri" in response.context["refusal"]
    assert not Import.objects.exists()


def test_a_neighbourhood_that_does_not_exist_is_an_error_of_its_row_and_nothing_is_written(coordinator_client):
    body = GOOD + "A3;Terzo;Terzo settore;;;Quartiere Inventato;\n"
    response = post(coordinator_client, csv_file(body))
    line, outcome, messages = rows(response)[0]
    assert (line, outcome) == (4, "error")
    assert "«Quartiere Inventato» non esiste" in messages[0] and "Borgo Alto, Borgo Basso" in messages[0]
    assert nothing_kept(response)
    assert coordinator_client.post(reverse("imports:confirm", args=[run_of(response).pk])).status_code == 409
    assert not Organisation.objects.exists() and not ExternalId.objects.exists()


def test_duplicate_tax_code_names_the_line_it_repeats(coordinator_client):
    body = GOOD + f"A3;Il Ponte bis;Terzo settore;;{TAX_1.lower()};Borgo Alto;\n"
    errors = [r for r in rows(post(coordinator_client, csv_file(body))) if r[1] == "error"]
    assert errors == [(4, "error", ["codice_fiscale: Codice fiscale già usato alla riga 2: è la stessa organizzazione?"])]


def test_invalid_tax_code_and_sector_are_explained(coordinator_client):
    body = "A1;Il Ponte;Ufficio;;12345678901;Borgo Alto;\n"
    ((_line, _outcome, messages),) = rows(post(coordinator_client, csv_file(body)))
    assert any(m.startswith("settore: «ufficio» non è tra i valori possibili") for m in messages)
    assert any(m.startswith("codice_fiscale:") for m in messages)


def test_windows_1252_and_utf8_with_bom_read_alike(coordinator_client):
    for encoding in ("cp1252", "utf-8-sig"):
        response = post(coordinator_client, csv_file(GOOD, encoding=encoding))
        run = Import.objects.order_by("-pk").first()
        assert response.status_code == 302 and run.rows[0]["label"] == "Società Il Ponte"


def test_html_in_cells_is_shown_as_text(coordinator_client):
    body = "A1;<script>alert(1)</script>;Ufficio;;;Borgo Alto;\n"
    response = coordinator_client.get(run_of(post(coordinator_client, csv_file(body))).get_absolute_url())
    assert b"<script>alert(1)" not in response.content and b"&lt;script&gt;alert(1)" in response.content


def xlsx(rows_):
    book = Workbook()
    for row in rows_:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_formulas_in_xlsx_are_refused_cell_by_cell(coordinator_client):
    data = xlsx([HEADER.strip().split(";"), ["A1", "Il Ponte", "Terzo settore", "", "", "Borgo Alto", "=1+1"]])
    response = post(coordinator_client, SimpleUploadedFile("elenco.xlsx", data))
    assert "La cella G2 contiene una formula" in rows(response)[0][2][0]
    assert nothing_kept(response)


def test_places_import_with_neighbourhood_by_name(coordinator_client, neighbourhood):
    data = xlsx([["id_esterno", "nome", "quartiere", "tipo", "lat", "lon"], ["P1", "Biblioteca Civica", "borgo alto", "Biblioteca", "44,80", 10.33]])
    run = confirm(coordinator_client, post(coordinator_client, SimpleUploadedFile("luoghi.xlsx", data), kind="places"))
    assert run.status == Import.Status.DONE and run.changes.count() == 1
    place = Place.objects.get()
    assert (place.neighbourhood, place.kind, place.lat) == (neighbourhood, Place.Kind.LIBRARY, 44.8)


@pytest.mark.parametrize("value", ["31/12/2025", "2025-12-31", "31-12-25"])
def test_dates_in_three_formats(value):
    assert str(files.parse_date(value)) == "2025-12-31"


def test_a_date_in_another_format_is_explained():
    with pytest.raises(ValueError, match="non riconosciuta"):
        files.parse_date("12.31.2025")


def test_a_file_above_the_size_limit_is_refused(coordinator_client):
    response = post(coordinator_client, SimpleUploadedFile("grande.csv", b"x" * (20 * 1024 * 1024)))
    assert response.status_code == 413 and not Import.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_opened(coordinator_client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    response = post(coordinator_client, SimpleUploadedFile("bomba.xlsx", out.getvalue()))
    assert response.status_code == 400 and "troppo grande" in response.context["refusal"]


def test_ten_thousand_columns_are_refused(coordinator_client):
    header = ";".join(f"c{i}" for i in range(10_000)) + "\n"
    response = post(coordinator_client, csv_file("", header=header))
    assert response.status_code == 400 and "troppe colonne" in response.context["refusal"]


def test_more_rows_than_the_limit_are_refused(coordinator_client):
    body = "".join(f"A{i};Nome {i};Terzo settore;;;Borgo Alto;\n" for i in range(files.MAX_ROWS + 1))
    response = post(coordinator_client, csv_file(body))
    assert response.status_code == 400 and "più di 50000 righe" in response.context["refusal"]
    assert not Organisation.objects.exists()


def test_a_worker_cannot_import_into_another_neighbourhood(client, worker, neighbourhood, other_neighbourhood):
    client.force_login(worker)
    body = "A1;Il Ponte;Terzo settore;;;Borgo Alto;\nA2;Lontana;Terzo settore;;;Borgo Basso;\n"
    response = post(client, csv_file(body))
    assert rows(response)[0][:2] == (3, "error") and "non ti è assegnato" in rows(response)[0][2][0]
    assert nothing_kept(response)


def test_a_worker_cannot_update_a_record_of_another_neighbourhood(coordinator_client, client, worker):
    confirm(coordinator_client, post(coordinator_client, csv_file(GOOD)))
    client.force_login(worker)
    # Orti Uniti also works in Borgo Basso, which is not the worker's.
    response = post(client, csv_file(GOOD.replace("Borgo Alto, Borgo Basso", "Borgo Alto")))
    assert rows(response)[0][:2] == (3, "error") and "non ti sono assegnati" in rows(response)[0][2][0]


def test_undo_only_by_who_may(coordinator_client, client, make_user, neighbourhood):
    run = confirm(coordinator_client, post(coordinator_client, csv_file(GOOD)))
    for role in (Role.WORKER, Role.PARTNER, Role.CITIZEN, Role.ANTENNA):
        client.force_login(make_user(role, [neighbourhood]))
        assert client.post(reverse("imports:undo", args=[run.pk])).status_code in (403, 404)
    assert Organisation.objects.count() == 2 and Change.objects.count() == 2


def test_a_row_that_became_invalid_after_the_preview_stops_the_import_and_nothing_is_kept(coordinator_client, city):
    response = post(coordinator_client, csv_file(GOOD))
    Organisation.objects.create(city=city, name="Registrata nel frattempo", sector=Organisation.Sector.THIRD_SECTOR, tax_code=TAX_2)
    run = confirm(coordinator_client, response)
    assert run.status == Import.Status.FAILED and "La riga 3 non è più valida" in run.error
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Registrata nel frattempo"]
    assert not ExternalId.objects.exists() and not Change.objects.exists()


@pytest.mark.parametrize("kind, header, body", [
    ("organisations", HEADER, "A1;Il Ponte\x00;Terzo settore;;;Borgo Alto;Doposcuola\x00 e\x07 altro\n"),
    ("people", "id_esterno;nome;quartiere;consenso_raccolto_il\n", "BT-1;Pina\x00;Borgo Alto;12/03/2025\n"),
])  # fmt: skip
def test_control_characters_in_a_csv_get_a_report_not_a_500(coordinator_client, kind, header, body):
    """PostgreSQL refuses a NUL in text and in JSON: the preview must still be stored and read."""
    response = post(coordinator_client, csv_file(body, header=header), kind=kind)
    run = run_of(response)
    page = coordinator_client.get(run.get_absolute_url())
    assert page.status_code == 200
    assert "\x00" not in str(run.rows) and "\x00" not in run.error
    said = run.error + " ".join(m for row in run.rows for m in row["messages"])
    assert "caratteri di controllo" in said and "caratteri di controllo" in page.content.decode()
    assert not run.can_confirm and not Organisation.objects.exists()
