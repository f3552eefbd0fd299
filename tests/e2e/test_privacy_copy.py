"""A citizen takes away a copy of her data from her profile (GDPR art. 15 and 20): once, and only she."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.market.models import Need
from trama.people.models import Role

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_downloads_her_data_once(page, users, make_person, city, neighbourhood):
    citizen = users[Role.CITIZEN]
    gino = make_person(name="Gino", account=citizen)
    Need.objects.create(city=city, person=gino, neighbourhood=neighbourhood, text="Cerco compagnia per la spesa")

    log_in(page, citizen.username, PASSWORD)
    page.get_by_role("link", name="Il mio profilo").first.click()
    expect(page.get_by_role("heading", name="I tuoi dati")).to_be_visible()
    page.get_by_role("button", name="Chiedi una copia dei miei dati").click()
    expect(page.get_by_role("heading", name="Copia dei dati personali")).to_be_visible()
    expect(page.get_by_test_id("export-progress")).to_contain_text("pronto")

    with page.expect_download() as arrived:
        page.get_by_test_id("export-download").click()
    download = arrived.value
    assert download.suggested_filename == f"dati-personali-{gino.pk}.zip"
    archive = zipfile.ZipFile(io.BytesIO(download.path().read_bytes()))
    record = json.loads(archive.read("dati.json"))
    needs = next(s for s in record["sections"] if s["model"] == "market.Need")
    assert [row["text"] for row in needs["rows"]] == ["Cerco compagnia per la spesa"]
    assert archive.read("dati.pdf").startswith(b"%PDF")

    # Once: the link now leads nowhere, and the page says the file is gone.
    assert page.request.get(page.url.rstrip("/") + "/scarica/").status == 404
    page.reload()
    expect(page.get_by_test_id("export-progress")).to_contain_text("già scaricata")
