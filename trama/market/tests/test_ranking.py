import pytest

from trama.market import services
from trama.market.models import Slot, Weekday
from trama.market.queries import ranked_offers
from trama.people.models import Role

pytestmark = pytest.mark.django_db


def test_the_offer_that_says_the_same_thing_comes_first_and_says_why(make_offer, make_need):
    make_offer("Lezioni di chitarra", "suono e insegno")
    wanted = make_offer("Accompagno a fare la spesa", "il sabato al mercato")
    best = ranked_offers(make_need(text="Qualcuno che mi accompagni a fare la spesa"))[0]
    assert best.offer == wanted
    assert any("spesa" in reason for reason in best.reasons)
    assert "Serve lo stesso quartiere." in best.reasons


def test_stemming_matches_different_forms_of_a_word(make_offer, make_need):
    offer = make_offer("Ripetizioni di matematica", "")
    assert ranked_offers(make_need(text="ripetizione matematiche per mio figlio"))[0].offer == offer


def test_same_neighbourhood_ranks_above_another(make_offer, make_need, other_neighbourhood):
    far = make_offer("Spesa a domicilio", "", where=[other_neighbourhood])
    near = make_offer("Spesa a domicilio", "")
    ranked = [c.offer for c in ranked_offers(make_need(text="spesa"))]
    assert ranked.index(near) < ranked.index(far)


def test_availability_overlap_counts(make_offer, make_need):
    saturday = make_offer("Compagnia", "", days=Weekday.SATURDAY, slots=Slot.MORNING)
    monday = make_offer("Compagnia", "", days=Weekday.MONDAY, slots=Slot.EVENING)
    ranked = ranked_offers(make_need(text="compagnia", days=Weekday.SATURDAY, slots=Slot.MORNING))
    assert [c.offer for c in ranked][:2] == [saturday, monday]


def test_paused_and_withdrawn_offers_are_not_candidates_and_changes_are_seen(users, make_offer, make_need):
    offer = make_offer("Spesa", "")
    need = make_need(text="spesa")
    assert [c.offer for c in ranked_offers(need)] == [offer]
    services.set_offer_status(offer, "paused", by=users[Role.WORKER])
    assert ranked_offers(need) == []
    services.set_offer_status(offer, "open", by=users[Role.WORKER])
    assert [c.offer for c in ranked_offers(need)] == [offer]


def test_an_offer_added_after_the_index_was_built_is_found(make_offer, make_need):
    need = make_need(text="un passaggio in auto")
    assert ranked_offers(need) == [] or all("auto" not in c.offer.title for c in ranked_offers(need))
    offer = make_offer("Passaggio in auto per visite", "")
    assert ranked_offers(need)[0].offer == offer


def test_moving_an_offer_to_another_neighbourhood_is_seen(users, make_offer, make_need, other_neighbourhood):
    offer = make_offer("Spesa", "")
    need = make_need(text="spesa")
    assert ranked_offers(need)[0].parts["place"] == 1
    services.update_offer(offer, by=users[Role.WORKER], neighbourhoods=[other_neighbourhood])
    assert ranked_offers(need)[0].parts["place"] == 0


def _indexed_ids(need):
    from trama.market.index import index_for

    index = index_for(need.city_id)
    return set(index.ids[index.alive].tolist())


def test_a_deleted_offer_leaves_the_index(make_offer, make_need):
    kept, deleted = make_offer("Spesa al mercato", ""), make_offer("Spesa a domicilio", "")
    need = make_need(text="spesa")
    assert {kept.pk, deleted.pk} <= _indexed_ids(need)
    deleted_pk = deleted.pk
    deleted.delete()
    assert kept.pk in _indexed_ids(need) and deleted_pk not in _indexed_ids(need)
    assert [c.offer for c in ranked_offers(need)] == [kept]


def test_the_freshness_check_reads_two_maxima_and_a_counter_never_a_count_of_the_offers(make_offer, make_need):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trama.market.index import index_for

    make_offer("Spesa al mercato", "")
    need = make_need(text="spesa")
    ranked_offers(need)
    built_at = index_for(need.city_id).built_at
    with CaptureQueriesContext(connection) as queries:
        index_for(need.city_id)
    sql = [q["sql"].upper() for q in queries]
    assert len(sql) == 2 and "MAX(" in sql[0] and "MARKET_OFFERDELETIONS" in sql[1]
    assert not any("COUNT(" in q for q in sql)
    assert index_for(need.city_id).built_at == built_at  # nothing changed: nothing rebuilt
