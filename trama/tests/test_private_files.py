"""What holds personal data on disk (var/, the SQLite database, backups, agreements) is private: 0700 directories, 0600 files."""

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import call_command

from trama.initiatives.storage import private_storage
from trama.private_files import private_sqlite

ROOT = Path(__file__).resolve().parents[2]


def mode(path):
    return path.stat().st_mode & 0o777


def test_var_the_database_and_the_secret_key_are_created_private(tmp_path):
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "privacy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "TRAMA_VAR_DIR": str(var), "TRAMA_HTTPS": "0"},
    )
    assert result.returncode == 0, result.stderr
    assert mode(var) == 0o700
    assert mode(var / "trama.sqlite3") == 0o600 and (var / "trama.sqlite3").stat().st_size > 0
    assert mode(var / "secret_key") == 0o600
    assert all(mode(companion) == 0o600 for companion in var.glob("trama.sqlite3-*"))


def test_an_existing_var_left_open_is_made_private(tmp_path):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    (var / "trama.sqlite3").write_bytes(b"")
    (var / "trama.sqlite3").chmod(0o644)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120, env={**env, "TRAMA_VAR_DIR": str(var)}
    )
    assert result.returncode == 0, result.stderr
    assert mode(var) == 0o700 and mode(var / "trama.sqlite3") == 0o600


def test_the_wal_files_of_a_database_are_private_too(tmp_path):
    database = tmp_path / "db.sqlite3"
    for path in (database, tmp_path / "db.sqlite3-wal", tmp_path / "db.sqlite3-shm"):
        path.write_bytes(b"")
        path.chmod(0o644)
    private_sqlite(str(database))
    assert {mode(path) for path in tmp_path.iterdir()} == {0o600}


def test_signed_agreements_are_stored_private(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    name = private_storage().save("patti/patto.pdf", ContentFile(b"%PDF-1.4"))
    assert mode(tmp_path / "private" / name) == 0o600
    assert mode(tmp_path / "private" / "patti") == 0o700


def test_start_runs_the_server_and_the_worker_with_a_private_umask(monkeypatch):
    from trama.management.commands import start

    seen = []

    class Finished:
        returncode = 0

        def __init__(self, command):
            current = os.umask(0o077)
            os.umask(current)
            seen.append(current)

        def poll(self):
            return 0

        def wait(self, timeout=None):
            return 0

    previous, on_sigterm = os.umask(0o022), signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(start.subprocess, "Popen", Finished)
    try:
        call_command("start", stdout=io.StringIO())
    finally:
        os.umask(previous)
        signal.signal(signal.SIGTERM, on_sigterm)
    assert seen == [0o077, 0o077]


def test_making_a_database_private_keeps_the_locks_of_its_open_connections(tmp_path):
    # The embedded install's corruption: every new connection made the file private by opening and closing it,
    # which dropped the process's SQLite locks; another process's closing connection then took the database as
    # unused and deleted the WAL and shared memory that this process's connections still wrote through.
    import sqlite3

    database = tmp_path / "db.sqlite3"
    own = sqlite3.connect(database, isolation_level=None)
    own.execute("PRAGMA journal_mode=WAL")
    own.execute("CREATE TABLE t (x)")
    own.execute("INSERT INTO t VALUES (1)")
    shared_memory = os.stat(f"{database}-shm").st_ino

    private_sqlite(str(database))  # what trama.apps does on each new connection of this process

    other = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT * FROM t').fetchall(); c.close()"
    subprocess.run([sys.executable, "-c", other, str(database)], check=True)
    assert os.path.exists(f"{database}-wal") and os.stat(f"{database}-shm").st_ino == shared_memory
    own.close()
    assert mode(database) == 0o600
