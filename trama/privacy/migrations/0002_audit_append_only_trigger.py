"""On PostgreSQL the database itself refuses to update or delete audit entries.

Whatever path the change takes (ORM, raw SQL, admin), the trigger raises.
TRUNCATE, a table-level privilege kept from the application's role in
production (see docs/deploy.md), is what the test suite uses to empty tables.
Elsewhere the model's own save() and delete() refuse.
"""

from django.db import migrations

UP = """
CREATE OR REPLACE FUNCTION privacy_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_audit_append_only BEFORE UPDATE OR DELETE ON privacy_auditentry
    FOR EACH ROW EXECUTE FUNCTION privacy_audit_append_only();
"""
DOWN = """
DROP TRIGGER IF EXISTS privacy_audit_append_only ON privacy_auditentry;
DROP FUNCTION IF EXISTS privacy_audit_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UP)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DOWN)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
