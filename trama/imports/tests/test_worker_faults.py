"""An import whose worker is killed in the middle is applied neither twice nor in half: the next worker undoes what
the dead one had written (an import is started once, trama/imports/tasks.py), the page says why, the same file
imported again writes each row once, and undoing that works. Real worker processes (background/tests/workers.py)."""

import signal

import pytest
from django.urls import reverse
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from trama.imports import services
from trama.imports.models import ExternalId, Import
from trama.imports.tasks import run_import
from trama.people.models import Organisation
from trama.testing import wait_for

HEADER = "id_esterno;nome;settore;quartieri\n"
ROWS = 2 * services.CHUNK  # two transactions: the worker is killed between them


def big_list(neighbourhood):
    return (HEADER + "".join(f"E{n};Associazione numero {n};Terzo settore;{neighbourhood.name}\n" for n in range(ROWS))).encode()


def confirmed(city, coordinator, data):
    """The file's import, confirmed and queued (its preview, every row new, is the imports tests' business)."""
    fields = {"kind": "organisations", "filename": "elenco.csv", "content": data, "counts": {"new": ROWS}}
    run = Import.objects.create(city=city, requested_by=coordinator, status=Import.Status.PREVIEW, **fields)
    services.confirm(run)
    return run


def status(run):
    return Import.objects.values_list("status", "progress").get(pk=run.pk)


def finished(run):
    run.refresh_from_db()
    return run.is_finished and run


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_is_killed_is_applied_neither_twice_nor_in_half(workers, city, coordinator, neighbourhood, client):
    data = big_list(neighbourhood)
    run = confirmed(city, coordinator, data)
    first = workers("first")
    wait_for(lambda: status(run)[0] == Import.Status.RUNNING and status(run)[1] == 50, "the first worker writes the first rows")

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=5)
    written = Organisation.objects.count()
    assert 0 < written < ROWS  # half the file is in the database, for now
    workers("second")
    wait_for(lambda: finished(run), "the next worker takes the import back")

    assert run.status == Import.Status.FAILED and "si è interrotto 1 volta" in run.error
    assert not Organisation.objects.exists() and not ExternalId.objects.exists()  # nothing of it is left
    task = DBTaskResult.objects.get(task_path=run_import.module_path)
    assert task.status == TaskResultStatus.FAILED and task.worker_ids == ["first"]  # never started twice
    client.force_login(coordinator)
    page = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "si è interrotto 1 volta" in page

    again = confirmed(city, coordinator, data)
    wait_for(lambda: finished(again), "the same file, imported again")
    assert again.status == Import.Status.DONE
    assert Organisation.objects.count() == ROWS == Organisation.objects.values("name").distinct().count()
    assert ExternalId.objects.count() == ROWS

    assert services.start_undo(again, by=coordinator)
    wait_for(lambda: status(again)[0] == Import.Status.UNDONE, "the import undone")
    assert not Organisation.objects.exists() and not ExternalId.objects.exists()
