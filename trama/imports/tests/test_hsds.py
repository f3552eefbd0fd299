"""Importing a directory of services in Open Referral HSDS 3.0 (JSON and the tabular ZIP of CSV files)."""

import copy
import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trama.imports.models import Change, ExternalId, Import
from trama.people.models import Organisation, Role, Service
from trama.territory.models import Place

pytestmark = pytest.mark.django_db

UPLOAD = reverse("imports:upload")
SAMPLE = json.loads((Path(__file__).resolve().parents[3] / "docs/examples/import/servizi-parma-hsds.json").read_text())
# Boxes around the sample's points (lat from-to, lon from-to): the neighbourhood of a place is found from its pin.
BOXES = {
    "San Leonardo": (44.81, 44.84, 10.31, 10.35),
    "Lubiana": (44.78, 44.80, 10.34, 10.38),
    "Molinetto": (44.77, 44.795, 10.30, 10.33),
    "Pablo": (44.795, 44.81, 10.28, 10.31),
}


def box(lat1, lat2, lon1, lon2):
    return {"type": "Polygon", "coordinates": [[[lon1, lat1], [lon2, lat1], [lon2, lat2], [lon1, lat2], [lon1, lat1]]]}


@pytest.fixture
def parma(make_neighbourhood):
    return {name: make_neighbourhood(name, boundary=box(*corners)) for name, corners in BOXES.items()}


@pytest.fixture
def coordinator_client(client, coordinator, parma):
    client.force_login(coordinator)
    return client


def sample():
    return copy.deepcopy(SAMPLE)


def json_file(data, name="servizi.json"):
    body = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    return SimpleUploadedFile(name, body, content_type="application/json")


