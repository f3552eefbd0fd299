"""The audit log is kept five years (docs/privacy.md): the database now lets entries older than that go.

Migrations 0002 (PostgreSQL) and 0003 (SQLite) refused every UPDATE and DELETE. UPDATE is still
refused; DELETE is refused for every entry younger than 60 months (with one day's slack for the
clocks of the application and the database), so that the nightly retention task
(`privacy.retention`, through `audit.drop_expired`) can delete what has been kept long enough, and
no path at all can delete a younger entry. A deployment may keep the log longer
(`TRAMA_RETENTION_MONTHS`), never shorter: `retention.AUDIT_FLOOR_MONTHS` is this same 60.
"""

from django.db import migrations

FLOOR = "60 months"

PG_UP = f"""
CREATE OR REPLACE FUNCTION privacy_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '{FLOOR}' + interval '1 day' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
"""
PG_DOWN = """
CREATE OR REPLACE FUNCTION privacy_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_ABORT = "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"
SQLITE_UP = ("CREATE TRIGGER privacy_audit_no_delete BEFORE DELETE ON privacy_auditentry "
             f"WHEN OLD.at >= datetime('now', '-{FLOOR}', '+1 day') {SQLITE_ABORT}")
SQLITE_DOWN = f"CREATE TRIGGER privacy_audit_no_delete BEFORE DELETE ON privacy_auditentry {SQLITE_ABORT}"


def _replace(schema_editor, postgresql, sqlite):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS privacy_audit_no_delete")
        schema_editor.execute(sqlite)


def let_old_entries_go(apps, schema_editor):
    _replace(schema_editor, PG_UP, SQLITE_UP)


def keep_every_entry(apps, schema_editor):
    _replace(schema_editor, PG_DOWN, SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0007_audit_names_accounts_by_id")]
    operations = [migrations.RunPython(let_old_entries_go, keep_every_entry)]
