"""PostgreSQL restarted under load (`pg_ctl restart`) while gunicorn serves writes: the requests in flight get the
503 "riprova tra poco", nothing is lost or written twice, and the writes resume without restarting Trama.

The restart is real, so it cannot touch the server the rest of the suite runs on: the test starts a server of
its own on a free loopback port (the same PostgreSQL installation), copies this test database into it with
pg_dump, and points a gunicorn of its own at it. Skipped on SQLite and where PostgreSQL's programs are missing.
"""

import glob
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from conftest import PASSWORD
from trama.people.models import Role

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 2
SECONDS_BEFORE, SECONDS_AFTER = 3, 4


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(command):
    """PostgreSQL's server refuses to run as root: run its programs as the postgres account then."""
    if os.geteuid() == 0:
        return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(command)]
    return command


@pytest.fixture
def own_postgresql():
    """A PostgreSQL server of this test's own, as (bin directory, data directory, port); stopped at the end."""
    if connection.vendor != "postgresql":
        pytest.skip("a restart of PostgreSQL")
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    if not bins or (os.geteuid() == 0 and not _has_account("postgres")):
        pytest.skip("PostgreSQL's programs (initdb, pg_ctl)")
    pgbin, port = bins[-1], free_port()
    root = tempfile.mkdtemp(prefix="trama-pg-restart-")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data = f"{root}/data"
    subprocess.run(
        as_postgres([f"{pgbin}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"]),
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = f"'-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off'"
    subprocess.run(
        as_postgres([f"{pgbin}/pg_ctl", "-D", data, "-l", f"{root}/log", "-w", "-o", options, "start"]), check=True, capture_output=True, timeout=120
    )
    try:
        yield pgbin, data, port, f"-l {root}/log -o {options}"
    finally:
        subprocess.run(as_postgres([f"{pgbin}/pg_ctl", "-D", data, "-m", "immediate", "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def _has_account(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def copy_test_database(pgbin, port):
    """This test database, with what the test has committed, into the server of the test."""
    settings = connection.settings_dict
    source = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432), "-U", settings["USER"] or "postgres"]
    env = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    subprocess.run([f"{pgbin}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "trama"], check=True, env=env)
    dump = subprocess.run(
        [f"{pgbin}/pg_dump", *source, "-Fc", "--no-owner", settings["NAME"]], check=True, capture_output=True, env=env, timeout=120
    ).stdout
    subprocess.run(
        [f"{pgbin}/pg_restore", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "--no-owner", "-d", "trama"],
        input=dump,
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )


def start_gunicorn(db_port, log):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TRAMA_TEST_DATABASE"))},
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{db_port}/trama",
        "CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "trama.test_settings",
        "DEBUG": "0",
        "TRAMA_HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "trama.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60", "--preload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:  # an answer from Django itself, not only an open socket
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/schema/", timeout=30).close()
            return server, f"http://127.0.0.1:{port}"
        except urllib.error.HTTPError:
            return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError("gunicorn did not start")


def issue_token(base, username, name):
    """One write: a new API token named `name`. Returns the HTTP status."""
    body = json.dumps({"username": username, "password": PASSWORD, "name": name}).encode()
    request = urllib.request.Request(f"{base}/api/v1/token/", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:  # no HTTP answer at all: the connection reset, or no answer in time
        return type(error).__name__


@pytest.mark.django_db(transaction=True)
def test_a_restart_of_postgresql_under_load_costs_only_the_requests_in_flight(own_postgresql, users, tmp_path):
    pgbin, data, db_port, options = own_postgresql  # options: the log file too, or the server would hold our pipe
    username = users[Role.CITIZEN].username
    copy_test_database(pgbin, db_port)
    with open(tmp_path / "gunicorn.log", "w") as log:
        server, base = start_gunicorn(db_port, log)
        try:
            answers, stop = [], threading.Event()

            def writer(w):
                i = 0
                while not stop.is_set():
                    name = f"w{w}-{i}"
                    answers.append((name, issue_token(base, username, name), time.time()))

                    i += 1

            threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
            for thread in threads:
                thread.start()
            time.sleep(SECONDS_BEFORE)
            restarted = time.time()
            subprocess.run(
                as_postgres([f"{pgbin}/pg_ctl", "-D", data, "-m", "fast", "-w", options, "restart"]), check=True, capture_output=True, timeout=120
            )
            back = time.time()
            time.sleep(SECONDS_AFTER)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
        finally:
            server.terminate()
            server.wait(timeout=30)

    timeline = [(name, status, round(at - restarted, 1)) for name, status, at in answers]
    statuses = {status for _, status, _ in answers}
    assert statuses <= {200, 503}, f"answers other than 200 and 503: {timeline}, back after {back - restarted:.1f} s"
    assert any(status == 200 and at < restarted for _, status, at in answers), "no write worked before the restart"
    # Each writer's answers after the server is back: a request or two may still meet a dropped connection,
    # then every one works, with no restart of gunicorn.
    for w in range(WRITERS):
        after = [status for name, status, at in answers if name.startswith(f"w{w}-") and at > back]
        assert after[-3:] == [200, 200, 200], f"writer {w} after the restart: {after}"

    # Nothing lost, nothing written twice, nothing written for a request that was told it failed.
    stored = subprocess.run(
        [f"{pgbin}/psql", "-h", "127.0.0.1", "-p", str(db_port), "-U", "postgres", "-d", "trama", "-At", "-c", "SELECT name FROM people_apitoken"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert len(stored) == len(set(stored))
    assert set(stored) == {name for name, status, _ in answers if status == 200}
