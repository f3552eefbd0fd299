"""Activities, groups and services ranked from the answers' index (issue 17, speed): a new, changed or
removed record is seen by the next ranking, another city's never enters; the kinds share one scale; and
a worker's ranking of offers applies her scope inside the index, without reading every visible offer."""

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trama.collective import services as collective
from trama.collective.models import Group
from trama.initiatives.models import Initiative
from trama.market import answers, meaning
from trama.market.answers import KIND_SHIFT, calibrate, every_kind, ranked_answers
from trama.market.index import index_for
from trama.market.models import AnswerChanges, Match
from trama.market.queries import _visible_mask, ranked_offers
from trama.market.rules import OFFERS
from trama.market.tasks import _store
from trama.people.models import Organisation, Role, Service
from trama.territory.models import City, Neighbourhood, Place

from .test_answers import LUNCH, make_activity

pytestmark = pytest.mark.django_db


def _ids(need, user, kind):
    return [a.target_id for a in ranked_answers(need, for_user=user) if a.kind == kind]


def test_a_new_group_is_proposed_by_the_next_ranking_and_a_closed_one_no_more(coordinator, city, neighbourhood, make_need):
    need = make_need(text=LUNCH)
    assert _ids(need, coordinator, "group") == []  # the index of groups is built, empty
    group = collective.create_group(city=city, neighbourhood=neighbourhood, name="Pranzi insieme", purpose="Pranzare in compagnia", by=coordinator)
    assert _ids(need, coordinator, "group") == [group.pk]
    group = Group.objects.get(pk=group.pk)
    group.close(note="Finito")
    group.save()
    assert _ids(need, coordinator, "group") == []


def test_a_changed_activity_is_ranked_by_its_new_words_at_once(coordinator, city, neighbourhood, make_need):
    activity = make_activity(coordinator, city, neighbourhood, name="Corso di chitarra", description="Suoniamo insieme")
    need = make_need(text=LUNCH)
    assert _ids(need, coordinator, "activity") == []
    activity = Initiative.objects.get(pk=activity.pk)
    activity.name, activity.description = "Pranzo condiviso", "Si pranza in compagnia"
    activity.save()
    assert _ids(need, coordinator, "activity") == [activity.pk]


def test_an_activity_moved_to_another_neighbourhood_is_scored_by_its_new_place(coordinator, city, neighbourhood, other_neighbourhood, make_need):
    activity = make_activity(coordinator, city, neighbourhood)
    need = make_need(text=LUNCH)
    near = next(a for a in ranked_answers(need, for_user=coordinator) if a.kind == "activity")
    activity.neighbourhoods.set([other_neighbourhood])  # an M2M change: no save of the initiative
    far = next(a for a in ranked_answers(need, for_user=coordinator) if a.kind == "activity")
    assert near.parts["place"] == 1.0 and far.parts["place"] < 1.0 and far.score < near.score


def test_a_deleted_service_is_not_proposed_by_the_next_ranking(coordinator, city, neighbourhood, make_need):
    org = Organisation.objects.create(city=city, name="Mensa", sector=Organisation.Sector.THIRD_SECTOR)
    place = Place.objects.create(neighbourhood=neighbourhood, name="Punto di comunità")
    service = Service.objects.create(organisation=org, name="Pranzo solidale", description="Un pranzo in compagnia", place=place)
    need = make_need(text=LUNCH)
    assert _ids(need, coordinator, "service") == [service.pk]
    service.delete()
    assert _ids(need, coordinator, "service") == []


