"""The candidates API (issue 17, step 3): every kind of answer for a need, labelled, with the same scope
as the need's page: only staff who may broker the need, only answers they may see, never the person's own
offer; read only (every other method refused, nothing changed); every read audited."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from trama.market.answers import ranked_answers
from trama.market.models import Match, Need
from trama.people.models import Organisation, Role, Service
from trama.privacy.models import AuditEntry
from trama.territory.models import City, Neighbourhood, Place

from .test_answers import LUNCH, make_activity

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def url(need):
    return reverse("api-market-need-candidates", args=[need.pk])


@pytest.fixture
def answers_of_every_kind(coordinator, city, neighbourhood, make_offer):
    from trama.collective import services as collective

    offer = make_offer("Pranzo in compagnia", description="Cucino per due e pranziamo insieme")
    activity = make_activity(coordinator, city, neighbourhood)
    group = collective.create_group(city=city, neighbourhood=neighbourhood, name="Pranzi insieme", purpose="Pranzare in compagnia", by=coordinator)
    org = Organisation.objects.create(city=city, name="Mensa di quartiere", sector=Organisation.Sector.THIRD_SECTOR)
    org.neighbourhoods.add(neighbourhood)
    place = Place.objects.create(neighbourhood=neighbourhood, name="Punto di comunità")
    service = Service.objects.create(
        organisation=org, name="Pranzo solidale", description="Un pranzo caldo in compagnia", opening_hours="lunedì-venerdì 12-14", place=place
    )
    return {"offer": offer.pk, "activity": activity.pk, "group": group.pk, "service": service.pk}


def test_every_kind_comes_labelled_and_explained_as_on_the_page(users, make_need, answers_of_every_kind):
    need = make_need(text=LUNCH)
    worker = users[Role.WORKER]
    response = api(worker).get(url(need))
    assert response.status_code == 200
    rows = response.json()
    assert {(r["kind"], r["id"]) for r in rows} == set(answers_of_every_kind.items())
    labels = {r["kind"]: r["label"] for r in rows}
    assert labels == {"offer": "Offerta", "activity": "Attività", "group": "Gruppo", "service": "Servizio"}
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["offer"]["offer"]["id"] == answers_of_every_kind["offer"]
    assert all(by_kind[k]["offer"] is None for k in ("activity", "group", "service"))
    assert "Punto di comunità" in by_kind["service"]["detail"] and "orari: lunedì-venerdì 12-14" in by_kind["service"]["explanation"]
    assert all(r["explanation"] and r["reasons"] for r in rows)
    # The same answers in the same order as the need's page (market.answers.ranked_answers for the worker).
    assert [(r["kind"], r["id"]) for r in rows] == [(a.kind, a.target_id) for a in ranked_answers(need, for_user=worker)]


def test_the_person_s_own_offer_is_never_a_candidate(users, make_person, make_need, make_offer):
    person = make_person(name="Gianna")
    make_offer("Pranzo in compagnia", description="Cucino per due e pranziamo insieme", person=person)
    rows = api(users[Role.WORKER]).get(url(make_need(text=LUNCH, person=person))).json()
    assert rows == []


def test_a_worker_gets_no_answer_of_another_neighbourhood_the_coordinator_does(users, coordinator, city, other_neighbourhood, make_need):
    from trama.collective import services as collective

    make_activity(coordinator, city, other_neighbourhood)
    collective.create_group(city=city, neighbourhood=other_neighbourhood, name="Pranzi insieme", purpose="Pranzare in compagnia", by=coordinator)
    org = Organisation.objects.create(city=city, name="Mensa lontana", sector=Organisation.Sector.THIRD_SECTOR)
    org.neighbourhoods.add(other_neighbourhood)
    Service.objects.create(organisation=org, name="Pranzo solidale", description="Pranzo in compagnia")
    need = make_need(text=LUNCH)
    assert api(users[Role.WORKER]).get(url(need)).json() == []
    assert {r["kind"] for r in api(coordinator).get(url(need)).json()} == {"activity", "group", "service"}


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_who_may_not_broker_the_need_reads_no_candidate(users, make_person, make_need, answers_of_every_kind, role):
    # The citizen is the need's own person: she reads her need, not the worker's list of candidates.
    need = make_need(text=LUNCH, person=make_person(name="Walter", account=users[Role.CITIZEN]))
    response = api(users[role]).get(url(need))
    assert response.status_code in (403, 404) and "offer" not in response.content.decode()


def test_a_visitor_a_worker_of_another_neighbourhood_and_another_city_read_nothing(users, make_user, other_neighbourhood, make_need):
    need = make_need(text=LUNCH)
    assert api().get(url(need)).status_code in (401, 403)
    assert api(make_user(Role.WORKER, [other_neighbourhood])).get(url(need)).status_code in (403, 404)
    far = City.objects.create(name="Altrove", slug="altrove", centre_lat=45.0, centre_lon=9.0)
    there = Neighbourhood.objects.create(city=far, name="Centro", slug="altrove-centro")
    assert api(make_user(Role.COORDINATOR, city=far)).get(url(need)).status_code in (403, 404)
    assert api(make_user(Role.WORKER, [there], city=far)).get(url(need)).status_code in (403, 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_is_read_only_for_everyone_and_nothing_changes(users, make_need, answers_of_every_kind, method):
    need = make_need(text=LUNCH)
    before = Need.objects.get(pk=need.pk).status
    for role in (Role.WORKER, Role.COORDINATOR, Role.PARTNER, Role.CITIZEN):
        response = getattr(api(users[role]), method)(url(need), {"kind": "group", "id": answers_of_every_kind["group"]}, format="json")
        assert response.status_code in (403, 405), (role, response.status_code)
    assert not Match.objects.exists() and Need.objects.get(pk=need.pk).status == before


def test_a_missing_need_is_a_404(users):
    assert api(users[Role.WORKER]).get(reverse("api-market-need-candidates", args=[99999999])).status_code == 404


def test_every_read_is_audited(users, make_person, make_need, make_offer):
    offerer = make_person(name="Gianna")
    offer = make_offer("Pranzo in compagnia", description="Cucino per due e pranziamo insieme", person=offerer)
    need = make_need(text=LUNCH)
    seen = AuditEntry.objects.count()
    api(users[Role.WORKER]).get(url(need))
    entries = list(AuditEntry.objects.order_by("pk")[seen:])
    assert any(e.action == "read" and e.object_type.endswith("need") and e.object_id == str(need.pk) for e in entries)
    assert any(str(offer.pk) in e.reason or e.object_id == str(offer.pk) for e in entries if e.object_type.endswith("offer"))
