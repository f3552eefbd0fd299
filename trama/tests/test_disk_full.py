"""A full disk while a report or a person's copy of their data is written: the record says it failed and
no half file is kept. The disk is real and really full: the database is copied onto a tmpfs just larger
than it (so only as root; skipped otherwise)."""

import secrets
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager

import pytest
from django.db import connection

from trama.insights.models import Report
from trama.insights.tasks import build_report
from trama.people.models import Role
from trama.privacy.models import DataExport
from trama.privacy.tasks import build_export

# Room left on the disk: enough for the small updates (progress, status) and their rollback journal,
# not for the file (a PDF report of an empty city is about 100 KB, a copy of a few records about 20 KB).
ROOM = 16 * 1024


@contextmanager
def database_on_a_nearly_full_disk(tmp_path):
    if connection.vendor != "sqlite" or not shutil.which("mount"):
        pytest.skip("a tmpfs holding the SQLite database")
    settings = connection.settings_dict
    original, options = settings["NAME"], settings["OPTIONS"]
    connection.close()
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("mounting a tmpfs needs root")
    try:
        copy = disk / "trama.sqlite3"
        # A compact copy: no free pages left by earlier tests, where the file could go without growing.
        source = sqlite3.connect(original)
        source.execute("VACUUM INTO ?", [str(copy)])
        source.close()
        # Writes in place with a rollback journal, so that only new pages take new room.
        query(copy, "PRAGMA journal_mode=DELETE")
        # Then the disk shrinks to what the database takes, and a little room.
        subprocess.run(["mount", "-o", f"remount,size={copy.stat().st_size + ROOM}", str(disk)], check=True)
        # Not WAL, as the settings ask: its files would take the room the test leaves.
        settings["NAME"], settings["OPTIONS"] = str(copy), {**options, "init_command": "PRAGMA foreign_keys=ON;"}
        yield copy
    finally:
        connection.close()
        settings["NAME"], settings["OPTIONS"] = original, options
        subprocess.run(["umount", str(disk)], check=True)


def query(database, sql):
    db = sqlite3.connect(database)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.close()


def intact(database):
    return query(database, "PRAGMA integrity_check") == "ok"


@pytest.mark.django_db(transaction=True)
def test_a_report_that_does_not_fit_on_the_disk_fails_and_keeps_no_file(city, users, tmp_path):
    report = Report.objects.create(city=city, period="2025", kind=Report.Kind.PDF, requested_by=users[Role.COORDINATOR])

    with database_on_a_nearly_full_disk(tmp_path) as database:
        build_report.call(report.pk)
        report.refresh_from_db()
        assert report.status == Report.Status.FAILED
        assert report.content is None
        assert "full" in report.error  # SQLite's "database or disk is full", in the server's log too
        assert intact(database)


@pytest.mark.django_db(transaction=True)
def test_a_copy_of_a_persons_data_that_does_not_fit_fails_and_keeps_no_file(make_person, users, tmp_path):
    person = make_person()
    export = DataExport.objects.create(person=person, requested_by=users[Role.COORDINATOR], token=secrets.token_urlsafe(32))

    with database_on_a_nearly_full_disk(tmp_path) as database:
        build_export.call(export.pk)
        export.refresh_from_db()
        assert export.status == DataExport.Status.FAILED
        assert export.content is None
        assert intact(database)
