"""Issue 14, step 3: on a phone a coordinator previews the team's 200-row sample with its mistakes, reads the
errors, uploads the file fixed (this test fixes it, cell by cell), confirms it, then imports it again: no change."""

from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.imports import samples
from trama.people.models import Organisation, Role
from trama.territory.models import Neighbourhood

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "import" / "associazioni-parma.xlsx"
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
    """The sample with its mistakes corrected where the preview pointed at them: lines 12, 42, 52, 122, 152, 172."""
    book = load_workbook(SAMPLE)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    email, hoods, tax = header.index("email") + 1, header.index("quartieri") + 1, header.index("codice_fiscale") + 1
    for line in (12, 52, 152):
        sheet.cell(line, email).value = f"info{line - 1}@associazioni-parma.example"  # the value, not the formula
    sheet.cell(42, hoods).value = "Oltretorrente"
    for line in (122, 172):
        sheet.cell(line, tax).value = samples.tax_code(line - 1)
    path = folder / "associazioni-parma-corretta-dal-test.xlsx"
    book.save(path)
    return path


def upload(page, path):
    page.goto("/importazioni/")
    page.get_by_label("Che cosa contiene il file").select_option("organisations")
    page.get_by_label("File CSV o XLSX").set_input_files(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Importa elenchi esistenti")
    page.get_by_role("button", name="Mostra l'anteprima").click()


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_sample_is_previewed_fixed_confirmed_and_imported_again_without_change(narrow, users, city, tmp_path):
    for i, name in enumerate(samples.NEIGHBOURHOODS):
        Neighbourhood.objects.get_or_create(city=city, name=name, defaults={"slug": f"p-{i}"})
    page = narrow
    log_in(page, users[Role.COORDINATOR].username, PASSWORD)
    page.goto("/")
    assert page.get_by_test_id("nav-imports").first.get_attribute("href") == "/importazioni/"

    upload(page, SAMPLE)
    expect(page.get_by_test_id("task-state")).to_have_text("Anteprima: fatto.")
    expect(page.get_by_test_id("import-has-errors")).to_be_visible()
    expect(page.get_by_test_id("import-counts")).to_have_text("194 nuovi, 0 aggiornati, 0 invariati, 6 con errori.")
    errors = page.locator('[data-testid="import-rows"] tr[data-outcome="error"]')
    expect(errors).to_have_count(6)
    expect(errors.first).to_contain_text("La cella G12 contiene una formula")
    expect(page.get_by_text("«Oltretorrente Nord» non esiste")).to_be_visible()
    expect(page.get_by_test_id("import-confirm")).to_have_count(0)
    assert fits(page)
    assert not Organisation.objects.exists()

    upload(page, fixed_copy(tmp_path))
    expect(page.get_by_test_id("import-counts")).to_have_text("200 nuovi, 0 aggiornati, 0 invariati, 0 con errori.")
    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("task-state")).to_have_text("Importazione: fatto.")
    expect(page.get_by_test_id("import-counts")).to_have_text("Importazione completata: 200 nuovi, 0 aggiornati.")
    assert Organisation.objects.count() == 200
    assert fits(page)

    upload(page, fixed_copy(tmp_path))
    expect(page.get_by_test_id("import-counts")).to_have_text("0 nuovi, 0 aggiornati, 200 invariati, 0 con errori.")
    expect(page.get_by_test_id("import-nothing")).to_be_visible()
    expect(page.get_by_test_id("import-confirm")).to_have_count(0)
    assert Organisation.objects.count() == 200
