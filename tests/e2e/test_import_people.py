"""Issue 14, step 3: on a phone a worker previews the team's list of a time bank's members (200 rows with its
mistakes), reads each error on its line, uploads the list fixed (this test fixes it, cell by cell, as she would),
confirms it, and finds a member's consent recorded as collected on paper; importing it again changes nothing."""

from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.imports import samples
from trama.people.models import Person, Role

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "import" / "persone-banca-del-tempo.xlsx"
NARROW_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def narrow(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="it-IT", viewport=NARROW_PHONE, is_mobile=True, has_touch=True)
    # The preview of 200 rows runs with the upload here (the test server's tasks run at once): on a shared machine, slow.
    context.set_default_timeout(90_000)
    page = context.new_page()
    yield page
    context.close()


def fixed_copy(folder):
    """The sample corrected where the preview pointed: lines 9, 31, 58, 77, 120 and 150."""
    book = load_workbook(SAMPLE)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    col = {name: header.index(name) + 1 for name in header}
    sheet.cell(9, col["consenso_raccolto_il"]).value = "12/03/2024"
    sheet.cell(31, col["consenso_raccolto_il"]).value = "03/05/2024"
    sheet.cell(58, col["quartiere"]).value = "Oltretorrente"
    sheet.cell(77, col["nome"]).value = "Socia 76"
    sheet.cell(120, col["id_esterno"]).value = "BT-0119"
    sheet.cell(150, col["telefono"]).value = None  # no consent to keep it: the number goes
    path = folder / "persone-corrette-dal-test.xlsx"
    book.save(path)
    return path


def upload(page, path):
    page.goto("/importazioni/")
    page.get_by_label("Che cosa contiene il file").select_option("people")
    page.get_by_label("File CSV o XLSX").set_input_files(path)
    page.get_by_role("button", name="Mostra l'anteprima").click()


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_list_of_people_is_previewed_fixed_and_confirmed_on_a_phone(narrow, make_user, city, tmp_path):
    from trama.territory.models import Neighbourhood

    hoods = [
        Neighbourhood.objects.get_or_create(city=city, name=name, defaults={"slug": f"p-{i}"})[0] for i, name in enumerate(samples.NEIGHBOURHOODS)
    ]
    worker = make_user(Role.WORKER, hoods)
    page = narrow
    log_in(page, worker.username, PASSWORD)

    upload(page, SAMPLE)
    expect(page.get_by_test_id("task-state")).to_have_text("Anteprima: fatto.")
    expect(page.get_by_test_id("import-has-errors")).to_be_visible()
    expect(page.get_by_test_id("import-counts")).to_have_text("194 nuovi, 0 aggiornati, 0 invariati, 6 con errori.")
    errors = page.locator('[data-testid="import-rows"] tr[data-outcome="error"]')
    expect(errors).to_have_count(6)
    expect(errors.first).to_contain_text("Manca la data in cui la persona ha firmato il consenso")
    expect(page.get_by_text("«Oltretorrente Nord» non esiste")).to_be_visible()
    expect(page.get_by_text("La cella B77 contiene una formula")).to_be_visible()
    # The preview names rows by their id and neighbourhood, never by the person's name.
    expect(page.get_by_text("Nonna Pina")).to_have_count(0)
    expect(page.get_by_test_id("import-confirm")).to_have_count(0)
    assert fits(page)
    assert not Person.objects.exists()

    fixed = fixed_copy(tmp_path)
    upload(page, fixed)
    expect(page.get_by_test_id("import-counts")).to_have_text("200 nuovi, 0 aggiornati, 0 invariati, 0 con errori.")
    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("task-state")).to_have_text("Importazione: fatto.")
    expect(page.get_by_test_id("import-counts")).to_have_text("Importazione completata: 200 nuovi, 0 aggiornati.")
    assert Person.objects.count() == 200 and fits(page)

    member = Person.objects.get(display_name="Socia 76")
    page.goto(reverse("people:person", args=[member.pk]))
    expect(page.get_by_text("raccolto su carta il", exact=False)).to_be_visible()

    upload(page, fixed)
    expect(page.get_by_test_id("import-counts")).to_have_text("0 nuovi, 0 aggiornati, 200 invariati, 0 con errori.")
    expect(page.get_by_test_id("import-nothing")).to_be_visible()
    assert Person.objects.count() == 200
