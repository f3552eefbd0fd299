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


# -- honest lists (issue 17) -----------------------------------------------------------------


def test_a_person_s_own_offer_is_never_proposed_for_her_own_need(make_offer, make_need, make_person):
    gianna, aldo = make_person(name="Gianna"), make_person(name="Aldo")
    lesson = make_offer("Insegno a fare i tortelli di erbetta", "", person=gianna)
    other_lesson = make_offer("Lezione di tortelli in parrocchia", "")
    ride = make_offer("Un passaggio in auto per le visite", "", person=aldo)
    assert [c.offer for c in ranked_offers(make_need(text="Vorrei imparare a fare i tortelli di erbetta", person=gianna))] == [other_lesson]
    assert ranked_offers(make_need(text="Mi serve un passaggio in auto per le visite", person=aldo)) == []
    # The same offers do answer somebody else.
    assert lesson in [c.offer for c in ranked_offers(make_need(text="Vorrei imparare a fare i tortelli"))]
    assert ride in [c.offer for c in ranked_offers(make_need(text="Un passaggio in auto per le visite"))]


def _demo_city():
    from trama.collective.demo import load_demo as load_collective
    from trama.market.demo import load_demo
    from trama.people.demo import create_demo_accounts
    from trama.territory.demo import load_demo_territory

    city = load_demo_territory()
    create_demo_accounts(city)
    load_demo(city)
    load_collective(city)
    return city


def test_in_the_demo_city_no_need_meets_its_own_person_and_the_right_answers_stay():
    from trama.market.models import Need

    _demo_city()
    best = {}
    for need in Need.objects.select_related("person", "neighbourhood"):
        ranked = ranked_offers(need)
        assert all(c.offer.person_id != need.person_id for c in ranked), need.person.display_name
        best[need.person.display_name] = [c.offer.title for c in ranked]
    # Rosa's own offer (reading aloud to children) was proposed to her for being in her neighbourhood.
    assert best["Rosa (demo)"] == ["Aiuto con le pratiche e lo smartphone"]
    assert best["Gino (demo)"] == ["Accompagniamo a fare la spesa", "Pacchi di spesa solidale"]
    # "aiuto" alone does not make the smartphone desk an answer to homework.
    assert best["Amina (demo)"] == ["Doposcuola e compiti insieme"]
    assert all(
        titles[:1] == ["Accompagniamo a fare la spesa"]
        for name, titles in best.items()
        if name in ("Ada (demo)", "Bruno (demo)", "Carla (demo)", "Dario (demo)", "Elena (demo)", "Franco (demo)")
    )


def test_being_in_the_same_neighbourhood_alone_never_makes_an_offer_an_answer(make_offer, make_need, other_neighbourhood):
    make_offer("Sala parrocchiale per feste e pranzi", "", kind="space", days=Weekday.MONDAY, slots=Slot.MORNING)
    make_offer("Corso di chitarra", "", kind="time", where=[other_neighbourhood])
    need = make_need(text="Medicine e spesa a casa", kind="time", days=Weekday.MONDAY, slots=Slot.MORNING)
    assert ranked_offers(need, adjacent=[other_neighbourhood.pk]) == []


def test_one_common_word_below_the_minimum_relevance_is_not_an_answer(make_offer, make_need):
    from trama.market.demo import OFFERS
    from trama.market.index import index_for
    from trama.market.queries import MIN_TEXT

    offers = {title: make_offer(title, description, kind=kind, days=days, slots=slots) for _org, kind, title, description, days, slots in OFFERS}
    need = make_need(text="Mio figlio ha bisogno di aiuto con i compiti di matematica.")
    assert [c.offer.title for c in ranked_offers(need)] == ["Doposcuola e compiti insieme"]
    index = index_for(need.city_id)
    desk = index.row_of[offers["Aiuto con le pratiche e lo smartphone"].pk]
    assert 0 < index.text_scores(need.search_tokens)[desk] < MIN_TEXT  # "aiuto" is shared, and is not enough


def test_place_and_time_add_to_an_offer_that_already_shares_words(make_offer, make_need, other_neighbourhood):
    far = make_offer("Compagnia per una passeggiata", "", where=[other_neighbourhood])
    near = make_offer("Compagnia per una passeggiata", "", days=Weekday.TUESDAY, slots=Slot.MORNING)
    ranked = ranked_offers(make_need(text="Compagnia per una passeggiata", days=Weekday.TUESDAY, slots=Slot.MORNING))
    assert [c.offer for c in ranked] == [near, far]
    assert ranked[0].score > ranked[1].score and ranked[1].parts["text"] == pytest.approx(ranked[0].parts["text"])


