"""A full disk while a report or a person's copy of their data is written: the record says it failed and
no half file is kept; while a file is uploaded (to the temporary folder, or into the database): a 503 that
says the disk is full, nothing of the file kept, the data stored before unchanged. The disk is real and
really full: the database is copied onto a tmpfs just larger than it, the temporary folder is a tiny tmpfs
(so only as root; skipped otherwise)."""

import secrets
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from trama.imports.models import Import
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


@contextmanager
def tmpfs(path, size):
    """A real file system of `size` at `path`, unmounted at the end; the test is skipped where it cannot be mounted."""
    path.mkdir()
    if (
        not shutil.which("mount")
        or subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True).returncode
    ):
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield path
    finally:
        # Lazily: pytest's captured log keeps the error (and what its frames held) until the end of the test.
        subprocess.run(["umount", "--lazy", str(path)], check=True)


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


# A list of organisations of about 200 KB: well within the upload limit, far more than the room left.
LIST = "id_esterno;nome;settore;quartieri\n" + "".join(f"E{n};Associazione numero {n};Terzo settore;Borgo Alto\n" for n in range(4000))
DISK_FULL = "Spazio su disco esaurito"


def upload(client):
    return client.post(reverse("imports:upload"), {"kind": "organisations", "file": SimpleUploadedFile("elenco.csv", LIST.encode(), "text/csv")})


@pytest.fixture
def earlier_import(city, coordinator):
    return Import.objects.create(city=city, kind="organisations", filename="prima.csv", requested_by=coordinator, content=b"id_esterno;nome\n")


def unchanged(earlier):
    return list(Import.objects.values_list("pk", "filename", "content")) == [(earlier.pk, "prima.csv", b"id_esterno;nome\n")]


@pytest.mark.django_db(transaction=True)
def test_an_upload_the_database_has_no_room_for_is_refused_with_a_503_and_keeps_nothing(client, coordinator, earlier_import, tmp_path):
    client.force_login(coordinator)
    client.raise_request_exception = False

    with database_on_a_nearly_full_disk(tmp_path) as database:
        response = upload(client)
        assert response.status_code == 503 and response["Retry-After"] == "300"
        assert DISK_FULL in response.content.decode() and "nulla è stato salvato" in response.content.decode()
        assert unchanged(earlier_import)
        assert intact(database)


@pytest.mark.django_db(transaction=True)
def test_an_upload_the_temporary_folder_has_no_room_for_is_refused_with_a_503_and_leaves_no_file(
    client, coordinator, earlier_import, tmp_path, settings
):
    client.force_login(coordinator)
    client.raise_request_exception = False
    with tmpfs(tmp_path / "tmp", "64k") as folder:
        settings.FILE_UPLOAD_TEMP_DIR, settings.FILE_UPLOAD_MAX_MEMORY_SIZE = str(folder), 0  # every upload goes to the disk

        response = upload(client)

        assert response.status_code == 503 and DISK_FULL in response.content.decode()
        assert list(folder.iterdir()) == []
        assert unchanged(earlier_import)
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # with room (in memory), the same upload works
        assert upload(client).status_code == 302 and Import.objects.count() == 2
