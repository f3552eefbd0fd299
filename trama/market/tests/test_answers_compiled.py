"""Statements compiled once for every list of answers (issue 17, speed on PostgreSQL): the services' read
(people.queries.service_rows, the organisations' rule compiled once per condition), the offers' history
and the winners' read (market.queries._history, _read_offers). They must read exactly what the querysets
they replace read, for every role, and see every change at the next list: only the compilation is kept,
never an answer."""

import pytest
from django.contrib.auth.models import AnonymousUser

from trama.market import queries
from trama.market.answers import ranked_answers
from trama.market.models import Match, Offer
from trama.market.queries import _history, _read_offers
from trama.people.models import Membership, Role, Service
from trama.people.queries import SERVICE_ROW, _compiled_rules, service_rows
from trama.territory.models import City

pytestmark = pytest.mark.django_db

LUNCH = "Cerco un pranzo caldo in compagnia"


def _services(user, city, pks):
    return {row[0] for row in service_rows(user, city.pk, pks)}


def _every_service(city):
    return list(Service.objects.values_list("pk", flat=True)), set(Service.objects.filter(organisation__city=city).values_list("pk", flat=True))


def test_the_services_read_says_what_the_organisations_rule_says_for_every_role(
    users,
    make_user,
    city,
    services_everywhere,
    services_by_rule,
    neighbourhood,
    other_neighbourhood,
):
    everything, of_city = _every_service(city)
    far = City.objects.get(slug="altrove")
    accounts = [
        *users.values(),
        make_user(Role.WORKER, [other_neighbourhood]),
        make_user(Role.WORKER, [neighbourhood, other_neighbourhood]),
        make_user(Role.WORKER, []),
        make_user(Role.COORDINATOR, city=far),
        make_user(Role.WORKER, [neighbourhood], is_active=False),
        AnonymousUser(),
    ]
    for _round in range(2):  # the second with every rule already compiled
        for account in accounts:
            expected = services_by_rule(account, city.pk)
            assert _services(account, city, everything) == expected, account
            assert _services(account, city, everything[:2]) == expected & set(everything[:2]), account
        # Without a user: every service of the city, never another city's.
        assert _services(None, city, everything) == of_city and services_everywhere["far"].pk not in of_city
    assert service_rows(users[Role.COORDINATOR], city.pk, []) == []
    # Someone who may see no organisation: nothing read (the citizen's role sees none).
    assert _services(users[Role.CITIZEN], city, everything) == set()


def test_a_service_s_row_carries_what_its_answer_shows(city, services_everywhere):
    service = services_everywhere["here"]
    (row,) = service_rows(None, city.pk, [service.pk])
    named = dict(zip(SERVICE_ROW, row, strict=True))
    assert named["pk"] == service.pk and named["name"] == service.name and named["description"] == service.description
    assert named["organisation_id"] == service.organisation_id and named["organisation_name"] == service.organisation.name
    assert named["place_id"] == service.place_id and named["place_name"] == service.place.name
    assert named["place_neighbourhood_id"] == service.place.neighbourhood_id


def test_a_new_membership_and_a_new_neighbourhood_reach_the_next_list(users, make_need, services_everywhere, neighbourhood):
    need = make_need(text=LUNCH)
    partner, worker = users[Role.PARTNER], users[Role.WORKER]
    s = {k: v.pk for k, v in services_everywhere.items()}

    def shown(user):
        return {a.target_id for a in ranked_answers(need, for_user=user) if a.kind == Match.Kind.SERVICE}

    assert shown(partner) == {s["other"]}
    assert _compiled_rules, "the partner's rule was compiled and kept"
    Membership.objects.create(organisation=services_everywhere["third"].organisation, account=partner)
    assert shown(partner) == {s["other"], s["third"]}
    Membership.objects.filter(organisation=services_everywhere["other"].organisation, account=partner).delete()
    assert shown(partner) == {s["third"]}

    assert shown(worker) == {s["here"], s["both"], s["anywhere"]}
    services_everywhere["third"].organisation.neighbourhoods.add(neighbourhood)
    services_everywhere["here"].organisation.neighbourhoods.clear()  # now one with none yet: anyone's
    services_everywhere["anywhere"].organisation.neighbourhoods.add(services_everywhere["other"].organisation.neighbourhoods.first())
    assert shown(worker) == {s["here"], s["both"], s["third"]}


def test_the_winners_read_makes_the_offers_the_queryset_makes(make_offer, make_person, organisation, django_assert_num_queries):
    offers = [make_offer("Accompagno a fare la spesa", person=make_person()), make_offer("Porto i pacchi", organisation=organisation)]
    pks = [o.pk for o in offers]
    for _round in range(2):  # compiled, then reused
        read = {o.pk: o for o in _read_offers(pks)}
        expected = {o.pk: o for o in Offer.objects.filter(pk__in=pks).select_related("organisation", "person")}
        assert read.keys() == expected.keys()
        for pk, offer in read.items():
            fields = [f.attname for f in Offer._meta.concrete_fields]
            assert [getattr(offer, f) for f in fields] == [getattr(expected[pk], f) for f in fields]
            with django_assert_num_queries(0):
                assert offer.organisation == expected[pk].organisation and offer.person == expected[pk].person
                assert offer.remaining == expected[pk].remaining and offer.get_absolute_url() == expected[pk].get_absolute_url()
    # A change after the statement was compiled is read.
    Offer.objects.filter(pk=pks[0]).update(status=Offer.Status.WITHDRAWN, title="Chiusa")
    changed = {o.pk: o for o in _read_offers(pks)}
    assert changed[pks[0]].status == Offer.Status.WITHDRAWN and changed[pks[0]].title == "Chiusa"
    assert _read_offers([]) == [] and _read_offers([pks[1]])[0].organisation == organisation


def test_a_statement_compiled_on_another_connection_is_compiled_again(make_offer, make_person):
    """The statements are kept by the id of the thread's connection; a finished thread's connection may leave
    its id to a new one's, and a statement of the old connection must not be used on the new."""
    from django.db import connections

    offer = make_offer("Accompagno a fare la spesa", person=make_person())
    _read_offers([offer.pk])
    key = next(k for k in queries._offers_read if k == (id(connections["default"]), 1))
    stale = connections["default"].copy()
    queries._offers_read[key].compiler.connection = stale
    try:
        assert [o.pk for o in _read_offers([offer.pk])] == [offer.pk]
        assert queries._offers_read[key].compiler.connection is connections["default"]
    finally:
        stale.close()


def test_the_history_reads_the_need_s_declined_offers_and_the_offers_concluded_matches(make_offer, make_need):
    offers = [make_offer(f"Accompagno a fare la spesa {n}") for n in range(3)]
    need, other = make_need(), make_need(text="Una mano il sabato")
    pks = [o.pk for o in offers]
    assert _history(need, pks) == (set(), {})
    Match.objects.create(need=need, offer=offers[0], status=Match.Status.DECLINED)
    Match.objects.create(need=other, offer=offers[1], status=Match.Status.DECLINED)  # another need's: not this one's
    for _ in range(2):
        Match.objects.create(need=other, offer=offers[2], status=Match.Status.DONE)
    assert _history(need, pks) == ({offers[0].pk}, {offers[2].pk: 2})
    # Only the offers asked about: a declined offer outside them is not counted.
    assert _history(need, pks[1:]) == (set(), {offers[2].pk: 2})
    assert _history(need, []) == (set(), {})