def test_an_offer_declined_for_a_need_is_not_proposed_again_for_that_need_only(users, make_offer, make_need):
    offer = make_offer("Accompagno a fare la spesa", "")
    need, other_need = make_need(), make_need()
    match = services.propose_match(need=need, offer=offer, by=users[Role.WORKER])
    services.answer_match(match, side="need", yes=False, by=users[Role.WORKER])
    assert ranked_offers(need) == []
    assert [c.offer for c in ranked_offers(other_need)] == [offer]


def test_proposing_again_a_declined_or_the_person_s_own_offer_is_refused(users, make_offer, make_need, make_person):
    from django.core.exceptions import ValidationError

    from trama.market.models import Match

    gianna = make_person(name="Gianna")
    own = make_offer("Insegno a fare i tortelli", "", person=gianna)
    with pytest.raises(ValidationError, match="stessa persona"):
        services.propose_match(need=make_need(text="Imparare a fare i tortelli", person=gianna), offer=own, by=users[Role.WORKER])
    offer, need = make_offer(), make_need()
    services.answer_match(services.propose_match(need=need, offer=offer, by=users[Role.WORKER]), side="need", yes=False, by=users[Role.WORKER])
    with pytest.raises(ValidationError, match="rifiutata"):
        services.propose_match(need=need, offer=offer, by=users[Role.WORKER])
    assert Match.objects.count() == 1


def _ended_well(offer, make_need, times=1):
    from trama.market.models import Match

    for _ in range(times):
        Match.objects.create(need=make_need(text="Una mano il sabato"), offer=offer, status=Match.Status.DONE)


def test_offers_whose_matches_ended_well_rank_a_little_higher(make_offer, make_need):
    plain = make_offer("Accompagno a fare la spesa", "", capacity=10)
    proven = make_offer("Accompagno a fare la spesa", "", capacity=10)
    need = make_need(text="Qualcuno che mi accompagni a fare la spesa")
    assert [c.offer for c in ranked_offers(need)] == [plain, proven]  # equal: the order of the index
    _ended_well(proven, make_need)
    ranked = ranked_offers(need)
    assert [c.offer for c in ranked] == [proven, plain]
    assert 0 < ranked[0].score - ranked[1].score <= 0.06


def test_the_outcome_bonus_is_bounded_and_never_beats_a_clearly_better_answer(make_offer, make_need):
    from trama.market.queries import OUTCOME_CAP

    better = make_offer("Accompagno a fare la spesa al mercato il sabato", "")
    popular = make_offer("Spesa al mercato", "Pacchi di generi alimentari", capacity=20)
    _ended_well(popular, make_need, times=10)
    ranked = ranked_offers(make_need(text="Qualcuno che mi accompagni a fare la spesa al mercato il sabato"))
    assert [c.offer for c in ranked] == [better, popular]
    assert ranked[1].parts["outcome"] == OUTCOME_CAP


def test_each_proposal_explains_itself_in_one_line_with_the_person_s_own_words(make_offer, make_need, other_neighbourhood):
    offer = make_offer(
        "Accompagno a fare la spesa",
        "Porto le borse pesanti a casa",
        where=[other_neighbourhood],
        days=Weekday.SATURDAY | Weekday.WEDNESDAY,
        slots=Slot.MORNING,
        capacity=5,
    )
    _ended_well(offer, make_need)
    need = make_need(
        text="Non riesco a portare le borse della spesa, mi serve qualcuno il sabato mattina",
        days=Weekday.SATURDAY,
        slots=Slot.MORNING | Slot.AFTERNOON,
    )
    line = ranked_offers(need, adjacent=[other_neighbourhood.pk])[0].explanation
    assert line.startswith("Parole in comune: ") and "\n" not in line
    shared = line.removeprefix("Parole in comune: ").split(";")[0].split(", ")
    assert 2 <= len(shared) <= 3 and set(shared) <= {"portare", "borse", "spesa"}  # her words, not stems ("port", "bors")
    assert "serve un quartiere vicino" in line
    assert "disponibile sabato di mattina, come serve" in line
    assert "ha già aiutato bene un'altra persona" in line
    assert "time" not in line and "saturday" not in line.lower()
