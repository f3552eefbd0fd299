"""The need's page and API as a worker brokers: the one-line explanation, the honest empty list, short needs refused."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from trama.market.models import Need
from trama.people.models import Role

pytestmark = pytest.mark.django_db


def test_the_worker_reads_one_line_per_proposal(client, users, make_offer, make_need):
    make_offer("Accompagno a fare la spesa", "")
    need = make_need(text="Mi serve qualcuno per la spesa")
    client.force_login(users[Role.WORKER])
    body = client.get(reverse("market:need", args=[need.pk])).content.decode()
    assert 'data-testid="explanation">Parole in comune: spesa; serve lo stesso quartiere.</p>' in body


def test_no_fitting_answer_says_so_and_offers_the_two_ways_on(client, users, make_offer, make_need, neighbourhood):
    make_offer("Corso di chitarra", "")  # same neighbourhood, nothing in common: not an answer
    need = make_need(text="Medicine e spesa a casa")
    client.force_login(users[Role.WORKER])
    body = client.get(reverse("market:need", args=[need.pk])).content.decode()
    assert "Nessuna risposta adatta per ora." in body and "Corso di chitarra" not in body
    partners = f"{reverse('market:offers')}?neighbourhood={neighbourhood.pk}&amp;who=organisations"
    assert partners in body and f'{reverse("market:offers")}?neighbourhood={neighbourhood.pk}"' in body


def test_the_partners_link_lists_only_organisations_offers(client, users, make_offer, make_person, neighbourhood):
    make_offer("Spesa solidale dell'emporio", "")
    make_offer("Spesa portata da una vicina", "", person=make_person())
    client.force_login(users[Role.WORKER])
    body = client.get(reverse("market:offers") + f"?neighbourhood={neighbourhood.pk}&who=organisations").content.decode()
    assert "Spesa solidale dell&#x27;emporio" in body and "portata da una vicina" not in body
    body = client.get(reverse("market:offers") + "?who=people").content.decode()
    assert "Spesa solidale" not in body and "portata da una vicina" in body
    assert client.get(reverse("market:offers") + "?who=nobody").status_code == 200  # an unknown choice is ignored


def test_proposals_naming_a_person_are_audited(client, users, make_offer, make_need, make_person):
    from trama.privacy.models import AuditEntry

    offer = make_offer("Accompagno a fare la spesa", "", person=make_person(name="Walter"))
    need = make_need(text="Mi serve qualcuno per la spesa")
    client.force_login(users[Role.WORKER])
    assert "Walter" in client.get(reverse("market:need", args=[need.pk])).content.decode()
    assert AuditEntry.objects.filter(action="read", object_type="market.offer", reason__contains=str(offer.pk)).exists()


@pytest.mark.parametrize("text", ["", "   ", "spesa", "Aiuto!", "...", "42 43"])
def test_an_empty_or_one_word_need_is_refused_with_a_request_for_more_words(client, users, make_person, neighbourhood, text):
    client.force_login(users[Role.WORKER])
    response = client.post(
        reverse("market:need_create") + f"?persona={make_person().pk}", {"text": text, "neighbourhood": neighbourhood.pk, "urgency": "low"}
    )
    assert response.status_code == 400 and "Scrivi qualche parola in più" in response.content.decode()
    assert not Need.objects.exists()


def test_the_public_form_asks_for_a_few_words_more_too(client, neighbourhood):
    response = client.post(reverse("market:door_need"), {"text": "spesa", "neighbourhood": neighbourhood.pk, "urgency": "low"})
    assert response.status_code == 400 and "Scrivi qualche parola in più" in response.content.decode()


@pytest.fixture
def worker_api(users):
    client = APIClient()
    client.force_authenticate(users[Role.WORKER])
    return client


@pytest.mark.parametrize("text", ["", "spesa", "  Aiuto!  "])
def test_the_api_refuses_a_short_need_with_a_400_and_changes_nothing(worker_api, make_person, make_need, neighbourhood, text):
    response = worker_api.post(
        reverse("api-market-needs"), {"person": make_person().pk, "text": text, "neighbourhood": neighbourhood.pk}, format="json"
    )
    assert response.status_code == 400 and "Scrivi qualche parola in più" in str(response.data["text"])
    need = make_need(text="Compagnia la sera")
    response = worker_api.patch(reverse("api-market-need", args=[need.pk]), {"text": text}, format="json")
    assert response.status_code == 400
    need.refresh_from_db()
    assert need.text == "Compagnia la sera" and Need.objects.count() == 1


def test_the_api_candidates_carry_the_explanation_and_keep_their_old_fields(worker_api, make_offer, make_need):
    make_offer("Accompagno a fare la spesa", "")
    need = make_need(text="Mi serve qualcuno per la spesa")
    candidate = worker_api.get(reverse("api-market-need-candidates", args=[need.pk])).json()[0]
    assert {"offer", "score", "parts", "reasons", "explanation"} <= set(candidate)
    assert candidate["explanation"] == "Parole in comune: spesa; serve lo stesso quartiere."
    assert candidate["reasons"] == ["Parole in comune: spesa.", "Serve lo stesso quartiere."]


def test_a_worker_is_never_shown_nor_told_about_an_offer_she_may_not_see(
    worker_api, users, client, make_offer, make_need, make_person, other_neighbourhood
):
    hidden = make_offer("Accompagno a fare la spesa", "", person=make_person(other_neighbourhood, name="Zeudi"), where=[other_neighbourhood])
    need = make_need(text="Mi serve qualcuno per accompagnarmi a fare la spesa")
    response = worker_api.get(reverse("api-market-need-candidates", args=[need.pk]))
    assert response.status_code == 200 and response.json() == []
    client.force_login(users[Role.WORKER])
    body = client.get(reverse("market:need", args=[need.pk])).content.decode()
    assert "Zeudi" not in body and hidden.title not in body and "Nessuna risposta adatta per ora." in body
    # ... while the coordinator, who may see it, is offered it.
    coordinator = APIClient()
    coordinator.force_authenticate(users[Role.COORDINATOR])
    assert [c["offer"]["id"] for c in coordinator.get(reverse("api-market-need-candidates", args=[need.pk])).json()] == [hidden.pk]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_candidates_are_read_only(worker_api, make_need, method):
    need = make_need()
    assert getattr(worker_api, method)(reverse("api-market-need-candidates", args=[need.pk])).status_code == 405


def test_another_neighbourhood_s_need_gets_no_candidates_for_the_worker(worker_api, make_need, make_offer, make_person, other_neighbourhood):
    make_offer("Accompagno a fare la spesa", "", where=[other_neighbourhood])
    need = make_need(where=other_neighbourhood, person=make_person(other_neighbourhood))
    assert worker_api.get(reverse("api-market-need-candidates", args=[need.pk])).status_code in (403, 404)