def package(tables, name="servizi.zip"):
    """The tabular form of HSDS: one CSV per table, in a ZIP."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, records in tables.items():
            columns = sorted({key for record in records for key in record})
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=columns)
            writer.writeheader()
            writer.writerows(records)
            archive.writestr(f"{table}.csv", text.getvalue())
        archive.writestr("datapackage.json", "{}")
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/zip")


def post(client, upload):
    return client.post(UPLOAD, {"kind": "hsds", "file": upload})


def run_of(response):
    assert response.status_code == 302, (response.status_code, response.context and response.context.get("refusal"))
    return Import.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def confirm(client, run):
    client.post(reverse("imports:confirm", args=[run.pk]))
    run.refresh_from_db()
    return run


def errors(run):
    return {row["where"]: row["messages"] for row in run.rows if row["outcome"] == "error"}


def nothing_written():
    return not (Organisation.objects.exists() or Place.objects.exists() or Service.objects.exists() or ExternalId.objects.exists())


def test_the_preview_lists_every_organisation_place_and_service_and_writes_nothing(coordinator_client):
    run = run_of(post(coordinator_client, json_file(sample())))
    assert run.status == Import.Status.PREVIEW and run.counts == {"new": 15, "update": 0, "same": 0, "error": 0}
    assert run.rows[0]["where"] == "organizations, record 1" and run.rows[0]["label"] == "Organizzazione · Associazione Il Ponte APS"
    assert run.can_confirm and nothing_written()
    page = coordinator_client.get(run.get_absolute_url()).content.decode()
    assert "services, record 6" in page and "Servizio · Angolo del riparo" in page


def test_the_confirmed_directory_brings_organisations_places_services_and_their_hours(coordinator_client, parma):
    run = confirm(coordinator_client, run_of(post(coordinator_client, json_file(sample()))))
    assert run.status == Import.Status.DONE and run.counts["new"] == 15
    assert (Organisation.objects.count(), Place.objects.count(), Service.objects.count()) == (4, 5, 6)
    emporio = Organisation.objects.get(name="Emporio Solidale di Parma")
    assert list(emporio.neighbourhoods.all()) == [parma["Lubiana"]]  # from the pin of its place
    assert (emporio.sector, emporio.phone, emporio.website) == ("third_sector", "0521 771122", "https://emporio-parma.example")
    assert Organisation.objects.get(name="Parrocchia di San Leonardo").sector == "faith"
    sede = Place.objects.get(name="Sede dell'Associazione Il Ponte")
    assert (sede.neighbourhood, sede.address, sede.managing_organisation.name) == (
        parma["San Leonardo"],
        "Via Venezia 12, Parma",
        "Associazione Il Ponte APS",
    )
    assert sede.accessibility == "Ingresso senza gradini, bagno accessibile."
    library = Place.objects.get(name="Biblioteca di quartiere Pablo")
    assert library.managing_organisation is None and library.opening_hours == "lunedì, martedì, mercoledì, giovedì e venerdì 9:00-19:00"
    after_school = Service.objects.get(name="Doposcuola insieme")
    assert (after_school.opening_hours, after_school.place, after_school.organisation.name) == (
        "lunedì, mercoledì e venerdì 15:00-18:00",
        sede,
        "Associazione Il Ponte APS",
    )
    assert Service.objects.get(name="Angolo del riparo").opening_hours == "il 1° sabato del mese 9:30-12:00"
    assert Service.objects.get(name="Volontariato all'emporio").opening_hours == "Su appuntamento, chiamando il martedì mattina"
    assert ExternalId.objects.filter(kind="hsds").count() == 15 and run.changes.count() == 15


def test_importing_the_same_directory_again_changes_nothing(coordinator_client):
    confirm(coordinator_client, run_of(post(coordinator_client, json_file(sample()))))
    again = run_of(post(coordinator_client, json_file(sample())))
    assert again.counts == {"new": 0, "update": 0, "same": 15, "error": 0} and not again.can_confirm
    assert coordinator_client.post(reverse("imports:confirm", args=[again.pk])).status_code == 409
    assert Service.objects.count() == 6


def test_a_changed_record_is_updated_and_undoing_puts_it_back(coordinator_client):
    confirm(coordinator_client, run_of(post(coordinator_client, json_file(sample()))))
    changed = sample()
    changed["schedules"][1]["closes_at"] = "18:30"  # the after-school's hours
    changed["organizations"][3]["description"] = "Ferramenta e riparazioni."
    second = run_of(post(coordinator_client, json_file(changed)))
    assert second.counts == {"new": 0, "update": 2, "same": 13, "error": 0}
    second = confirm(coordinator_client, second)
    assert Service.objects.get(name="Doposcuola insieme").opening_hours == "lunedì, mercoledì e venerdì 15:00-18:30"
    coordinator_client.post(reverse("imports:undo", args=[second.pk]))
    assert Service.objects.get(name="Doposcuola insieme").opening_hours == "lunedì, mercoledì e venerdì 15:00-18:00"
    assert Organisation.objects.get(name="Ferramenta Bertoli").description.startswith("Bottega di quartiere")


def test_undoing_removes_the_whole_directory(coordinator_client):
    run = confirm(coordinator_client, run_of(post(coordinator_client, json_file(sample()))))
    coordinator_client.post(reverse("imports:undo", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Import.Status.UNDONE and run.undo_notes == []
    assert nothing_written()


def test_the_tabular_package_reads_as_the_json_does(coordinator_client):
    run = confirm(coordinator_client, run_of(post(coordinator_client, package(sample()))))
    assert run.status == Import.Status.DONE and run.counts["new"] == 15
    assert Service.objects.get(name="Spesa a punti").opening_hours == "martedì e sabato 9:00-12:00"
    assert Place.objects.get(name="Ferramenta Bertoli").lat == 44.788
    # The same directory as JSON finds every record again.
    assert run_of(post(coordinator_client, json_file(sample()))).counts["same"] == 15


def test_an_api_answer_with_services_and_their_details_nested_is_read(coordinator_client, parma):
    data = sample()
    organisation = data["organizations"][0]
    location = {**data["locations"][0], "addresses": [data["addresses"][0]]}
    service = {
        **data["services"][0],
        "organization": organisation,
        "schedules": [{"id": "s-1", "byday": "SA", "opens_at": "10:00", "closes_at": "12:00"}],
        "service_at_locations": [{"id": "sal-1", "location": location}],
    }
    run = confirm(coordinator_client, run_of(post(coordinator_client, json_file({"total_items": 1, "contents": [service]}))))
    assert run.status == Import.Status.DONE and run.counts["new"] == 3
    imported = Service.objects.get()
    assert (imported.opening_hours, imported.place.address, imported.organisation.name) == (
        "sabato 10:00-12:00",
        "Via Venezia 12, Parma",
        "Associazione Il Ponte APS",
    )
    assert list(imported.organisation.neighbourhoods.all()) == [parma["San Leonardo"]]


@pytest.mark.parametrize(
    "body, message",
    [
        (b'{"organizations": [{"id": "1", "name": "Il Ponte"', "non è un JSON valido"),
        (b'"un testo"', "non segue lo schema HSDS"),
        (b'{"persone": [{"nome": "Gino"}]}', "non segue lo schema HSDS"),
        (b'{"organizations": "Il Ponte"}', "deve essere un elenco di record"),
        (b'{"organizations": [], "services": []}', "non contiene organizzazioni, servizi o luoghi"),
        ('{"organizations": [{"id": "1", "name": "Caff\xe8"}]}'.encode("cp1252"), "UTF-8"),
        (b"[" * 5000 + b"]" * 5000, "annidato troppo"),
        (b"   ", "vuoto"),
    ],
)
def test_a_file_that_is_not_an_hsds_directory_is_refused_in_italian_and_nothing_is_stored(coordinator_client, body, message):
    response = post(coordinator_client, json_file(body))
    assert response.status_code == 400 and message in response.context["refusal"]
    assert not Import.objects.exists() and nothing_written()


def test_a_csv_or_another_format_is_not_taken_for_a_directory(coordinator_client):
    response = post(coordinator_client, SimpleUploadedFile("servizi.csv", b"id;nome\n1;Il Ponte\n"))
    assert response.status_code == 400 and "JSON o un pacchetto ZIP" in response.context["refusal"]


def test_an_oversized_file_is_refused_before_it_is_read(coordinator_client):
    response = post(coordinator_client, json_file(b'{"organizations": [' + b" " * (6 * 1024 * 1024) + b"]}"))
    assert response.status_code == 413 and not Import.objects.exists()


def test_a_zip_bomb_is_refused(coordinator_client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("organizations.csv", b"id,name\n" + b"\0" * (120 * 1024 * 1024))
    response = post(coordinator_client, SimpleUploadedFile("servizi.zip", out.getvalue()))
    assert response.status_code == 400 and "troppo grande" in response.context["refusal"]


def test_a_package_without_the_tables_is_refused(coordinator_client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("foto.jpg", b"\xff\xd8")
    response = post(coordinator_client, SimpleUploadedFile("servizi.zip", out.getvalue()))
    assert response.status_code == 400 and "organizations.csv" in response.context["refusal"]


def test_wrong_records_are_errors_of_their_own_record_and_nothing_is_written(coordinator_client):
    data = sample()
    data["organizations"][0].pop("id")  # missing id
    data["organizations"][1]["name"] = "Caffè\x00sospeso"  # a NUL, which PostgreSQL would refuse
    data["organizations"][2]["name"] = {"$gt": ""}  # not a text
    data["organizations"][3]["email"] = "bertoli@"
    data["organizations"].append({"id": data["organizations"][3]["id"], "name": "Doppione"})  # the same id twice
    data["locations"][1]["latitude"] = 120
    data["locations"][2]["longitude"] = "dieci\x00"  # quoted back in the report without its NUL
    data["locations"][3]["location_type"] = "virtual"
    data["locations"][4]["neighbourhood"] = "Oltretorrente Nord"
    data["services"][0]["name"] = "x" * 5000
    data["services"][1]["status"] = "defunct"
    data["services"][2]["organization_id"] = "non-esiste"
    data["schedules"][2]["byday"] = "LUN"
    data["schedules"][3]["opens_at"] = "9 e mezza"
    run = run_of(post(coordinator_client, json_file(data)))
    found = errors(run)
    assert found["organizations, record 1"] == ["Manca l'id: ogni record HSDS ha un identificativo."]
    assert "caratteri di controllo" in found["organizations, record 2"][0]
    assert [r["label"] for r in run.rows if r["where"] == "organizations, record 2"] == ["Organizzazione · Caffèsospeso"]
    assert "name: deve essere un testo." in found["organizations, record 3"]
    assert any(m.startswith("email:") for m in found["organizations, record 4"])
    assert "già usato in organizations, record 4" in found["organizations, record 5"][0]
    assert any(m.startswith("latitude:") for m in found["locations, record 2"])
    assert "«dieci» non è un numero" in found["locations, record 3"][0]
    assert "solo luoghi fisici" in found["locations, record 4"][0]
    assert "Oltretorrente Nord" in found["locations, record 5"][0]
    assert "al massimo 200 caratteri (ne ha 5000)" in found["services, record 1"][0]
    assert "non è attivo" in found["services, record 2"][0]
    assert "«non-esiste» non è nel file" in found["services, record 3"][0]
    assert "«LUN» non è un giorno" in found["schedules, record 3"][0]
    assert "non è un orario" in found["schedules, record 4"][0]
    assert run.has_errors and not run.can_confirm and not run.content
    assert coordinator_client.post(reverse("imports:confirm", args=[run.pk])).status_code == 409
    assert nothing_written()
    page = coordinator_client.get(run.get_absolute_url()).content.decode()
    assert "schedules, record 3" in page and "Orario" in page


def test_markup_is_kept_as_text_and_shown_escaped(coordinator_client):
    data = sample()
    data["services"][0]["description"] = "<script>alert('x')</script> Compiti"
    run = confirm(coordinator_client, run_of(post(coordinator_client, json_file(data))))
    assert run.status == Import.Status.DONE
    assert Service.objects.get(name="Doposcuola insieme").description.startswith("<script>")


def test_a_place_whose_pin_falls_outside_the_city_needs_its_neighbourhood(coordinator_client):
    data = sample()
    data["locations"][1].update(latitude=45.5, longitude=9.2)  # Milan
    run = run_of(post(coordinator_client, json_file(data)))
    assert "non cade in nessun quartiere" in errors(run)["locations, record 2"][0]
    data["locations"][1]["neighbourhood"] = "lubiana"
    assert run_of(post(coordinator_client, json_file(data))).counts["error"] == 0


def test_an_organisation_already_registered_by_name_is_not_duplicated(coordinator_client, city):
    Organisation.objects.create(city=city, name="Ferramenta Bertoli", sector=Organisation.Sector.BUSINESS)
    run = run_of(post(coordinator_client, json_file(sample())))
    assert "esiste già un'organizzazione con questo nome" in errors(run)["organizations, record 4"][0]
    assert Organisation.objects.count() == 1


def test_a_record_that_became_invalid_after_the_preview_stops_the_whole_import(coordinator_client, city):
    run = run_of(post(coordinator_client, json_file(sample())))
    Organisation.objects.create(city=city, name="Emporio Solidale di Parma", sector=Organisation.Sector.THIRD_SECTOR)
    run = confirm(coordinator_client, run)
    assert run.status == Import.Status.FAILED and "organizations, record 2 non è più valido" in run.error
    assert Organisation.objects.count() == 1 and not Place.objects.exists() and not Change.objects.exists()


def test_a_worker_imports_only_what_is_in_her_neighbourhoods(client, make_user, parma):
    client.force_login(make_user(Role.WORKER, [parma["San Leonardo"]]))
    run = run_of(post(client, json_file(sample())))
    found = errors(run)
    assert "non ti è assegnato" in found["locations, record 2"][0]  # the emporio, in Lubiana
    assert "non ti sono assegnati" in found["organizations, record 2"][0] or "Nessuno dei suoi luoghi" in found["organizations, record 2"][0]
    assert "organizations, record 1" not in found and nothing_written()
    # Her own neighbourhood's part of the directory goes in.
    ours = sample()
    ponte = ours["organizations"][0]["id"]
    ours["organizations"] = [o for o in ours["organizations"] if o["id"] == ponte]
    ours["locations"] = [loc for loc in ours["locations"] if loc.get("organization_id") == ponte]
    ours["services"] = [s for s in ours["services"] if s["organization_id"] == ponte]
    kept = {ponte} | {r["id"] for table in ("locations", "services") for r in ours[table]}
    for table in ("schedules", "phones", "addresses", "service_at_locations", "accessibility"):
        links = ("organization_id", "location_id", "service_id")
        ours[table] = [r for r in ours[table] if all(r[link] in kept for link in links if link in r)]
    run = confirm(client, run_of(post(client, json_file(ours))))
    assert run.status == Import.Status.DONE and set(Organisation.objects.values_list("name", flat=True)) == {"Associazione Il Ponte APS"}


def test_the_city_s_own_open_data_reads_back_as_a_directory(coordinator_client, city, parma):
    ponte = Organisation.objects.create(city=city, name="Il Ponte", sector=Organisation.Sector.THIRD_SECTOR, public_page_agreed=True)
    point = Place.objects.create(
        neighbourhood=parma["Pablo"], name="Punto di comunità Pablo", opening_hours="martedì 15-18", managing_organisation=ponte
    )
    Service.objects.create(organisation=ponte, name="Sportello compiti", opening_hours="mercoledì 16-18", place=point)
    exported = coordinator_client.get(reverse("insights:hsds_json")).json()
    Service.objects.all().delete()
    Place.objects.all().delete()
    Organisation.objects.all().delete()
    run = confirm(coordinator_client, run_of(post(coordinator_client, json_file(exported))))
    assert run.status == Import.Status.DONE and run.counts["new"] == 3
    service = Service.objects.get()
    assert (service.name, service.opening_hours, service.place.name, service.place.opening_hours) == (
        "Sportello compiti",
        "mercoledì 16-18",
        "Punto di comunità Pablo",
        "martedì 15-18",
    )
    assert service.place.neighbourhood == parma["Pablo"] and service.place.managing_organisation == service.organisation
