"""The audit log names accounts by their id (`account-<id>`), the entries written before included.

From now on `audit._entry` writes the id, never the username: the log is append-only, and an
account whose person's data are erased (GDPR art. 17) must leave nothing there but its id and
the fact of the erasure. This migration brings the entries written before into line, once: it
lifts the append-only guard for this one UPDATE, inside the migration's transaction, so no other
connection ever sees the log unguarded (PostgreSQL: DISABLE/ENABLE TRIGGER; SQLite: the
triggers of migration 0003 dropped and recreated exactly as they were). Only `actor_label` of
entries with an account changes; entries without one (anonymous visitors, `manage.py restore`)
keep their label. Not reversible: the usernames are what it removes.
"""

from django.db import migrations

RELABEL = "UPDATE privacy_auditentry SET actor_label = 'account-' || actor_id WHERE actor_id IS NOT NULL"


def relabel(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE privacy_auditentry DISABLE TRIGGER privacy_audit_append_only")
            cursor.execute(RELABEL)
            cursor.execute("ALTER TABLE privacy_auditentry ENABLE TRIGGER privacy_audit_append_only")
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'privacy_auditentry'")
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            cursor.execute(RELABEL)
            for _name, sql in triggers:
                cursor.execute(sql)
        else:
            cursor.execute(RELABEL)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0006_erasure_request")]
    operations = [migrations.RunPython(relabel, migrations.RunPython.noop, elidable=False)]
