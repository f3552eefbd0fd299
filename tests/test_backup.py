"""`manage.py backup` and `manage.py restore` (behind `make backup` / `make restore`) give back every row.

Runs on the configured database: PostgreSQL (pg_dump/pg_restore) in CI, SQLite otherwise.
"""

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from trama.attention.models import Signal
from trama.market.models import Need, Offer
from trama.people.models import Person, Role
from trama.privacy import audit, erasure
from trama.privacy.models import AuditEntry, ErasureRequest

pytestmark = pytest.mark.django_db(transaction=True)  # the tools run in other processes: data must be committed


def every_row():
    """Each table's rows, sorted by all their columns: what must come back identical."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            width = len(cursor.description)
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY {', '.join(str(i + 1) for i in range(width))}")
            tables[table] = cursor.fetchall()
    return tables


def test_restore_gives_back_every_row_of_every_table_after_changes_and_deletions(tmp_path):
    call_command("generate_city", residents=4000, years=1, seed=3, stdout=io.StringIO())
    audit.record(None, audit.Action.READ, object_type="people.person", object_id="1", reason="prima del backup")
    before = every_row()
    assert sum(len(rows) for rows in before.values()) > 500 and before["privacy_auditentry"]

    backup = tmp_path / "trama.backup"
    call_command("backup", output=str(backup), stdout=io.StringIO())
    assert backup.stat().st_size > 0

    person = Person.objects.order_by("pk").first()
    person.display_name = "Cambiato dopo il backup"
    person.save()
    Offer.objects.filter(pk__in=list(Offer.objects.values_list("pk", flat=True)[:5])).delete()
    Signal.objects.filter(pk=Signal.objects.order_by("pk").first().pk).delete()
    audit.record(None, audit.Action.READ, object_type="people.person", object_id="2", reason="dopo il backup")
    assert every_row() != before

    call_command("restore", str(backup), interactive=False, stdout=io.StringIO())

    after = every_row()
    assert after.keys() == before.keys()
    for table in before:
        if table != "privacy_auditentry":
            assert after[table] == before[table], table
    # The audit log is the backup's, plus the restore itself.
    restore = AuditEntry.objects.get(action=AuditEntry.Action.RESTORE)
    assert not AuditEntry.objects.filter(reason="dopo il backup").exists()  # written after the backup: gone
    assert sorted(after["privacy_auditentry"]) == sorted(
        before["privacy_auditentry"] + [row for row in after["privacy_auditentry"] if row[0] == restore.pk]
    )
    # The sequences came back too: new rows get fresh ids, and the audit log is still append-only.
    entry = audit.record(None, audit.Action.READ, object_type="people.person", object_id="3", reason="dopo il ripristino")
    assert entry.pk > max(pk for pk, *_ in before["privacy_auditentry"])
    with pytest.raises(Exception, match="append-only"):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM privacy_auditentry")


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path):
    audit.record(None, audit.Action.READ, object_type="people.person", object_id="1", reason="prima")
    before = every_row()
    bogus = tmp_path / "bogus.dump"
    bogus.write_text("not a backup")
    with pytest.raises(CommandError):
        call_command("restore", str(bogus), interactive=False, stdout=io.StringIO())
    assert every_row() == before and AuditEntry.objects.count() == 1


def test_backups_are_private_files_in_a_private_directory(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("backup", stdout=io.StringIO())
    [backup] = (tmp_path / "backups").iterdir()
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    assert backup.stat().st_mode & 0o777 == 0o600 and backup.stat().st_size > 0


def test_restore_records_itself_and_what_the_log_held_before_in_the_restored_log(tmp_path):
    audit.record(None, audit.Action.READ, object_type="people.person", object_id="1", reason="prima del backup")
    backup = tmp_path / "trama-prova.sqlite3"
    call_command("backup", output=str(backup), stdout=io.StringIO())
    for n in range(3):
        audit.record(None, audit.Action.READ, object_type="people.person", object_id=str(n), reason="dopo il backup")
    count, last = AuditEntry.objects.count(), AuditEntry.objects.order_by("-pk").first()

    call_command("restore", str(backup), interactive=False, operator="mario.rossi", stdout=io.StringIO())

    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry.action == AuditEntry.Action.RESTORE and entry.actor is None
    assert entry.actor_label == "mario.rossi (manage.py restore)" and entry.path == "manage.py restore"
    assert entry.object_type == "database" and entry.object_id == hashlib.sha256(backup.read_bytes()).hexdigest()
    assert "trama-prova.sqlite3" in entry.reason
    assert f"prima: {count} voci, l'ultima n. {last.pk} del {last.at:%Y-%m-%dT%H:%M:%SZ}" in entry.reason
    assert "dal backup: 1 voci" in entry.reason
    # The entries written after the backup are gone, and the restore entry says how many there were.
    assert AuditEntry.objects.count() == 2 and entry.pk > last.pk
    assert entry.at >= last.at


def test_restoring_a_backup_taken_before_an_erasure_erases_the_person_again(tmp_path, make_person, make_user, coordinator, city, neighbourhood):
    gino = make_person(name="Ginozq", account=make_user(Role.CITIZEN))
    Need.objects.create(person=gino, city=city, neighbourhood=neighbourhood, text="zqneed cerco compagnia")
    lia = make_person(name="Lia")
    backup = tmp_path / "prima-della-cancellazione.sqlite3"
    call_command("backup", output=str(backup), stdout=io.StringIO())
    erasure.confirm(coordinator, ErasureRequest.objects.create(person=gino, requested_by=coordinator))
    assert Person.objects.get(pk=gino.pk).anonymised_at is not None
    # The ledger outside the database: the pseudonymous id and the date, no name.
    ledger = erasure.ledger_path().read_text()
    assert [set(json.loads(line)) for line in ledger.splitlines()] == [{"person", "erased_at"}]
    assert "Ginozq" not in ledger and oct(erasure.ledger_path().stat().st_mode & 0o777) == oct(0o600)

    out = io.StringIO()
    call_command("restore", str(backup), interactive=False, operator="mario.rossi", stdout=out)

    gino = Person.objects.get(pk=gino.pk)
    assert gino.anonymised_at is not None and gino.display_name == f"cancellata-{gino.pk}"
    assert Need.objects.get(person=gino).text == "" and not gino.account.is_active
    assert Person.objects.get(pk=lia.pk).display_name == "Lia"
    assert "Cancellazioni riapplicate dopo il backup: 1." in out.getvalue()
    again = AuditEntry.objects.get(action=AuditEntry.Action.ERASURE, object_id=str(gino.pk))
    assert again.reason == erasure.REAPPLIED_REASON and again.actor_label == "mario.rossi (manage.py restore)"


def test_restoring_a_backup_taken_after_an_erasure_reapplies_nothing(tmp_path, make_person, coordinator):
    gino = make_person(name="Ginozq")
    erasure.confirm(coordinator, ErasureRequest.objects.create(person=gino, requested_by=coordinator))
    backup = tmp_path / "dopo.sqlite3"
    call_command("backup", output=str(backup), stdout=io.StringIO())
    out = io.StringIO()
    call_command("restore", str(backup), interactive=False, stdout=out)
    assert "Cancellazioni riapplicate dopo il backup: 0." in out.getvalue()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASURE, object_id=str(gino.pk)).count() == 1
