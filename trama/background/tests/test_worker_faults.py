"""Fault injection on real `manage.py db_worker` processes over the test database (SQLite file or PostgreSQL),
on loopback only and bounded in time (the `workers` fixture, background/tests/workers.py): a worker killed in
the middle of a task, a write lock held longer than the busy timeout."""

import signal
import sqlite3
import time

import pytest
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from trama.background.models import WorkerBeat
from trama.background.tests.fault_tasks import slow_tally
from trama.insights.models import Report
from trama.insights.tasks import build_report
from trama.people.models import Role
from trama.testing import wait_for


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_is_killed_is_finished_once_by_the_next(workers, tmp_path):
    result = slow_tally.enqueue(str(tmp_path), 10)
    first = workers("first")
    wait_for(lambda: list(tmp_path.glob("started-*")), "the first worker starts the task")

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=5)
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING  # left behind by the dead
    workers("second")
    wait_for(lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL, "the second worker finishes the task")

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.worker_ids == ["first", "second"] and row.return_value == 10
    assert len((tmp_path / "done").read_text().splitlines()) == 1  # completed exactly once
    assert len(list(tmp_path.glob("started-*"))) == 2
    assert DBTaskResult.objects.count() == 1  # nothing enqueued twice
    assert set(WorkerBeat.objects.values_list("worker_id", flat=True)) <= {"first", "second"}


@pytest.mark.django_db(transaction=True)
def test_a_report_whose_worker_is_killed_is_built_by_the_next_and_is_the_same_file(workers, city, users):
    def report(pk):
        return Report.objects.get(pk=pk)

    asked = Report.objects.create(city=city, period="2025", kind=Report.Kind.PDF, requested_by=users[Role.COORDINATOR])
    result = build_report.enqueue(asked.pk)
    first = workers("first")
    wait_for(lambda: report(asked.pk).status == Report.Status.RUNNING, "the first worker starts the report")

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=5)
    assert report(asked.pk).status == Report.Status.RUNNING and report(asked.pk).content is None
    workers("second")
    wait_for(lambda: report(asked.pk).is_finished, "the second worker finishes the report")

    assert report(asked.pk).status == Report.Status.DONE
    assert DBTaskResult.objects.get(pk=result.id).worker_ids == ["first", "second"]
    reference = Report.objects.create(city=city, period="2025", kind=Report.Kind.PDF)
    build_report.call(reference.pk)  # built once, without interruption
    assert bytes(report(asked.pk).content) == bytes(report(reference.pk).content)


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_a_write_lock_longer_than_its_busy_timeout(workers, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    worker = workers("patient", TRAMA_SQLITE_BUSY_TIMEOUT="0.5")
    wait_for(lambda: WorkerBeat.objects.filter(worker_id="patient").exists(), "the worker beats")
    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        time.sleep(3)  # six busy timeouts: the worker's own BEGIN fails again and again
        assert worker.poll() is None, worker.stderr.read().decode()
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    result = slow_tally.enqueue(str(tmp_path), 1)
    wait_for(lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL, "the worker takes the task once the lock is gone")
    assert worker.poll() is None
