"""GIN indexes for the Italian full-text search of offers and needs: PostgreSQL only.

The expressions are the ones `queries._full_text` builds with SearchVector, so the
planner can use them; on SQLite (icontains search) nothing is created.
"""

from django.db import migrations

OFFER = (
    "CREATE INDEX IF NOT EXISTS market_offer_fts ON market_offer USING gin "
    "(to_tsvector('italian'::regconfig, COALESCE(title, '') || ' ' || COALESCE(description, '')))"
)
NEED = "CREATE INDEX IF NOT EXISTS market_need_fts ON market_need USING gin (to_tsvector('italian'::regconfig, COALESCE(text, '')))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OFFER)
        schema_editor.execute(NEED)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS market_offer_fts")
        schema_editor.execute("DROP INDEX IF EXISTS market_need_fts")


class Migration(migrations.Migration):
    dependencies = [("market", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
