"""On PostgreSQL the offers' and needs' word search can use the full-text GIN indexes (migration 0002)."""

import pytest
from django.db import connection

from trama.market.models import Need, Offer
from trama.market.queries import search_needs, search_offers

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text indexes exist on PostgreSQL only"),
]


@pytest.fixture
def no_seqscan():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: make the planner show what it could use


def test_the_offers_search_can_be_answered_from_the_full_text_index(no_seqscan):
    assert "market_offer_fts" in search_offers(Offer.objects.all(), q="spesa").explain()


def test_the_needs_search_can_be_answered_from_the_full_text_index(no_seqscan):
    assert "market_need_fts" in search_needs(Need.objects.all(), q="spesa").explain()
