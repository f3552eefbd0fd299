"""Importing people, their offers and needs, and antennas: consent on paper, scope, external ids, undo."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from trama.attention.models import AntennaApplication
from trama.imports import files
from trama.imports.models import Change, ExternalId, Import
from trama.market.models import Channel, Need, Offer
from trama.people.models import Consent, Person, Role
from trama.privacy.models import AuditEntry

UPLOAD = reverse("imports:upload")
PEOPLE = "id_esterno;nome;quartiere;consenso_raccolto_il;consenso_ricontatto;consenso_dati_anagrafici;telefono\n"
GOOD_PEOPLE = "BT-1;Nonna Pina;Borgo Alto;12/03/2025;sì;sì;0521 111222\nBT-2;Il Moro;borgo basso;2025-03-14;;;\n"


def upload(client, body, kind="people", header=PEOPLE, encoding="utf-8", name="persone.csv"):
    return client.post(UPLOAD, {"kind": kind, "file": SimpleUploadedFile(name, (header + body).encode(encoding), content_type="text/csv")})


def run_of(response):
    assert response.status_code == 302, response.status_code
    return Import.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def errors_of(run):
    return {row["line"]: " ".join(row["messages"]) for row in run.rows if row["outcome"] == "error"}


def confirm(client, run):
    assert client.post(reverse("imports:confirm", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    return run


@pytest.fixture
def coordinator_client(client, coordinator, neighbourhood, other_neighbourhood):
    client.force_login(coordinator)
    return client


def nothing_written():
    return not Person.objects.exists() and not Need.objects.exists() and not Offer.objects.exists() and not AntennaApplication.objects.exists()


# -- people ------------------------------------------------------------------------------------------


def test_people_are_imported_pseudonymously_with_the_consent_collected_on_paper(coordinator_client, neighbourhood, other_neighbourhood, coordinator):
    run = run_of(upload(coordinator_client, GOOD_PEOPLE))
    assert [(r["line"], r["outcome"], r["label"]) for r in run.rows] == [(2, "new", "BT-1 · Borgo Alto"), (3, "new", "BT-2 · borgo basso")]
    assert nothing_written()
    run = confirm(coordinator_client, run)
    assert run.status == Import.Status.DONE and run.counts["new"] == 2
    pina = Person.objects.get(display_name="Nonna Pina")
    assert (pina.neighbourhood, pina.phone, pina.created_by) == (neighbourhood, "0521 111222", coordinator)
    consents = {c.purpose: c.collected_on_paper.isoformat() for c in pina.consents.all()}
    assert consents == {"registration": "2025-03-12", "contact": "2025-03-12", "identifying": "2025-03-12"}
    moro = Person.objects.get(display_name="Il Moro")
    assert moro.neighbourhood == other_neighbourhood and set(moro.consents.values_list("purpose", flat=True)) == {"registration"}
    # The file about people is not kept once imported; each person's creation is audited.
    assert not bytes(run.content)
    assert AuditEntry.objects.filter(action="create", object_type="people.person").count() == 2
    # Re-importing the same file changes nothing.
    again = run_of(upload(coordinator_client, GOOD_PEOPLE))
    assert again.counts == {"new": 0, "update": 0, "same": 2, "error": 0} and not again.can_confirm


def test_the_person_page_says_the_consent_was_collected_on_paper(coordinator_client):
    confirm(coordinator_client, run_of(upload(coordinator_client, GOOD_PEOPLE)))
    pina = Person.objects.get(display_name="Nonna Pina")
    response = coordinator_client.get(reverse("people:person", args=[pina.pk]))
    assert "raccolto su carta il 12/03/2025" in response.content.decode()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("", "Manca la data in cui la persona ha firmato il consenso"),
        ("12.03.2025", "non riconosciuta"),
        ("31/12/2999", "è nel futuro"),
    ],
)
def test_a_row_without_a_readable_consent_date_is_refused_and_nothing_is_written(coordinator_client, cell, expected):
    run = run_of(upload(coordinator_client, f"BT-1;Nonna Pina;Borgo Alto;{cell};;;\n"))
    assert expected in errors_of(run)[2] and errors_of(run)[2].startswith("consenso_raccolto_il:")
    assert not run.can_confirm and not bytes(run.content) and nothing_written()


@pytest.mark.parametrize("cell", ["12/03/2025", "2025-03-12", "12-03-25"])
def test_consent_dates_in_three_formats(coordinator_client, cell):
    confirm(coordinator_client, run_of(upload(coordinator_client, f"BT-1;Nonna Pina;Borgo Alto;{cell};;;\n")))
    assert Consent.objects.get().collected_on_paper.isoformat() == "2025-03-12"


def test_identifying_details_without_that_consent_are_an_error_not_dropped(coordinator_client):
    run = run_of(upload(coordinator_client, "BT-1;Nonna Pina;Borgo Alto;12/03/2025;sì;no;0521 111222\n"))
    assert "si conservano solo con il consenso" in errors_of(run)[2]
    assert nothing_written()


def test_a_neighbourhood_that_does_not_exist_names_the_possible_ones(coordinator_client):
    run = run_of(upload(coordinator_client, GOOD_PEOPLE + "BT-3;Gino;Borgo Medio;12/03/2025;;;\n"))
    assert "«Borgo Medio» non esiste" in errors_of(run)[4] and "Borgo Alto, Borgo Basso" in errors_of(run)[4]
    assert nothing_written() and not ExternalId.objects.exists()


def test_formulas_in_a_people_sheet_are_refused_cell_by_cell(coordinator_client):
    book = Workbook()
    book.active.append(PEOPLE.strip().split(";"))
    book.active.append(["BT-1", '=cmd|" /C calc"!A0', "Borgo Alto", "12/03/2025", "", "", ""])
    out = io.BytesIO()
    book.save(out)
    response = coordinator_client.post(UPLOAD, {"kind": "people", "file": SimpleUploadedFile("persone.xlsx", out.getvalue())})
    assert "La cella B2 contiene una formula" in errors_of(run_of(response))[2]
    assert nothing_written()


def test_missing_columns_and_wrong_files_are_refused_with_the_reason(coordinator_client):
    response = upload(coordinator_client, "BT-1;Nonna Pina;Borgo Alto\n", header="id_esterno;nome;quartiere\n")
    assert response.status_code == 400 and "Mancano le colonne: consenso_raccolto_il" in response.context["refusal"]
    response = coordinator_client.post(UPLOAD, {"kind": "people", "file": SimpleUploadedFile("persone.pdf", b"%PDF-1.4")})
    assert response.status_code == 400 and "CSV o XLSX" in response.context["refusal"]
    response = coordinator_client.post(UPLOAD, {"kind": "ospiti", "file": SimpleUploadedFile("persone.csv", (PEOPLE + GOOD_PEOPLE).encode())})
    assert response.status_code == 400
    assert not Import.objects.exists() and nothing_written()


def test_windows_1252_people_list_reads_its_accents(coordinator_client):
    run = confirm(coordinator_client, run_of(upload(coordinator_client, "BT-1;Niccolò;Borgo Alto;12/03/2025;;;\n", encoding="cp1252")))
    assert run.status == Import.Status.DONE and Person.objects.get().display_name == "Niccolò"


def test_a_hundred_thousand_rows_are_refused_as_a_whole(coordinator_client):
    body = "".join(f"BT-{i};Persona {i};Borgo Alto;12/03/2025;;;\n" for i in range(100_000))
    response = upload(coordinator_client, body)
    assert response.status_code in (400, 413) and ("righe" in response.context["refusal"] or "MB" in response.context["refusal"])
    assert not Import.objects.exists() and nothing_written()


def test_more_rows_than_the_limit_within_the_size_are_refused(coordinator_client):
    body = "".join(f"{i};p;Borgo Alto;1/1/25\n" for i in range(files.MAX_ROWS + 1))
    response = upload(coordinator_client, body, header="id_esterno;nome;quartiere;consenso_raccolto_il\n")
    assert response.status_code == 400 and "più di 50000 righe" in response.context["refusal"]


def test_a_worker_imports_only_into_her_neighbourhoods(client, worker, other_neighbourhood):
    client.force_login(worker)
    run = run_of(upload(client, GOOD_PEOPLE))
    assert list(errors_of(run)) == [3] and "non ti è assegnato" in errors_of(run)[3]
    assert nothing_written()
    run = confirm(client, run_of(upload(client, "BT-1;Nonna Pina;Borgo Alto;12/03/2025;;;\n")))
    assert run.status == Import.Status.DONE and Person.objects.get().display_name == "Nonna Pina"


def test_a_worker_cannot_move_a_person_of_another_neighbourhood(coordinator_client, client, worker):
    confirm(coordinator_client, run_of(upload(coordinator_client, GOOD_PEOPLE)))
    client.force_login(worker)
    run = run_of(upload(client, "BT-2;Il Moro;Borgo Alto;2025-03-14;;;\n"))
    assert "non ti sono assegnati" in errors_of(run)[2]
    assert Person.objects.get(display_name="Il Moro").neighbourhood.name == "Borgo Basso"


@pytest.mark.parametrize("role", [Role.ANTENNA, Role.CITIZEN, Role.PARTNER])
def test_who_may_not_import_people(client, make_user, neighbourhood, role):
    client.force_login(make_user(role, [neighbourhood]))
    for method in ("get", "post", "put", "patch", "delete"):
        response = getattr(client, method)(UPLOAD)
        assert response.status_code in (403, 405), (method, response.status_code)
    response = upload(client, GOOD_PEOPLE)
    assert response.status_code == 403 and not Import.objects.exists() and nothing_written()


def test_another_citys_coordinator_cannot_see_confirm_or_undo_an_import(coordinator_client, client, make_user, make_neighbourhood):
    from trama.territory.models import City

    run = run_of(upload(coordinator_client, GOOD_PEOPLE))
    far_city = City.objects.create(name="Lontana", slug="lontana", centre_lat=45.0, centre_lon=9.0)
    client.force_login(make_user(Role.COORDINATOR, city=far_city))
    for name, method in (("detail", "get"), ("progress", "get"), ("confirm", "post"), ("undo", "post")):
        assert getattr(client, method)(reverse(f"imports:{name}", args=[run.pk])).status_code in (403, 404)
    run.refresh_from_db()
    assert run.status == Import.Status.PREVIEW and nothing_written()


def test_undo_deletes_the_people_created_and_restores_the_ones_updated(coordinator_client):
    first = confirm(coordinator_client, run_of(upload(coordinator_client, GOOD_PEOPLE)))
    second = confirm(coordinator_client, run_of(upload(coordinator_client, GOOD_PEOPLE.replace("Il Moro", "Moro"))))
    assert second.counts["update"] == 1 and Person.objects.filter(display_name="Moro").exists()
    coordinator_client.post(reverse("imports:undo", args=[second.pk]))
    assert Person.objects.filter(display_name="Il Moro").exists()
    coordinator_client.post(reverse("imports:undo", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == Import.Status.UNDONE and not Person.objects.exists() and not Consent.objects.exists()
    assert not ExternalId.objects.exists()


def test_the_values_kept_to_undo_are_the_persons_and_go_with_her_erasure(coordinator_client, coordinator):
    from trama.privacy.erasure import erase_person

    confirm(coordinator_client, run_of(upload(coordinator_client, GOOD_PEOPLE)))
    updated = confirm(coordinator_client, run_of(upload(coordinator_client, GOOD_PEOPLE.replace("0521 111222", "0521 999999"))))
    pina, moro = Person.objects.get(display_name="Nonna Pina"), Person.objects.get(display_name="Il Moro")
    change = Change.objects.get(run=updated)
    assert (change.person, change.previous["phone"]) == (pina, "0521 111222")
    assert set(Change.objects.values_list("person", flat=True)) == {pina.pk, moro.pk}
    erase_person(pina, by=coordinator)
    assert not Change.objects.filter(previous__icontains="0521").exists() and not Change.objects.filter(written__icontains="0521").exists()
    assert Change.objects.filter(person=moro).count() == 1  # another person's log stays


def test_a_list_about_people_imported_more_than_a_year_ago_can_no_longer_be_undone(coordinator_client):
    from datetime import timedelta

    from django.utils import timezone

    run = confirm(coordinator_client, run_of(upload(coordinator_client, GOOD_PEOPLE)))
    Import.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(days=400))
    response = coordinator_client.post(reverse("imports:undo", args=[run.pk]))
    assert response.status_code == 409 and "più di un anno fa" in response.content.decode()
    run.refresh_from_db()
    assert run.status == Import.Status.DONE and Person.objects.count() == 2


# -- needs and offers --------------------------------------------------------------------------------

NEEDS = "id_esterno;id_persona;testo;urgenza;canale\n"
OFFERS = "id_esterno;id_persona;tipo;titolo;quartieri;posti\n"


@pytest.fixture
def imported_people(coordinator_client):
    confirm(coordinator_client, run_of(upload(coordinator_client, GOOD_PEOPLE)))
    return coordinator_client


def test_needs_and_offers_link_to_imported_people_and_are_recorded_on_paper(imported_people, neighbourhood, other_neighbourhood):
    body = "R-1;BT-1;Mi serve aiuto per la spesa del sabato;;\nR-2;BT-2;Qualcuno che mi accompagni in ospedale;presto;al telefono\n"
    run = run_of(upload(imported_people, body, kind="needs", header=NEEDS))
    assert errors_of(run) == {}
    run = confirm(imported_people, run)
    assert run.status == Import.Status.DONE and run.counts["new"] == 2
    spesa = Need.objects.get(text__startswith="Mi serve")
    assert (spesa.person.display_name, spesa.neighbourhood, spesa.channel, spesa.urgency) == ("Nonna Pina", neighbourhood, Channel.CARD, "medium")
    assert Need.objects.get(text__startswith="Qualcuno").channel == Channel.PHONE
    body = "O-1;BT-2;Tempo;Ripetizioni di matematica;Borgo Alto, Borgo Basso;2\n"
    run = run_of(upload(imported_people, body, kind="offers", header=OFFERS))
    assert errors_of(run) == {}
    run = confirm(imported_people, run)
    offer = Offer.objects.get()
    assert run.status == Import.Status.DONE and offer.person.display_name == "Il Moro" and offer.capacity == 2 and offer.channel == Channel.CARD
    assert set(offer.neighbourhoods.all()) == {neighbourhood, other_neighbourhood}
    again = run_of(upload(imported_people, body, kind="offers", header=OFFERS))
    assert again.counts == {"new": 0, "update": 0, "same": 1, "error": 0}


def test_a_person_external_id_not_found_is_an_error_of_its_row(imported_people):
    body = "R-1;BT-1;Spesa;;\nR-2;BT-99;Compagnia;;\n"
    run = run_of(upload(imported_people, body, kind="needs", header=NEEDS))
    assert list(errors_of(run)) == [3] and "Nessuna persona importata con id esterno «BT-99»" in errors_of(run)[3]
    assert not Need.objects.exists()


def test_a_worker_cannot_import_needs_of_a_person_of_another_neighbourhood(imported_people, client, worker):
    client.force_login(worker)
    run = run_of(upload(client, "R-1;BT-1;Spesa;;\nR-2;BT-2;Compagnia;;\n", kind="needs", header=NEEDS))
    assert list(errors_of(run)) == [3] and "non ti è assegnato" in errors_of(run)[3]
    assert not Need.objects.exists()


def test_bad_choices_in_needs_and_offers_are_explained(imported_people):
    run = run_of(upload(imported_people, "R-1;BT-1;Spesa;subito;via piccione\n", kind="needs", header=NEEDS))
    assert "«subito» non è tra i valori possibili" in errors_of(run)[2] and "«via piccione»" in errors_of(run)[2]
    run = run_of(upload(imported_people, "O-1;BT-1;Tempo;Giardinaggio;;mezzo\n", kind="offers", header=OFFERS))
    assert "non è un numero intero" in errors_of(run)[2]
    assert not Need.objects.exists() and not Offer.objects.exists()


def test_undo_of_needs_removes_them_but_not_the_people(imported_people):
    run = confirm(imported_people, run_of(upload(imported_people, "R-1;BT-1;Spesa del sabato;;\n", kind="needs", header=NEEDS)))
    imported_people.post(reverse("imports:undo", args=[run.pk]))
    assert not Need.objects.exists() and Person.objects.count() == 2


def test_undo_of_people_leaves_a_person_who_now_has_a_need_and_says_so(imported_people):
    people_run = Import.objects.get(kind="people")
    confirm(imported_people, run_of(upload(imported_people, "R-1;BT-1;Spesa del sabato;;\n", kind="needs", header=NEEDS)))
    imported_people.post(reverse("imports:undo", args=[people_run.pk]))
    people_run.refresh_from_db()
    assert list(Person.objects.values_list("display_name", flat=True)) == ["Nonna Pina"]
    assert any("usato da altri record" in note for note in people_run.undo_notes)
    assert Need.objects.count() == 1


# -- antennas ----------------------------------------------------------------------------------------

ANTENNAS = "id_esterno;nome;tipo;quartiere;consenso_raccolto_il;email;telefono;indirizzo\n"


def test_antennas_come_in_as_applications_waiting_for_a_worker(coordinator_client, neighbourhood):
    body = "A-1;Lucia Ferri;Farmacia;Borgo Alto;01/02/2025;lucia@farmacia.example;;\nA-2;Bruno;Portineria;Borgo Alto;2025-02-03;;0521 333;\n"
    run = confirm(coordinator_client, run_of(upload(coordinator_client, body, kind="antennas", header=ANTENNAS)))
    assert run.status == Import.Status.DONE
    lucia = AntennaApplication.objects.get(name="Lucia Ferri")
    assert (lucia.status, lucia.kind, lucia.neighbourhood, lucia.account) == ("pending", "pharmacy", neighbourhood, None)
    assert lucia.consent_at.date().isoformat() == "2025-02-01"
    page = coordinator_client.get(reverse("attention:application", args=[lucia.pk]))
    assert page.status_code == 200
    again = run_of(upload(coordinator_client, body, kind="antennas", header=ANTENNAS))
    assert again.counts["same"] == 2
    coordinator_client.post(reverse("imports:undo", args=[run.pk]))
    assert not AntennaApplication.objects.exists()


def test_an_antenna_without_a_way_to_reach_her_or_a_consent_is_refused(coordinator_client):
    body = "A-1;Lucia Ferri;Farmacia;Borgo Alto;01/02/2025;;;\nA-2;Bruno;Astronauta;Borgo Alto;;;0521 333;\n"
    run = run_of(upload(coordinator_client, body, kind="antennas", header=ANTENNAS))
    assert "Scrivi come raggiungerla" in errors_of(run)[2]
    assert "«astronauta» non è tra i valori possibili" in errors_of(run)[3] and "Manca la data" in errors_of(run)[3]
    assert not AntennaApplication.objects.exists()


def test_the_change_log_of_an_import_names_records_not_people(coordinator_client):
    run = confirm(coordinator_client, run_of(upload(coordinator_client, GOOD_PEOPLE)))
    assert {r["label"] for r in run.rows} == {"BT-1 · Borgo Alto", "BT-2 · borgo basso"}
    assert Change.objects.filter(run=run, action="created").count() == 2


def test_an_imported_antenna_is_invited_when_a_worker_accepts_her_and_undo_then_leaves_her(
    coordinator_client, coordinator, worker, neighbourhood, django_capture_on_commit_callbacks
):
    from django.core import mail

    from trama.attention.models import Antenna

    body = "A-1;Lucia Ferri;Farmacia;Borgo Alto;01/02/2025;lucia@farmacia.example;;\n"
    run = confirm(coordinator_client, run_of(upload(coordinator_client, body, kind="antennas", header=ANTENNAS)))
    lucia = AntennaApplication.objects.get()
    client = coordinator_client
    client.force_login(worker)
    data = {"first_name": "Lucia", "last_name": "Ferri", "email": "lucia@farmacia.example", "neighbourhoods": [neighbourhood.pk], "kind": "pharmacy"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("attention:application_accept", args=[lucia.pk]), data).status_code == 302
    assert Antenna.objects.get().account.email == "lucia@farmacia.example"
    assert any("/account/invito/" in message.body for message in mail.outbox)
    client.force_login(coordinator)
    client.post(reverse("imports:undo", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Import.Status.UNDONE and AntennaApplication.objects.filter(pk=lucia.pk, status="accepted").exists()
    assert any("usato da altri record" in note for note in run.undo_notes)
