"""A task whose worker stopped beating goes back to the queue, or is given up after the last attempt, and
the pages say so."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from trama.background import recovery
from trama.background.models import WorkerBeat
from trama.insights.models import Report
from trama.insights.tasks import build_report
from trama.people.models import Role
from trama.people.tasks import send_email

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LIST = reverse("background:troubled_tasks")


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TRAMA_TASK_STALLED_SECONDS = 60
    settings.TRAMA_TASK_MAX_ATTEMPTS = 3


@pytest.fixture
def report(city, users):
    return Report.objects.create(city=city, period="2025", kind=Report.Kind.XLSX, requested_by=users[Role.COORDINATOR])


def later(seconds=61):
    return timezone.now() + timedelta(seconds=seconds)


def taken_by(result, worker_id):
    """A worker takes the task, as db_worker does."""
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    return row


def test_a_task_of_a_worker_that_stopped_beating_goes_back_to_the_queue(queue, report):
    result = build_report.enqueue(report.pk)
    taken_by(result, "dead")

    requeued, failed = recovery.recover_stalled(now=later())

    row = DBTaskResult.objects.get(pk=result.id)
    assert (requeued, failed) == ([str(row.pk)], [])
    assert row.status == TaskResultStatus.READY and row.worker_ids == ["dead"]


def test_a_task_of_a_worker_that_beats_is_left_running(queue, report):
    result = build_report.enqueue(report.pk)
    taken_by(result, "alive")
    recovery.beat("alive", task_id=result.id, now=later())

    assert recovery.recover_stalled(now=later()) == ([], [])
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING


def test_a_task_its_worker_no_longer_runs_goes_back_to_the_queue(queue, report):
    # The worker finished it but the database was gone when it wrote so; it beats, running nothing.
    result = build_report.enqueue(report.pk)
    taken_by(result, "alive")
    recovery.beat("alive", task_id="", now=later())

    assert recovery.recover_stalled(now=later()) == ([result.id], [])


def test_a_task_just_taken_is_not_recovered_before_the_delay(queue, report):
    result = build_report.enqueue(report.pk)
    taken_by(result, "dead")

    assert recovery.recover_stalled(now=later(30)) == ([], [])
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING


def test_after_the_last_attempt_the_task_fails_with_its_reason_and_the_report_says_so(queue, report, client, users):
    result = build_report.enqueue(report.pk)
    for worker in ("a", "b", "c"):
        taken_by(result, worker)
        recovery.recover_stalled(now=later())

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED and row.exception_class_path == recovery.WORKER_LOST
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and "3 volte" in report.error
    client.force_login(users[Role.COORDINATOR])
    page = client.get(reverse("insights:report_progress", args=[report.pk])).content.decode()
    assert "Preparazione del rapporto: non riuscito: il lavoro si è interrotto 3 volte perché il processo che lo eseguiva si è fermato" in page
    assert "hx-get" not in page  # finished: the page stops asking


def test_the_waiting_page_says_the_work_was_interrupted_and_resumed(queue, report, client, users):
    result = build_report.enqueue(report.pk)
    taken_by(result, "dead")
    recovery.recover_stalled(now=later())
    client.force_login(users[Role.COORDINATOR])

    page = client.get(reverse("insights:report_progress", args=[report.pk])).content.decode()

    assert "Il lavoro è stato interrotto e ripreso (tentativo 1 di 3)." in page
    assert "hx-get" in page  # still waiting for the next worker


def test_an_email_interrupted_is_given_up_not_sent_twice(queue, users):
    result = send_email.enqueue("Oggetto", "Testo", ["a@example.org"])
    taken_by(result, "dead")

    assert recovery.recover_stalled(now=later()) == ([], [result.id])
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED


def test_two_recoveries_at_once_act_once(queue, report):
    result = build_report.enqueue(report.pk)
    row = taken_by(result, "dead")
    stale_copy = DBTaskResult.objects.get(pk=row.pk)
    recovery.recover_stalled(now=later())
    taken_by(result, "next")  # another worker took it again meanwhile

    # A recovery that read the task before: its conditional update finds another start and does nothing.
    assert DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=stale_copy.started_at).count() == 0
    assert recovery.recover_stalled(now=later(30)) == ([], [])
    assert DBTaskResult.objects.get(pk=row.pk).worker_ids == ["dead", "next"]


def test_a_worker_that_stops_cleanly_forgets_its_beat(db):
    recovery.beat("w1")
    recovery.forget("w1")
    assert not WorkerBeat.objects.exists()


# -- the coordinators' list ------------------------------------------------------------------


def test_coordinators_see_failed_and_resumed_tasks_by_their_names(queue, report, client, users):
    resumed = build_report.enqueue(report.pk)
    taken_by(resumed, "dead")
    recovery.recover_stalled(now=later())
    failed = send_email.enqueue("Oggetto", "Testo", ["a@example.org"])
    taken_by(failed, "dead")
    recovery.recover_stalled(now=later())
    send_email.enqueue("Oggetto", "Testo", ["b@example.org"])  # queued, never started: not listed
    client.force_login(users[Role.COORDINATOR])

    page = client.get(LIST).content.decode()

    assert "Rapporto degli indicatori" in page and "interrotto e ripreso" in page
    assert "Invio di un&#x27;e-mail" in page and "non riuscito" in page
    assert "il lavoro si è interrotto 1 volta perché il processo che lo eseguiva si è fermato" in page
    assert page.count("<tr>") == 3  # the header and two tasks
    assert "build_report" not in page and "FAILED" not in page and "READY" not in page


def test_the_list_says_when_nothing_went_wrong(queue, client, users):
    client.force_login(users[Role.COORDINATOR])
    assert "Nessun lavoro in background è fallito o è stato ripreso." in client.get(LIST).content.decode()


def test_the_list_is_paginated(queue, client, users):
    for n in range(30):
        taken_by(send_email.enqueue("Oggetto", "Testo", [f"p{n}@example.org"]), "dead")
    recovery.recover_stalled(now=later())
    client.force_login(users[Role.COORDINATOR])

    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"pagina": 2}).content.decode()

    assert "Pagina 1 di 2" in first and first.count("<tr>") == 26
    assert second.count("<tr>") == 6


@pytest.mark.parametrize("role", [Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_only_coordinators_see_the_list(queue, client, users, role):
    client.force_login(users[role])
    assert client.get(LIST).status_code == 403


def test_the_coordinators_home_leads_to_the_list(client, users):
    client.force_login(users[Role.COORDINATOR])
    assert f'href="{LIST}"' in client.get("/").content.decode()


def test_a_report_stored_just_before_its_worker_stopped_stays_done_when_the_task_is_given_up(queue, report):
    result = build_report.enqueue(report.pk)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.DONE, progress=100, content=b"%PDF")
    for worker in ("a", "b", "c"):
        taken_by(result, worker)
        recovery.recover_stalled(now=later())

    report.refresh_from_db()
    assert report.status == Report.Status.DONE and bytes(report.content) == b"%PDF"


def _resumed(result):
    taken_by(result, "dead")
    recovery.recover_stalled(now=later())


def test_every_waiting_page_says_its_work_was_interrupted_and_resumed(queue, client, users, city, make_person):
    import secrets

    from trama.collective.models import SuggestionRefresh
    from trama.collective.tasks import refresh_suggestions_of_city
    from trama.imports.models import Import
    from trama.imports.tasks import preview_import
    from trama.privacy.models import DataExport
    from trama.privacy.tasks import build_export
    from trama.themes.models import DiscoveryRun
    from trama.themes.tasks import discover_themes

    coordinator = users[Role.COORDINATOR]
    run = DiscoveryRun.objects.create(city=city, requested_by=coordinator)
    _resumed(discover_themes.enqueue(run.pk))
    refresh = SuggestionRefresh.objects.create(city=city, requested_by=coordinator)
    _resumed(refresh_suggestions_of_city.enqueue(city.pk, refresh.pk))
    export = DataExport.objects.create(person=make_person(), requested_by=coordinator, token=secrets.token_urlsafe(32))
    _resumed(build_export.enqueue(export.pk))
    upload = Import.objects.create(city=city, kind="organisations", filename="elenco.csv", requested_by=coordinator, content=b"id_esterno;nome\n")
    _resumed(preview_import.enqueue(upload.pk))
    client.force_login(coordinator)

    for url in (
        reverse("themes:run_progress", args=[run.pk]),
        f"{reverse('collective:suggestions')}?aggiornamento={refresh.pk}",
        reverse("privacy:export", args=[export.token]),
        reverse("imports:progress", args=[upload.pk]),
    ):
        page = client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert "Il lavoro è stato interrotto e ripreso (tentativo 1 di 3)." in page, url