def test_a_stored_meaning_vector_reaches_the_index_though_update_sends_no_signal(coordinator, city, neighbourhood, make_need):
    group = collective.create_group(city=city, neighbourhood=neighbourhood, name="Pranzi insieme", purpose="Pranzare in compagnia", by=coordinator)
    need = make_need(text=LUNCH)
    ranked_answers(need, for_user=coordinator)
    before = AnswerChanges.objects.get(source="group").count
    vector = meaning.vector_of(np.ones(meaning.DIMENSIONS, dtype=np.float32))
    assert _store(Group, group, vector, touch=False) == 1
    assert AnswerChanges.objects.get(source="group").count == before + 1
    from trama.market.answers import _sources
    from trama.market.index import source_index_for

    rows = source_index_for(_sources["group"], city.pk)
    assert rows.has_vector[list(rows.ids).index(group.pk)]


def test_a_change_rolled_back_is_not_counted(coordinator, city, neighbourhood):
    from django.db import transaction

    AnswerChanges.objects.create(source="group", count=5)
    with pytest.raises(RuntimeError), transaction.atomic():
        collective.create_group(city=city, neighbourhood=neighbourhood, name="Pranzi", purpose="Pranzare", by=coordinator)
        raise RuntimeError
    assert AnswerChanges.objects.get(source="group").count == 5


def test_another_city_s_groups_activities_and_services_never_enter_the_index(coordinator, make_user, city, make_need):
    far = City.objects.create(name="Altrove", slug="altrove", centre_lat=45.0, centre_lon=9.0)
    there = Neighbourhood.objects.create(city=far, name="Centro", slug="altrove-centro")
    far_coordinator = make_user(Role.COORDINATOR, city=far)
    group = collective.create_group(city=far, neighbourhood=there, name="Pranzi insieme", purpose="Pranzare in compagnia", by=far_coordinator)
    activity = make_activity(far_coordinator, far, there)
    org = Organisation.objects.create(city=far, name="Mensa", sector=Organisation.Sector.THIRD_SECTOR)
    service = Service.objects.create(organisation=org, name="Pranzo solidale", description="Un pranzo in compagnia")
    need = make_need(text=LUNCH)
    # Unscoped (None: anyone's), as the bench and the notices rank: still only this city's records.
    assert every_kind(need, 10) == []
    from trama.market.answers import _sources
    from trama.market.index import source_index_for

    for name, pk in (("group", group.pk), ("activity", activity.pk), ("service", service.pk)):
        assert pk not in source_index_for(_sources[name], city.pk).ids
        assert pk in source_index_for(_sources[name], far.pk).ids


def test_the_kinds_are_put_on_one_scale_once(coordinator, city, neighbourhood, make_need):
    make_activity(coordinator, city, neighbourhood)
    need = make_need(text=LUNCH)
    (answer,) = [a for a in ranked_answers(need, for_user=coordinator) if a.kind == "activity"]
    assert answer.score == pytest.approx(answer.parts["own_scale"] + KIND_SHIFT[Match.Kind.ACTIVITY])
    assert calibrate(answer).score == pytest.approx(answer.parts["own_scale"] + KIND_SHIFT[Match.Kind.ACTIVITY])


# -- the worker's scope inside the offers' index ----------------------------------------------------


@pytest.fixture
def offers_everywhere(make_offer, make_person, neighbourhood, other_neighbourhood, make_neighbourhood, organisation):
    third = make_neighbourhood("Terzo")
    return {
        "organisation": make_offer("Spesa al mercato con l'associazione"),
        "mine": make_offer("Spesa al mercato insieme", person=make_person(neighbourhood)),
        "other": make_offer("Spesa al mercato il sabato", person=make_person(other_neighbourhood), where=[other_neighbourhood]),
        "both": make_offer("Spesa al mercato e ritorno", person=make_person(third), where=[third, neighbourhood]),
        "third": make_offer("Spesa al mercato vicino", person=make_person(third), where=[third]),
    }


def test_the_worker_s_mask_in_the_index_says_what_the_offers_rule_says(users, make_user, city, offers_everywhere, other_neighbourhood):
    index = index_for(city.pk)
    for worker in (users[Role.WORKER], make_user(Role.WORKER, [other_neighbourhood]), make_user(Role.WORKER, [])):
        mask = _visible_mask(index, worker, city.pk)
        by_rule = set(OFFERS.visible_to(worker).filter(city=city, status="open").values_list("pk", flat=True))
        assert set(index.ids[mask & index.alive].tolist()) == by_rule


