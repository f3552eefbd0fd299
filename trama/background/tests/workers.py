"""Real `manage.py db_worker` processes over the test database (SQLite file or PostgreSQL), for the fault-injection
tests of every app: started on loopback with a fast heartbeat, stopped at the end of the test whatever happened.
Loaded for the whole suite by the root conftest (`pytest_plugins`)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def database_url():
    """The test database, as the worker processes must reach it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(worker_id, **env):
    """A worker beating every half second, whose tasks are taken back two seconds after it stops; `env` adds settings."""
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
    """`workers(worker_id, **env)` starts a worker process; all are stopped when the test ends. Tasks enqueued by
    the test go through the database queue."""
    settings.TASKS = DATABASE_TASKS
    started = []
    yield lambda worker_id, **env: started.append(start_worker(worker_id, **env)) or started[-1]
    for process in started:
        stop(process)
