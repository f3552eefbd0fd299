"""On PostgreSQL the search of people by name can use its trigram indexes (on SQLite it scans, which is fine)."""

import pytest
from django.db import connection

from trama.people.models import Person
from trama.people.queries import search_people

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"),
]


def test_the_search_by_name_can_be_answered_from_the_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: make the planner show what it could use
    plan = search_people(Person.objects.all(), "sintetica 12").explain()
    for column in ("display_name", "first_name", "last_name"):
        assert f"people_person_{column}_trgm" in plan, plan
