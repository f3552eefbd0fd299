"""Services as answers (issue 17, step 1): an organisation's service carries its meaning vector in the
people app's table, kept current by the task worker on save like offers, groups and activities; it is
ranked with the other kinds, explained with its place and hours, and a worker proposes it: the person
is told where and when, and it counts in the ledger as a match as the other kinds do."""

import pytest
from django.urls import reverse

from trama.market import meaning, services
from trama.market.answers import ranked_answers
from trama.market.models import Match, Need
from trama.market.tasks import embed_missing
from trama.people.models import Organisation, Role, Service
from trama.territory.models import City, Neighbourhood, Place

from .test_answers import _client, _propose

pytestmark = pytest.mark.django_db

LONELY = "Mi sento solo la sera"
# No stem in common with LONELY (the same pair the groups' and activities' meaning tests use).
CALLS_NAME, CALLS_DESCRIPTION = "Due chiacchiere al telefono dopo cena", "per chi vive da sé"


@pytest.fixture
def embedding(settings, django_capture_on_commit_callbacks):
    settings.TRAMA_MARKET_EMBED_ON_SAVE = True
    return lambda: django_capture_on_commit_callbacks(execute=True)


def make_service(city, neighbourhood, name=CALLS_NAME, description=CALLS_DESCRIPTION, hours="lunedì e giovedì 18-20"):
    org = Organisation.objects.create(city=city, name="Auser Parma", sector=Organisation.Sector.THIRD_SECTOR)
    org.neighbourhoods.add(neighbourhood)
    place = Place.objects.create(neighbourhood=neighbourhood, name="Punto di comunità", address="via Verdi 3")
    return Service.objects.create(organisation=org, name=name, description=description, opening_hours=hours, place=place)


def fresh(need):
    return Need.objects.get(pk=need.pk)


def test_a_new_service_is_embedded_after_the_commit(embedding, city, neighbourhood):
    with embedding() as callbacks:
        service = make_service(city, neighbourhood)
    assert callbacks, "the save queued the task"
    stored = Service.objects.get(pk=service.pk)
    assert stored.embedding_model == meaning.MODEL_TAG and len(bytes(stored.embedding)) == meaning.DIMENSIONS * 2


def test_a_changed_description_is_embedded_again_and_unchanged_hours_are_not(embedding, city, neighbourhood):
    with embedding():
        service = make_service(city, neighbourhood)
    first = bytes(Service.objects.get(pk=service.pk).embedding)
    loaded = Service.objects.get(pk=service.pk)
    loaded.opening_hours = "martedì 9-12"
    with embedding() as callbacks:
        loaded.save()
    assert not callbacks and bytes(Service.objects.get(pk=service.pk).embedding) == first
    loaded.description = "Pranzo caldo per tutti, a offerta libera"
    with embedding() as callbacks:
        loaded.save(update_fields=["description"])
    assert callbacks
    changed = Service.objects.get(pk=service.pk)
    assert changed.embedding_model == meaning.MODEL_TAG and bytes(changed.embedding) != first


def test_without_the_worker_the_vector_stays_empty_until_embed_missing(settings, django_capture_on_commit_callbacks, city, neighbourhood):
    settings.TRAMA_MARKET_EMBED_ON_SAVE = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        service = make_service(city, neighbourhood)
    assert not callbacks and Service.objects.get(pk=service.pk).embedding is None
    assert embed_missing(city)[Service] == 1
    assert Service.objects.get(pk=service.pk).embedding_model == meaning.MODEL_TAG


def test_a_service_that_means_the_same_is_proposed_without_a_shared_word(users, embedding, city, neighbourhood, make_need):
    with embedding():
        service = make_service(city, neighbourhood)
        need = make_need(text=LONELY)
    answers = ranked_answers(fresh(need), for_user=users[Role.WORKER])
    assert [(a.kind, a.target_id) for a in answers] == [("service", service.pk)]
    line = answers[0].explanation
    assert answers[0].parts["words"] < 0.22 and answers[0].parts["meaning"] >= 0.37
    assert "Significato simile" in line and "presso Punto di comunità" in line and "orari: lunedì e giovedì 18-20" in line
    # Without the service's vector only the words count, and they share none: nothing is padded in.
    Service.objects.filter(pk=service.pk).update(embedding=None, embedding_model="")
    assert ranked_answers(fresh(need), for_user=users[Role.WORKER]) == []


def test_a_service_of_another_city_is_never_an_answer(users, embedding, city, make_need):
    far = City.objects.create(name="Altrove", slug="altrove", centre_lat=45.0, centre_lon=9.0)
    there = Neighbourhood.objects.create(city=far, name="Centro", slug="altrove-centro")
    with embedding():
        make_service(far, there)
        need = make_need(text=LONELY)
    assert ranked_answers(fresh(need), for_user=users[Role.WORKER]) == []
    assert ranked_answers(fresh(need)) == []


def test_the_person_is_told_where_and_when_and_it_counts_in_the_ledger(users, embedding, city, neighbourhood, make_person, make_need):
    with embedding():
        service = make_service(city, neighbourhood)
        need = make_need(text=LONELY, person=make_person(name="Walter", account=users[Role.CITIZEN]))
    assert _propose(_client(users[Role.WORKER]), need, "service", service.pk).status_code == 302
    match = Match.objects.get(need=need, kind="service", answer_id=service.pk)
    page = _client(users[Role.CITIZEN]).get(reverse("market:match", args=[match.pk])).content.decode()
    assert "Auser Parma" in page and "Punto di comunità, via Verdi 3" in page and "lunedì e giovedì 18-20" in page
    services.answer_match(match, side="need", yes=True, by=users[Role.CITIZEN])
    worker = users[Role.WORKER]
    services.start_match(Match.objects.get(pk=match.pk), by=worker)
    services.complete_match(Match.objects.get(pk=match.pk), outcome="Telefonate ogni lunedì", by=worker)
    assert Match.objects.get(pk=match.pk).status == Match.Status.DONE
    assert Need.objects.get(pk=need.pk).status == Need.Status.MET
