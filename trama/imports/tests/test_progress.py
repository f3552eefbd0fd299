"""The preview, the import and its undoing run on the worker; the page says "fatto" only once each is done."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks import default_task_backend

from trama.imports.models import Import
from trama.people.models import Organisation

pytestmark = pytest.mark.django_db

QUEUED_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
BODY = "id_esterno;nome;settore;quartieri\nA1;Il Ponte;Terzo settore;Borgo Alto\nA2;Orti Uniti;Terzo settore;Borgo Alto\n"


def _run_what_was_queued():
    """What the worker does: each task queued, run now."""
    for result in list(default_task_backend.results):
        result.task.call(*result.args, **result.kwargs)
    default_task_backend.clear()


def _polled(client, url):
    return client.get(url, headers={"HX-Request": "true"}).content.decode()


@pytest.fixture
def queued(settings, client, coordinator, neighbourhood):
    settings.TASKS = QUEUED_ONLY
    default_task_backend.clear()
    client.force_login(coordinator)
    return client


def test_preview_import_and_undo_each_say_done_only_after_the_worker(queued):
    upload = SimpleUploadedFile("elenco.csv", BODY.encode())
    page_url = queued.post(reverse("imports:upload"), {"kind": "organisations", "file": upload})["Location"]
    run = Import.objects.get()
    poll_url = reverse("imports:progress", args=[run.pk])
    page = queued.get(page_url).content.decode()
    assert "Anteprima: in coda." in page and 'hx-trigger="every 2s"' in page
    assert "Anteprima: fatto." not in page and "import-confirm" not in page and "import-rows" not in page

    _run_what_was_queued()
    fragment = _polled(queued, poll_url)
    assert "Anteprima: fatto." in fragment and "import-confirm" in fragment and "hx-get" not in fragment
    assert "2 nuovi, 0 aggiornati, 0 invariati, 0 con errori." in fragment
    assert not Organisation.objects.exists()

    queued.post(reverse("imports:confirm", args=[run.pk]))
    page = queued.get(page_url).content.decode()
    assert "Importazione: in coda." in page and "Importazione: fatto." not in page and "import-undo" not in page
    assert not Organisation.objects.exists()
    _run_what_was_queued()
    fragment = _polled(queued, poll_url)
    assert "Importazione: fatto." in fragment and "import-undo" in fragment and Organisation.objects.count() == 2

    queued.post(reverse("imports:undo", args=[run.pk]))
    page = queued.get(page_url).content.decode()
    assert "Annullamento dell&#x27;importazione: in coda." in page and "importazione: fatto." not in page
    assert Organisation.objects.count() == 2
    _run_what_was_queued()
    fragment = _polled(queued, poll_url)
    assert "Annullamento dell&#x27;importazione: fatto." in fragment and "import-undone" in fragment
    assert not Organisation.objects.exists()


def test_a_preview_running_shows_how_far_it_has_got(queued, coordinator, city):
    run = Import.objects.create(city=city, kind="organisations", filename="a.csv", requested_by=coordinator, content=BODY.encode(), progress=40)
    fragment = _polled(queued, reverse("imports:progress", args=[run.pk]))
    assert "Anteprima: in corso, 40 %." in fragment and "hx-get" in fragment


def test_a_failed_preview_says_why_and_offers_to_upload_again(queued, coordinator, city):
    run = Import.objects.create(
        city=city, kind="organisations", filename="a.csv", requested_by=coordinator, status=Import.Status.PREVIEW_FAILED, error="file illeggibile"
    )
    fragment = _polled(queued, reverse("imports:progress", args=[run.pk]))
    assert "Anteprima: non riuscito: file illeggibile" in fragment and reverse("imports:index") in fragment and "hx-get" not in fragment


def test_undoing_twice_is_refused(queued):
    queued.post(reverse("imports:upload"), {"kind": "organisations", "file": SimpleUploadedFile("e.csv", BODY.encode())})
    run = Import.objects.get()
    _run_what_was_queued()
    queued.post(reverse("imports:confirm", args=[run.pk]))
    _run_what_was_queued()
    assert queued.post(reverse("imports:undo", args=[run.pk])).status_code == 302
    assert queued.post(reverse("imports:undo", args=[run.pk])).status_code == 409
    _run_what_was_queued()
    assert queued.post(reverse("imports:undo", args=[run.pk])).status_code == 409
