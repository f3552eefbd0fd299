"""On SQLite too the database itself refuses to update or delete audit entries.

Migration 0002 gave PostgreSQL its trigger; SQLite gets two (BEFORE UPDATE, BEFORE DELETE)
that abort the statement, whatever path it takes (ORM, raw SQL, the sqlite3 shell).

What may still remove audit rows, on purpose and in the open:
- nothing in the application: there is no retention of the audit log (docs/deploy.md);
- `manage.py restore` puts a whole backup back (page by page on SQLite) and then records the
  restore itself in the audit log, with what the log held before;
- the test suite empties tables between transactional tests: on PostgreSQL with TRUNCATE,
  on SQLite by dropping these triggers, emptying and recreating them in one transaction
  (trama.privacy.append_only, installed by conftest.py only).

SQLite drops a table's triggers with the table: a later migration that makes Django rebuild
privacy_auditentry on SQLite must create them again (test_audit checks that they exist).
"""

from django.db import migrations

TRIGGERS = {
    "privacy_audit_no_update": "BEFORE UPDATE",
    "privacy_audit_no_delete": "BEFORE DELETE",
}


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name, when in TRIGGERS.items():
            schema_editor.execute(
                f"CREATE TRIGGER {name} {when} ON privacy_auditentry "
                "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"
            )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_audit_append_only_trigger")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
