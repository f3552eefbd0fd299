"""Indexes of the people list, and, on PostgreSQL, trigram indexes for the search by name.

The search (`queries.search_people`) filters with `icontains`, which Django turns into
`UPPER(column::text) LIKE UPPER('%…%')` on PostgreSQL: a GIN trigram index on that
exact expression serves it. pg_trgm is a trusted extension (PostgreSQL 13+): the
database owner can create it. On SQLite nothing is created.
"""

from django.db import migrations, models

NAMES = ("display_name", "first_name", "last_name")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in NAMES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS people_person_{column}_trgm ON people_person USING gin "
            f"(UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS people_person_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_person_organisation_consent"),
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["neighbourhood", "display_name"], name="person_list"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["city", "display_name"], name="person_city_list"),
        ),
        migrations.RunPython(create, drop),
    ]
