"""The issue's own fault, at its own length: another process holds SQLite's write lock for 40 seconds, longer
than the production busy timeout of 30 s. `manage.py start` runs with the production settings (no test
shortcuts): the request that must write answers "riprova tra poco" (503 with Retry-After) and saves nothing,
the worker waits the lock out instead of crashing, the web server never stops, and when the lock is gone a
task is done by the same worker and the same request succeeds. About 50 s of waiting, little CPU."""

import json
import signal
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from trama.background.tests.fault_tasks import slow_tally
from trama.background.tests.workers import DATABASE_TASKS
from trama.people.hashers import Argon2Hasher
from trama.people.models import ApiToken, Role, User
from trama.testing import wait_for
from trama.tests.test_start import answers, free_port, start_platform, worker_of

LOCK_SECONDS = 40
PASSWORD = "Una-password-lunga-2026"


def ask_for_a_token(base, username):
    """POST the API's token endpoint (no CSRF, one write); the status, the Retry-After header and the JSON body."""
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD}).encode()
    try:
        with urllib.request.urlopen(base + reverse("api-token"), data=data, timeout=90) as response:
            return response.status, response.headers.get("Retry-After"), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After"), json.loads(error.read())


@pytest.mark.django_db(transaction=True)
def test_a_forty_second_write_lock_leaves_the_web_server_and_the_worker_standing(settings, users, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    settings.TASKS = DATABASE_TASKS  # the task below goes through the queue the started worker reads
    account = users[Role.CITIZEN]
    # The started server uses the production hasher, not the suite's fast one (and would rewrite any other hash
    # when the password is checked: a write of its own under the lock).
    User.objects.filter(pk=account.pk).update(password=Argon2Hasher().encode(PASSWORD, "faultsalt0123456"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    start = start_platform(port)
    try:
        wait_for(lambda: answers(f"{base}/salute/"), "the web server answers")
        worker = wait_for(lambda: worker_of(start.pid), "the worker runs")

        holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        locked_at = time.monotonic()
        try:
            status, retry_after, body = ask_for_a_token(base, account.username)
            # Answered while the lock is still held: it gave up after the busy timeout, it did not outwait the lock.
            assert (status, retry_after, body) == (503, "10", {"detail": "Il sistema è occupato, riprova tra poco."})
            time.sleep(max(0.0, LOCK_SECONDS - (time.monotonic() - locked_at)))
            assert start.poll() is None, "manage.py start stopped under the lock"
            assert worker_of(start.pid) == worker, "the worker crashed under the lock and was replaced"
        finally:
            holder.execute("ROLLBACK")
            holder.close()

        assert not ApiToken.objects.exists()  # the refused request saved nothing
        result = slow_tally.enqueue(str(tmp_path), 1)
        wait_for(lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL, "the worker takes the task after the lock")
        assert (tmp_path / "done").read_text() == f"{worker}\n"  # done once, by the worker that waited the lock out
        status, _, body = ask_for_a_token(base, account.username)
        assert status == 200 and body["token"] and ApiToken.objects.filter(account=account).count() == 1
        assert answers(f"{base}/salute/") and start.poll() is None
    finally:
        start.send_signal(signal.SIGTERM)
        _, errors = start.communicate(timeout=60)
    assert "Il worker delle attività si è fermato" not in errors.decode()
