"""Answers of four kinds for a need (issue 17): offers, activities, groups and services, ranked together,
each kind only when it fits, only what the worker may see, and an accepted activity or group enrols the
person with her consent, once."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from trama.collective import services as collective
from trama.collective.models import Membership
from trama.initiatives import services as initiatives
from trama.initiatives.models import Initiative, Participation
from trama.market import services
from trama.market.answers import ranked_answers
from trama.market.models import Match, Need
from trama.people.models import Consent, Organisation, Role, Service
from trama.territory.models import City, Neighbourhood, Place

pytestmark = pytest.mark.django_db

LUNCH = "Vorrei pranzare in compagnia qualche volta, a casa mangio sempre da sola"


@pytest.fixture
def activity(coordinator, city, neighbourhood):
    return make_activity(coordinator, city, neighbourhood)


def make_activity(by, city, where, name="Pranzo condiviso", description="Si pranza in compagnia, ognuno porta qualcosa"):
    place = Place.objects.create(neighbourhood=where, name=f"Circolo di {where.name}")
    initiative = initiatives.create_initiative(
        city=city,
        by=by,
        origin="worker",
        neighbourhoods=[where],
        name=name,
        description=description,
        when="il martedì alle 12.30",
        place=place,
        is_public=True,
    )
    Initiative.objects.filter(pk=initiative.pk).update(stage="accompanied")
    initiative.refresh_from_db()
    return initiative


@pytest.fixture
def group(coordinator, city, neighbourhood):
    return collective.create_group(
        city=city, neighbourhood=neighbourhood, name="Pranzi insieme", purpose="Pranzare in compagnia la domenica", by=coordinator
    )


@pytest.fixture
def service(city, neighbourhood):
    org = Organisation.objects.create(city=city, name="Mensa di quartiere", sector=Organisation.Sector.THIRD_SECTOR)
    org.neighbourhoods.add(neighbourhood)
    place = Place.objects.create(neighbourhood=neighbourhood, name="Punto di comunità")
    return Service.objects.create(
        organisation=org, name="Pranzo solidale", description="Un pranzo caldo in compagnia", opening_hours="lunedì-venerdì 12-14", place=place
    )


@pytest.fixture
def citizen_need(users, make_person, make_need):
    person = make_person(name="Walter", account=users[Role.CITIZEN])
    return make_need(text=LUNCH, person=person)


def test_each_kind_is_ranked_with_its_label_and_one_line(users, make_offer, make_need, activity, group, service):
    make_offer("Pranzo in compagnia a casa mia", "")
    need = make_need(text=LUNCH)
    answers = ranked_answers(need, for_user=users[Role.WORKER])
    by_kind = {a.kind: a for a in answers}
    assert set(by_kind) == {"offer", "activity", "group", "service"}
    assert [str(by_kind[k].label) for k in ("offer", "activity", "group", "service")] == ["Offerta", "Attività", "Gruppo", "Servizio"]
    assert by_kind["activity"].target_id == activity.pk and by_kind["group"].target_id == group.pk and by_kind["service"].target_id == service.pk
    assert by_kind["activity"].explanation.startswith("Parole in comune: pranzo, compagnia; nello stesso quartiere;")
    assert "si fa il martedì alle 12.30" in by_kind["activity"].explanation and "Circolo di Borgo Alto" in by_kind["activity"].detail
    assert "orari: lunedì-venerdì 12-14" in by_kind["service"].explanation
    assert "in formazione" in by_kind["group"].explanation
    assert [a.score for a in answers] == sorted((a.score for a in answers), reverse=True)


def test_no_kind_is_padded_in_below_the_least_relevance(users, make_need, coordinator, city, neighbourhood, service):
    make_activity(coordinator, city, neighbourhood, name="Corso di chitarra", description="Suoniamo insieme")
    collective.create_group(city=city, neighbourhood=neighbourhood, name="Camminate", purpose="Camminare al parco", by=coordinator)
    need = make_need(text="Medicine e spesa portate a casa")  # same neighbourhood as all of them, nothing in common
    assert ranked_answers(need, for_user=users[Role.WORKER]) == []


def test_the_person_s_own_activity_and_group_are_not_proposed_again(users, make_need, make_person, activity, group, coordinator):
    person = make_person()
    need = make_need(text=LUNCH, person=person)
    initiatives.add_participant(activity, person=person, by=coordinator)
    collective.add_member(group, person, by=coordinator, consent=True)
    assert {a.kind for a in ranked_answers(need, for_user=coordinator)} == set()


def test_a_worker_sees_no_activity_group_or_service_of_another_neighbourhood(users, make_need, make_user, coordinator, city, other_neighbourhood):
    make_activity(coordinator, city, other_neighbourhood)
    collective.create_group(city=city, neighbourhood=other_neighbourhood, name="Pranzi insieme", purpose="Pranzare in compagnia", by=coordinator)
    org = Organisation.objects.create(city=city, name="Mensa lontana", sector=Organisation.Sector.THIRD_SECTOR)
    org.neighbourhoods.add(other_neighbourhood)
    Service.objects.create(organisation=org, name="Pranzo solidale", description="Pranzo in compagnia")
    need = make_need(text=LUNCH)
    worker = users[Role.WORKER]  # works in `neighbourhood` only
    assert ranked_answers(need, for_user=worker) == []
    # The coordinator of the city sees them all; the worker of the other neighbourhood brokers no need of this one.
    assert {a.kind for a in ranked_answers(need, for_user=coordinator)} == {"activity", "group", "service"}
    other_worker = make_user(Role.WORKER, [other_neighbourhood])
    client = _client(other_worker)
    assert client.get(reverse("market:need", args=[need.pk])).status_code in (403, 404)


def test_the_need_page_shows_the_kinds_with_a_badge(client, users, make_need, activity, group):
    need = make_need(text=LUNCH)
    client.force_login(users[Role.WORKER])
    body = client.get(reverse("market:need", args=[need.pk])).content.decode()
    assert 'data-testid="answer-activity"' in body and 'data-testid="answer-group"' in body
    assert ">Attività</span>" in body and ">Gruppo</span>" in body


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _propose(client, need, kind, target):
    return client.post(reverse("market:propose", args=[need.pk]), {"kind": kind, "id": target})


def test_accepting_an_activity_and_a_group_enrols_the_person_with_consent_exactly_once(users, citizen_need, activity, group):
    worker, citizen = users[Role.WORKER], users[Role.CITIZEN]
    for kind, target in (("activity", activity.pk), ("group", group.pk)):
        assert _propose(_client(worker), citizen_need, kind, target).status_code == 302
    matches = {m.kind: m for m in Match.objects.filter(need=citizen_need)}
    assert set(matches) == {"activity", "group"} and all(m.offer_id is None and m.offer_answer == "yes" for m in matches.values())
    assert Need.objects.get(pk=citizen_need.pk).status == Need.Status.BROKERING
    assert not Participation.objects.exists() and not Membership.objects.exists()  # proposing enrols nobody
    client = _client(citizen)
    for match in matches.values():
        page = client.get(reverse("market:match", args=[match.pk])).content.decode()
        assert 'data-testid="accept-need"' in page and 'data-testid="accept-offer"' not in page
        assert client.post(reverse("market:match_answer", args=[match.pk]), {"side": "need", "answer": "yes"}).status_code == 302
        client.post(reverse("market:match_answer", args=[match.pk]), {"side": "need", "answer": "yes"})  # twice: refused
        assert Match.objects.get(pk=match.pk).status == Match.Status.ACCEPTED
    person = citizen_need.person
    assert Participation.objects.filter(initiative=activity, person=person, left_at__isnull=True).count() == 1
    membership = Membership.objects.get(group=group, person=person)
    assert membership.consent_recorded_by == citizen and membership.left_at is None
    assert Consent.objects.filter(person=person, purpose=Consent.Purpose.GROUPS, withdrawn_at__isnull=True).count() == 1
    # It is a match like the others: it can be followed and concluded, and the need is then met.
    services.complete_match(matches["activity"], outcome="Va al pranzo ogni martedì", by=worker)
    assert Need.objects.get(pk=citizen_need.pk).status == Need.Status.MET


def test_a_declined_activity_enrols_no_one_and_is_not_proposed_again(users, citizen_need, activity):
    worker = _client(users[Role.WORKER])
    assert _propose(worker, citizen_need, "activity", activity.pk).status_code == 302
    match = Match.objects.get(need=citizen_need)
    _client(users[Role.CITIZEN]).post(reverse("market:match_answer", args=[match.pk]), {"side": "need", "answer": "no"})
    assert Match.objects.get(pk=match.pk).status == Match.Status.DECLINED and not Participation.objects.exists()
    response = _propose(worker, citizen_need, "activity", activity.pk)
    assert response.status_code == 400 and "già stata rifiutata" in response.content.decode()
    assert Match.objects.filter(need=citizen_need).count() == 1


def test_a_service_proposed_and_accepted_enrols_nothing(users, citizen_need, service):
    assert _propose(_client(users[Role.WORKER]), citizen_need, "service", service.pk).status_code == 302
    match = Match.objects.get(need=citizen_need, kind="service")
    services.answer_match(match, side="need", yes=True, by=users[Role.CITIZEN])
    assert Match.objects.get(pk=match.pk).status == Match.Status.ACCEPTED and match.answer_title == "Pranzo solidale"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "petition", "id": "1"}, "Tipo di risposta sconosciuto"),
        ({"kind": "activity", "id": "abc"}, "Risposta non valida"),
        ({"kind": "activity", "id": ""}, "Risposta non valida"),
        ({"kind": "activity", "id": "99999999"}, "non è tra quelle che puoi proporre"),
        ({"kind": "group", "id": "99999999"}, "non è tra quelle che puoi proporre"),
        ({"kind": "service", "id": "-1"}, "Risposta non valida"),
    ],
)
def test_bad_proposals_are_refused_with_a_message_and_change_nothing(users, citizen_need, data, message):
    response = _client(users[Role.WORKER]).post(reverse("market:propose", args=[citizen_need.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Match.objects.exists() and Need.objects.get(pk=citizen_need.pk).status == Need.Status.OPEN


def test_another_city_s_activity_or_an_unfitting_one_cannot_be_proposed(users, citizen_need, make_user, coordinator, city, neighbourhood):
    far = City.objects.create(name="Altrove", slug="altrove", centre_lat=45.0, centre_lon=9.0)
    there = Neighbourhood.objects.create(city=far, name="Centro", slug="altrove-centro")
    elsewhere = make_activity(make_user(Role.COORDINATOR, city=far), far, there)
    unfitting = make_activity(coordinator, city, neighbourhood, name="Corso di chitarra", description="Suoniamo insieme")
    worker = _client(users[Role.WORKER])
    for target in (elsewhere.pk, unfitting.pk):
        assert _propose(worker, citizen_need, "activity", target).status_code == 400
    assert not Match.objects.exists() and not Participation.objects.exists()


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.PARTNER, Role.ANTENNA])
def test_only_staff_in_scope_propose_answers(users, citizen_need, activity, role):
    response = _client(users[role]).post(reverse("market:propose", args=[citizen_need.pk]), {"kind": "activity", "id": activity.pk})
    assert response.status_code in (403, 404) and not Match.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete", "head", "options"])
def test_the_proposal_takes_only_post(users, citizen_need, activity, method):
    response = getattr(_client(users[Role.WORKER]), method)(reverse("market:propose", args=[citizen_need.pk]))
    assert response.status_code == 405 and not Match.objects.exists()


def test_a_citizen_never_reads_another_person_s_answers_nor_their_matches(users, citizen_need, activity, make_user, make_person, make_need):
    services.propose_answer(need=citizen_need, kind="activity", target_id=activity.pk, by=users[Role.WORKER])
    match = Match.objects.get()
    stranger = make_user(Role.CITIZEN)
    client = _client(stranger)
    assert client.get(reverse("market:need", args=[citizen_need.pk])).status_code in (403, 404)
    assert client.get(reverse("market:match", args=[match.pk])).status_code in (403, 404)
    assert client.post(reverse("market:match_answer", args=[match.pk]), {"side": "need", "answer": "yes"}).status_code in (403, 404)
    assert not Participation.objects.exists()
    # Her own need's page lists no answers at all: brokering is the staff's.
    own = make_need(text=LUNCH, person=make_person(account=stranger))
    assert 'data-testid="candidates"' not in client.get(reverse("market:need", args=[own.pk])).content.decode()


def test_a_match_points_to_exactly_one_answer(make_need, make_offer, activity):
    need, offer = make_need(text=LUNCH), make_offer("Pranzo in compagnia", "")
    for fields in (
        {"offer": offer, "kind": "offer", "answer_id": activity.pk},
        {"kind": "activity"},
        {"kind": "offer"},
        {"offer": offer, "kind": "group"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Match.objects.create(need=need, **fields)


def test_the_api_labels_each_candidate_by_kind_and_keeps_the_offer_fields(users, make_offer, make_need, activity):
    make_offer("Pranzo in compagnia a casa mia", "")
    need = make_need(text=LUNCH)
    api = APIClient()
    api.force_authenticate(users[Role.WORKER])
    rows = api.get(reverse("api-market-need-candidates", args=[need.pk])).json()
    by_kind = {row["kind"]: row for row in rows}
    assert set(by_kind) == {"offer", "activity"}
    assert by_kind["offer"]["offer"]["title"] == "Pranzo in compagnia a casa mia" and by_kind["offer"]["explanation"]
    assert by_kind["activity"]["offer"] is None and by_kind["activity"]["id"] == activity.pk and by_kind["activity"]["label"] == "Attività"
    assert {"score", "parts", "reasons", "explanation"} <= set(by_kind["activity"])
