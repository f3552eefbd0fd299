"""The team's samples of lists about people (docs/examples/import/): each mistake reported on its line, the fixed
list imported and then changing nothing, the offers, needs and antennas that go with it."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trama.attention.models import AntennaApplication
from trama.imports.models import Import
from trama.imports.samples import NEIGHBOURHOODS
from trama.market.models import Channel, Need, Offer
from trama.people.models import Consent, Person
from trama.territory.models import Neighbourhood

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples" / "import"


@pytest.fixture
def parma(coordinator, city, client):
    for i, name in enumerate(NEIGHBOURHOODS):
        Neighbourhood.objects.create(city=city, name=name, slug=f"p-{i}")
    client.force_login(coordinator)
    return client


def upload(client, name, kind):
    response = client.post(reverse("imports:upload"), {"kind": kind, "file": SimpleUploadedFile(name, (EXAMPLES / name).read_bytes())})
    assert response.status_code == 302
    return Import.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def errors(run):
    return {row["line"]: " ".join(row["messages"]) for row in run.rows if row["outcome"] == "error"}


def test_the_people_sample_with_its_mistakes_is_reported_row_by_row(parma):
    run = upload(parma, "persone-banca-del-tempo.xlsx", "people")
    found = errors(run)
    assert sorted(found) == [9, 31, 58, 77, 120, 150]
    assert "Manca la data in cui la persona ha firmato il consenso" in found[9]
    assert "«03.05.2024» non riconosciuta" in found[31]
    assert "«Oltretorrente Nord» non esiste" in found[58]
    assert "La cella B77 contiene una formula" in found[77]
    assert "Id esterno già usato alla riga 101" in found[120]
    assert "si conservano solo con il consenso" in found[150]
    assert not Person.objects.exists() and not run.can_confirm and not run.content


def test_the_fixed_people_sample_and_its_offers_needs_and_antennas(parma):
    run = upload(parma, "persone-banca-del-tempo-corretto.xlsx", "people")
    assert run.counts == {"new": 200, "update": 0, "same": 0, "error": 0}
    parma.post(reverse("imports:confirm", args=[run.pk]))
    assert Person.objects.count() == 200 and Consent.objects.filter(purpose="registration", collected_on_paper__isnull=False).count() == 200
    assert Person.objects.exclude(phone="").count() == 50 == Consent.objects.filter(purpose="identifying").count()
    assert upload(parma, "persone-banca-del-tempo-corretto.xlsx", "people").counts["same"] == 200

    offers = upload(parma, "offerte-banca-del-tempo.csv", "offers")
    assert list(errors(offers)) == [41] and "«BT-9999»" in errors(offers)[41]
    assert not Offer.objects.exists()

    needs = upload(parma, "richieste-sportello.csv", "needs")
    assert errors(needs) == {}
    parma.post(reverse("imports:confirm", args=[needs.pk]))
    assert Need.objects.count() == 40 and set(Need.objects.values_list("channel", flat=True)) == {Channel.CARD, Channel.PHONE}

    antennas = upload(parma, "antenne-quartiere.csv", "antennas")
    assert list(errors(antennas)) == [8] and "Scrivi come raggiungerla" in errors(antennas)[8]
    assert not AntennaApplication.objects.exists()