def test_a_worker_s_ranking_never_proposes_an_offer_outside_her_neighbourhoods(users, offers_everywhere, make_need):
    need = make_need(text="Mi serve aiuto per la spesa al mercato")
    proposed = {c.offer.pk for c in ranked_offers(need, for_user=users[Role.WORKER], stop=False)}
    mine = {offers_everywhere[k].pk for k in ("organisation", "mine", "both")}
    assert proposed == mine


def test_a_worker_s_ranking_reads_no_list_of_visible_offers(users, coordinator, offers_everywhere, make_need):
    need = make_need(text="Mi serve aiuto per la spesa al mercato")
    ranked_offers(need, for_user=coordinator)  # the index is built
    worker = users[Role.WORKER]
    worker.neighbourhood_ids()  # her scope, read once per request anyway
    with CaptureQueriesContext(connection) as as_coordinator:
        ranked_offers(need, for_user=coordinator)
    with CaptureQueriesContext(connection) as as_worker:
        ranked_offers(need, for_user=worker)
    # The coordinator's mask reads nothing; the worker's, only the index's columns: no more reads.
    assert len(as_worker) == len(as_coordinator)


# -- the services' scope inside the index, and one look at the stamps per list -------------------------


def _service_ids(need, user):
    return {a.target_id for a in ranked_answers(need, for_user=user) if a.kind == Match.Kind.SERVICE}


def test_the_services_pre_filter_in_the_index_says_what_the_organisations_rule_says(
    users, make_user, city, services_everywhere, services_by_rule, neighbourhood, other_neighbourhood
):
    from trama.market.answers import _sources
    from trama.market.index import source_index_for
    from trama.people.rules import services_by_place

    rows = source_index_for(_sources["service"], city.pk)
    workers = (
        users[Role.WORKER],
        make_user(Role.WORKER, [other_neighbourhood]),
        make_user(Role.WORKER, [neighbourhood, other_neighbourhood]),
        make_user(Role.WORKER, []),
    )
    for worker in workers:
        by_rule = services_by_rule(worker, city.pk)
        assert set(rows.ids[rows.serving_mask(services_by_place(worker))].tolist()) == by_rule
    # A worker of no neighbourhood: only the services of organisations that have none yet.
    assert set(rows.ids[rows.serving_mask(services_by_place(workers[-1]))].tolist()) == {services_everywhere["anywhere"].pk}
    # The other roles are read through the rule itself, not pre-filtered.
    for role in (Role.COORDINATOR, Role.PARTNER):
        assert services_by_place(users[role]) is None


def test_a_worker_is_proposed_the_services_she_may_see_and_never_another_s(users, make_user, services_everywhere, make_need, other_neighbourhood):
    need = make_need(text="Cerco un pranzo caldo in compagnia")
    s = {k: v.pk for k, v in services_everywhere.items()}
    assert _service_ids(need, users[Role.WORKER]) == {s["here"], s["both"], s["anywhere"]}
    assert _service_ids(need, make_user(Role.WORKER, [other_neighbourhood])) == {s["other"], s["anywhere"]}
    assert _service_ids(need, users[Role.COORDINATOR]) == {s["here"], s["other"], s["both"], s["third"], s["anywhere"]}
    # The partner: only her own organisation's, through the rule (no pre-filter for her role).
    assert _service_ids(need, users[Role.PARTNER]) == {s["other"]}


def test_a_worker_s_ranking_reads_no_service_she_may_not_see(users, services_everywhere, make_need, monkeypatch):
    from trama.market.answers import _sources

    source = _sources["service"]
    asked = []
    fetch = source.fetch
    monkeypatch.setattr(source, "fetch", lambda need, pks, for_user: asked.extend(pks) or fetch(need, pks, for_user))
    need = make_need(text="Cerco un pranzo caldo in compagnia")
    ranked_answers(need, for_user=users[Role.WORKER])
    s = {k: v.pk for k, v in services_everywhere.items()}
    assert set(asked) == {s["here"], s["both"], s["anywhere"]}


