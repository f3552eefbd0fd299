"""The team's sample (docs/examples/import/): previewed with its mistakes, fixed, confirmed, re-imported."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trama.imports.models import Import
from trama.imports.samples import NEIGHBOURHOODS
from trama.people.models import Organisation
from trama.territory.models import Neighbourhood

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples" / "import"


@pytest.fixture
def parma(coordinator, city, client):
    for i, name in enumerate(NEIGHBOURHOODS):
        Neighbourhood.objects.create(city=city, name=name, slug=f"p-{i}")
    client.force_login(coordinator)
    return client


def upload(client, name):
    return client.post(reverse("imports:upload"), {"kind": "organisations", "file": SimpleUploadedFile(name, (EXAMPLES / name).read_bytes())})


def test_the_sample_with_its_mistakes_is_reported_row_by_row(parma):
    response = upload(parma, "associazioni-parma.xlsx")
    assert response.status_code == 302
    run = Import.objects.get()
    errors = {row["line"]: " ".join(row["messages"]) for row in run.rows if row["outcome"] == "error"}
    assert sorted(errors) == [12, 42, 52, 122, 152, 172]
    assert "La cella G12 contiene una formula" in errors[12]
    assert "«Oltretorrente Nord» non esiste" in errors[42]
    assert "Codice fiscale già usato alla riga 121" in errors[122]
    assert errors[172].startswith("codice_fiscale:")
    assert not Organisation.objects.exists() and not run.content and not run.can_confirm


def test_the_fixed_sample_imports_and_its_windows_csv_then_changes_nothing(parma):
    response = upload(parma, "associazioni-parma-corretto.xlsx")
    run = Import.objects.get()
    assert run.counts == {"new": 200, "update": 0, "same": 0, "error": 0}
    parma.post(reverse("imports:confirm", args=[run.pk]))
    assert Organisation.objects.count() == 200
    again = upload(parma, "associazioni-parma-windows.csv")
    rerun = Import.objects.get(pk=again.url.rstrip("/").rsplit("/", 1)[-1])
    assert rerun.counts == {"new": 0, "update": 0, "same": 200, "error": 0}
    assert Organisation.objects.filter(description__endswith="è, à, ù.").count() == 200
    assert response.status_code == 302


def test_the_sample_without_its_neighbourhoods_column_is_refused(parma):
    response = upload(parma, "associazioni-parma-senza-quartieri.csv")
    assert response.status_code == 400 and "Mancano le colonne: quartieri" in response.context["refusal"]
