"""Fault injection on real `manage.py db_worker` processes over the test database (SQLite file or PostgreSQL),
on loopback only and bounded in time: a worker killed in the middle of a task, a write lock held longer than
the busy timeout."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

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

ROOT = Path(__file__).resolve().parents[3]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def database_url():
    """The test database, as the worker processes must reach it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(worker_id, **env):
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}},
        "DJANGO_SETTINGS_MODULE": "trama.settings",
        "TRAMA_HTTPS": "0",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "TRAMA_TASK_HEARTBEAT_SECONDS": "0.5",
        "TRAMA_TASK_STALLED_SECONDS": "2",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", "--worker-id", worker_id],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def workers(settings):
    settings.TASKS = DATABASE_TASKS
    started = []
    yield lambda worker_id, **env: started.append(start_worker(worker_id, **env)) or started[-1]
    for process in started:
        stop(process)


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