def test_an_organisation_that_starts_working_in_her_neighbourhood_brings_its_services_to_the_next_list(
    users, services_everywhere, make_need, neighbourhood
):
    need = make_need(text="Cerco un pranzo caldo in compagnia")
    third = services_everywhere["third"]
    assert third.pk not in _service_ids(need, users[Role.WORKER])
    third.organisation.neighbourhoods.add(neighbourhood)
    assert third.pk in _service_ids(need, users[Role.WORKER])
    third.organisation.neighbourhoods.clear()  # now an organisation of no neighbourhood: anyone's
    assert third.pk in _service_ids(need, users[Role.WORKER])
    third.organisation.neighbourhoods.set([services_everywhere["far"].place.neighbourhood])
    assert third.pk not in _service_ids(need, users[Role.WORKER])


def test_a_list_of_every_kind_reads_the_stamps_once(users, services_everywhere, make_need):
    need = make_need(text="Cerco un pranzo caldo in compagnia")
    ranked_answers(need, for_user=users[Role.WORKER])  # the indexes are built
    with CaptureQueriesContext(connection) as queries:
        ranked_answers(need, for_user=users[Role.WORKER])
    stamps = [q["sql"] for q in queries if AnswerChanges._meta.db_table in q["sql"] or "offerdeletions" in q["sql"]]
    assert len(stamps) == 1, stamps


def test_a_service_saved_after_one_list_is_in_the_next(users, services_everywhere, make_need, neighbourhood):
    need = make_need(text="Cerco un pranzo caldo in compagnia")
    assert len(_service_ids(need, users[Role.WORKER])) == 3
    org = services_everywhere["here"].organisation
    new = Service.objects.create(organisation=org, name="Pranzo della domenica", description="Un pranzo caldo in compagnia")
    assert new.pk in _service_ids(need, users[Role.WORKER])


def test_a_kind_s_candidates_come_in_the_same_order_however_few_are_put_in_order_first(
    coordinator, city, neighbourhood, other_neighbourhood, make_need, monkeypatch
):
    # Twelve activities of a few scores, with ties (the same words, the same place): candidates() orders only
    # the best ORDERED_FIRST, and the rest when a list gets to them, in the order a full sort gives.
    for i in range(12):
        where = neighbourhood if i % 2 else other_neighbourhood
        make_activity(
            coordinator, city, where, name=f"Pranzo condiviso {i % 3}", description="Si pranza in compagnia" + ", ognuno porta qualcosa" * (i % 3)
        )
    need = make_need(text=LUNCH)
    source = answers._sources["activity"]
    pks, scores, strong, ordered = answers.candidates(source, need)
    assert ordered == len(pks) == 12
    assert len(set(scores.tolist())) < 12  # some tie
    whole = [a.target_id for a in answers.rank_source(source, need, coordinator, 12)]

    monkeypatch.setattr(answers, "ORDERED_FIRST", 3)
    few_pks, few_scores, few_strong, few_ordered = answers.candidates(source, need)
    assert 3 <= few_ordered < 12
    assert few_pks[:few_ordered].tolist() == pks[:few_ordered].tolist()
    assert few_pks.tolist() != pks.tolist()  # the rest is not in order yet
    answers.in_order(few_scores, few_ordered, few_pks, few_strong)
    assert (few_pks.tolist(), few_scores.tolist(), few_strong.tolist()) == (pks.tolist(), scores.tolist(), strong.tolist())
    # A list of the best few reads them in that order too.
    assert [[a.target_id for a in answers.rank_source(source, need, coordinator, n)] for n in range(1, 13)] == [whole[:n] for n in range(1, 13)]
