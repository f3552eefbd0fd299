"""`manage.py start`: a worker that dies is started again, and the web server stays up meanwhile."""

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from trama.background.tests.workers import database_url
from trama.testing import wait_for

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid):
    """The processes `pid` started, with their command lines."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                found[int(child)] = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except FileNotFoundError:
                pass
    return found


def worker_of(pid):
    return next((child for child, command in children(pid).items() if "db_worker" in command), None)


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start_platform(port):
    """`manage.py start` (web server and worker) on loopback over the test database, with the production settings
    (not the suite's: no shortened busy timeout, the production hashers, the database task queue)."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "TRAMA_SQLITE_BUSY_TIMEOUT"}},
        "DJANGO_SETTINGS_MODULE": "trama.settings",
        "TRAMA_HTTPS": "0",
        "DATABASE_URL": database_url(),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "start", "--addr", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_is_restarted_and_the_web_server_keeps_answering():
    port = free_port()
    start = start_platform(port)
    health = f"http://127.0.0.1:{port}/salute/"
    try:
        wait_for(lambda: answers(health), "the web server answers")
        first = wait_for(lambda: worker_of(start.pid), "the first worker runs")

        os.kill(first, signal.SIGKILL)

        second = wait_for(lambda: (w := worker_of(start.pid)) and w != first and w, "a new worker replaces the killed one")
        assert second != first
        assert answers(health) and start.poll() is None
    finally:
        start.send_signal(signal.SIGTERM)
        _, errors = start.communicate(timeout=60)
    assert "Il worker delle attività si è fermato" in errors.decode()
