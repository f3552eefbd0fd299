import datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from trama.people.models import Role
from trama.privacy import audit
from trama.privacy.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(users):
    return audit.record(users[Role.WORKER], audit.Action.READ, users[Role.CITIZEN], reason="prova")


def test_an_entry_cannot_be_changed(entry):
    entry.reason = "cambiato"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "prova"


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_update_and_delete_are_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="cambiato")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "prova"


@pytest.mark.parametrize(
    "sql",
    ["UPDATE privacy_auditentry SET reason = 'cambiato'", "DELETE FROM privacy_auditentry", "DELETE FROM privacy_auditentry WHERE reason = 'prova'"],
)
def test_the_database_refuses_any_update_or_delete_even_in_raw_sql(entry, sql):
    """A trigger on PostgreSQL (migration 0002), two on SQLite (migration 0003)."""
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).reason == "prova"


def test_refused_access_is_audited(client, users):
    client.force_login(users[Role.CITIZEN])
    response = client.get(reverse("privacy:audit"))
    assert response.status_code == 403
    denied = AuditEntry.objects.get(action=AuditEntry.Action.DENIED)
    assert denied.actor == users[Role.CITIZEN]
    assert denied.path == reverse("privacy:audit")


@pytest.mark.parametrize("role", [Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_audit_log_is_for_coordinators_only(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("privacy:audit")).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("privacy:audit"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DENIED).exists()


def test_audit_log_shows_times_in_utc(client, users, entry):
    client.force_login(users[Role.COORDINATOR])
    body = client.get(reverse("privacy:audit")).content.decode()
    assert entry.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S") in body
    assert timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S") not in body
    assert users[Role.WORKER].username in body


def test_audit_log_is_never_cached(client, users):
    client.force_login(users[Role.COORDINATOR])
    assert "no-store" in client.get(reverse("privacy:audit"))["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_the_test_suites_flush_empties_the_log_and_leaves_it_append_only(users):
    audit.record(users[Role.WORKER], audit.Action.READ, users[Role.CITIZEN], reason="prova")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    entry = audit.record(None, audit.Action.READ, object_type="people.person", object_id="1")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM privacy_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="migration 0003 acts on SQLite only")
@pytest.mark.django_db(transaction=True)
def test_the_sqlite_triggers_migration_is_reversible():
    def triggers():
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'privacy_auditentry'")
            return sorted(name for (name,) in cursor.fetchall())

    assert triggers() == ["privacy_audit_no_delete", "privacy_audit_no_update"]
    try:
        call_command("migrate", "privacy", "0002", verbosity=0)
        assert triggers() == []
    finally:
        call_command("migrate", verbosity=0)
    assert triggers() == ["privacy_audit_no_delete", "privacy_audit_no_update"]


def test_a_page_of_a_list_is_one_entry_naming_the_ids_shown(rf, users):
    request = rf.get("/mercato/richieste/")
    request.user = users[Role.WORKER]
    [entry] = audit.record_page(request, "market.need", [3, 1, 2], "elenco richieste")
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.actor, entry.action, entry.object_type, entry.path) == (users[Role.WORKER], "read", "market.need", "/mercato/richieste/")
    assert entry.reason == "elenco richieste: 3,1,2" and audit.ids_named(entry) == ["3", "1", "2"]


def test_an_empty_page_is_not_recorded(rf, users):
    request = rf.get("/")
    request.user = users[Role.WORKER]
    assert audit.record_page(request, "market.need", [], "elenco richieste") == []
    assert not AuditEntry.objects.exists()


def test_a_long_page_keeps_every_id_in_one_insert(rf, users):
    request = rf.get("/")
    request.user = users[Role.WORKER]
    ids = list(range(10_000_000, 10_000_100))
    with CaptureQueriesContext(connection) as queries:
        audit.record_page(request, "market.need", ids, "elenco richieste")
    assert len(queries) == 1
    entries = AuditEntry.objects.order_by("pk")
    assert len(entries) > 1 and all(len(e.reason) <= 300 for e in entries)
    assert [int(pk) for e in entries for pk in audit.ids_named(e)] == ids


def test_the_log_names_records_and_statuses_in_words_not_codes(client, users, make_person):
    from trama.market.services import record_need, set_need_status

    worker = users[Role.WORKER]
    need = record_need(person=make_person(), text="Una spesa", neighbourhood=worker.neighbourhoods.get(), urgency="low", by=worker)
    with translation.override("en"):  # whoever acts, the log keeps the programme's language
        set_need_status(need, "withdrawn", by=worker)
    client.force_login(users[Role.COORDINATOR])
    page = client.get(reverse("privacy:audit")).content.decode()
    assert f"richiesta n. {need.pk}" in page and "richiesta: Ritirata" in page
    assert "market.need" not in page and "withdrawn" not in page


@pytest.mark.django_db(transaction=True)
def test_entries_written_before_name_their_account_by_id_once_migrated(users):
    account = users[Role.CITIZEN]
    old = AuditEntry(actor=account, actor_label=account.username, action=AuditEntry.Action.LOGIN)
    old.save()
    restore = AuditEntry(actor_label="mario.rossi (manage.py restore)", action=AuditEntry.Action.RESTORE)
    restore.save()
    try:
        call_command("migrate", "privacy", "0006", verbosity=0)
    finally:
        call_command("migrate", verbosity=0)
    assert AuditEntry.objects.get(pk=old.pk).actor_label == f"account-{account.pk}"
    assert AuditEntry.objects.get(pk=restore.pk).actor_label == "mario.rossi (manage.py restore)"
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_auditentry SET actor_label = 'x'")
