import itertools
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trama.initiatives import forms, services
from trama.initiatives.models import Agreement
from trama.people.models import Role
from trama.testing import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _post(neighbourhood, organisation, **extra):
    data = {
        "kind": "pact",
        "title": "Patto per la sala",
        "subject": "Uso condiviso della sala civica",
        "neighbourhoods": [neighbourhood.pk],
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "parti-TOTAL_FORMS": "2",
        "parti-INITIAL_FORMS": "0",
        "parti-MIN_NUM_FORMS": "0",
        "parti-MAX_NUM_FORMS": "30",
        "parti-0-organisation": organisation.pk,
        "parti-0-commitments": "Apre la sala il martedì",
        "parti-1-name": "Vicini di via Po",
        "parti-1-commitments": "Puliscono dopo l'uso",
    }
    data.update(extra)
    return data


@pytest.fixture
def agreement(coordinator, city, neighbourhood, organisation):
    return services.save_agreement(
        Agreement(city=city, kind="pact", title="Patto per la sala", subject="Sala", starts_on=date(2026, 1, 1)),
        by=coordinator,
        neighbourhoods=[neighbourhood],
        parties=[{"organisation": organisation, "commitments": "Apre la sala"}],
    )


def test_a_coordinator_creates_an_agreement_with_its_parties_and_a_pdf(client, coordinator, neighbourhood, organisation):
    client.force_login(coordinator)
    data = _post(neighbourhood, organisation, document=SimpleUploadedFile("patto.pdf", PDF, content_type="application/pdf"))
    response = client.post(reverse("initiatives:agreement_create"), data)
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert [str(p) for p in agreement.parties.all()] == ["Associazione Il Ponte", "Vicini di via Po"]
    assert agreement.document.name.endswith(".pdf") and agreement.status == "draft"
    download = client.get(reverse("initiatives:agreement_document", args=[agreement.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    agreement.document.delete()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("patto.pdf", b"Questo non e un PDF", "non è un PDF valido"),
        ("programma.exe", b"MZ\x90\x00\x03", "Carica un file PDF"),
        ("programma.exe.pdf", b"MZ\x90\x00\x03", "non è un PDF valido"),
        ("patto.pdf", b"%PDF-" + b"0" * (forms.MAX_DOCUMENT_BYTES + 1), "troppo grande"),
    ],
)
def test_an_upload_that_is_not_a_small_pdf_is_refused_with_a_message(client, coordinator, neighbourhood, organisation, name, content, message):
    client.force_login(coordinator)
    data = _post(neighbourhood, organisation, document=SimpleUploadedFile(name, content))
    response = client.post(reverse("initiatives:agreement_create"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_party_without_commitments_is_refused(client, coordinator, neighbourhood, organisation):
    client.force_login(coordinator)
    response = client.post(reverse("initiatives:agreement_create"), _post(neighbourhood, organisation, **{"parti-1-commitments": ""}))
    assert response.status_code == 400 and not Agreement.objects.exists()


def test_hostile_formset_counts_are_refused(client, coordinator, neighbourhood, organisation):
    client.force_login(coordinator)
    response = client.post(
        reverse("initiatives:agreement_create"), _post(neighbourhood, organisation, **{"parti-TOTAL_FORMS": "100000", "ends_on": "2020-01-01"})
    )
    assert response.status_code == 400 and not Agreement.objects.exists()


def test_workers_read_agreements_of_their_neighbourhoods_but_do_not_write_them(client, worker, agreement, neighbourhood, organisation):
    client.force_login(worker)
    assert client.get(reverse("initiatives:agreement", args=[agreement.pk])).status_code == 200
    assert client.post(reverse("initiatives:agreement_create"), _post(neighbourhood, organisation)).status_code == 403
    assert client.post(reverse("initiatives:agreement_status", args=[agreement.pk]), {"status": "active"}).status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == "draft" and Agreement.objects.count() == 1


def test_partners_never_download_the_signed_document(client, users, agreement):
    agreement.document.save("x.pdf", SimpleUploadedFile("x.pdf", PDF))
    client.force_login(users[Role.PARTNER])
    assert client.get(reverse("initiatives:agreement_document", args=[agreement.pk])).status_code == 403
    client.logout()
    response = client.get(reverse("initiatives:agreement_document", args=[agreement.pk]))
    assert response.status_code == 302 and "/accedi/" in response["Location"]
    agreement.document.delete()


def test_status_moves_and_early_termination_needs_confirmation(client, coordinator, agreement):
    client.force_login(coordinator)
    url = reverse("initiatives:agreement_status", args=[agreement.pk])
    client.post(url, {"status": "expired"})
    agreement.refresh_from_db()
    assert agreement.status == "draft"
    client.post(url, {"status": "active"})
    client.post(url, {"status": "terminated"})
    agreement.refresh_from_db()
    assert agreement.status == "active"
    client.post(url, {"status": "terminated", "confirm": "on"})
    agreement.refresh_from_db()
    assert agreement.status == "terminated"


def test_renewal_creates_a_new_agreement_with_the_same_parties(client, coordinator, agreement):
    services.set_agreement_status(agreement, "active", by=coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("initiatives:agreement_renew", args=[agreement.pk]), {"starts_on": "2027-01-01", "ends_on": "2027-12-31"})
    renewal = Agreement.objects.exclude(pk=agreement.pk).get()
    assert response.status_code == 302 and renewal.renewed_from == agreement and renewal.status == "draft"
    assert [str(p) for p in renewal.parties.all()] == ["Associazione Il Ponte"]
    client.post(reverse("initiatives:agreement_renew", args=[agreement.pk]), {"starts_on": "2028-01-01"})
    assert Agreement.objects.count() == 2


def test_agreement_list_queries_do_not_grow_with_rows(client, coordinator, city, neighbourhood, organisation):
    def make(n):
        services.save_agreement(
            Agreement(city=city, kind="pact", title=f"Patto {n}", subject="x", starts_on=date(2026, 1, 1)),
            by=coordinator,
            neighbourhoods=[neighbourhood],
            parties=[{"organisation": organisation, "commitments": "x"}, {"name": "Vicini", "commitments": "y"}],
        )

    client.force_login(coordinator)
    numbers = itertools.count()

    def add(n):
        for _ in range(n):
            make(next(numbers))

    assert_queries_do_not_grow(client, reverse("initiatives:agreements"), add)
