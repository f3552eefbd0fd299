"""The copy of the data and the erasure say how far they have got, and "fatto" only once the worker has done it."""

import pytest
from django.urls import reverse
from django_tasks import default_task_backend

from trama.privacy import erasure
from trama.privacy.models import DataExport, ErasureRequest

pytestmark = pytest.mark.django_db

QUEUED_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _run_what_was_queued():
    """What the worker does: each task queued, run now."""
    for result in list(default_task_backend.results):
        result.task.call(*result.args, **result.kwargs)
    default_task_backend.clear()


def _polled(client, url):
    return client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_the_copy_says_done_only_after_the_worker_has_made_it(client, coordinator, make_person, settings):
    settings.TASKS = QUEUED_ONLY
    person = make_person()
    client.force_login(coordinator)
    page_url = client.post(reverse("privacy:export_person", args=[person.pk]))["Location"]
    page = client.get(page_url).content.decode()
    assert "Preparazione della copia dei dati: in coda." in page and 'hx-trigger="every 2s"' in page
    assert "Preparazione della copia dei dati: fatto." not in page and "export-download" not in page
    _run_what_was_queued()
    fragment = _polled(client, page_url)
    assert "Preparazione della copia dei dati: fatto." in fragment and "export-download" in fragment
    assert "hx-get" not in fragment and 'aria-live="polite"' in fragment


def test_a_failed_copy_says_why_and_offers_to_ask_again(client, coordinator, make_person):
    person = make_person()
    export = DataExport.objects.create(person=person, requested_by=coordinator, token="t" * 32, status=DataExport.Status.FAILED)
    client.force_login(coordinator)
    fragment = _polled(client, reverse("privacy:export", args=[export.token]))
    assert "Preparazione della copia dei dati: non riuscito: riprova più tardi" in fragment
    assert f'action="{reverse("privacy:export_person", args=[person.pk])}"' in fragment and "hx-get" not in fragment


def test_the_erasure_says_done_only_after_the_worker_has_erased(client, coordinator, make_person, settings, django_capture_on_commit_callbacks):
    settings.TASKS = QUEUED_ONLY
    request = ErasureRequest.objects.create(person=make_person(), requested_by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        erasure.confirm(coordinator, request)
    client.force_login(coordinator)
    page_url = reverse("privacy:erasure", args=[request.pk])
    page = client.get(page_url).content.decode()
    assert "Cancellazione dei dati: in coda." in page and 'hx-trigger="every 2s"' in page
    assert "Cancellazione dei dati: fatto." not in page and "Dati cancellati il" not in page
    _run_what_was_queued()
    fragment = _polled(client, page_url)
    assert "Cancellazione dei dati: fatto." in fragment and "Dati cancellati il" in fragment and "hx-get" not in fragment


def test_a_request_awaiting_its_decision_is_not_polled(client, coordinator, make_person):
    request = ErasureRequest.objects.create(person=make_person(), requested_by=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("privacy:erasure", args=[request.pk])).content.decode()
    assert "in attesa di conferma" in page and "hx-get" not in page
