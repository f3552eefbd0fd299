from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from trama.market import services
from trama.market.models import Contribution, Match, Need, Offer
from trama.people.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    def as_role(role):
        client = APIClient()
        client.force_authenticate(users[role])
        return client

    return as_role


def test_a_partner_creates_an_offer_of_their_organisation(api, organisation, neighbourhood):
    response = api(Role.PARTNER).post(
        reverse("api-market-offers"),
        {
            "kind": "space",
            "title": "Sala riunioni",
            "neighbourhoods": [neighbourhood.pk],
            "organisation": organisation.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert Offer.objects.get().organisation == organisation


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "x" * 200},
        {"description": "x" * 100_000},
        {"capacity": -1},
        {"capacity": 10**6},
        {"available_from": "2026-06-10", "available_until": "2026-06-01"},
        {"neighbourhoods": []},
        {"kind": "weapons"},
    ],
)
def test_bad_offers_get_a_400_and_nothing_is_stored(api, organisation, neighbourhood, payload):
    data = {"kind": "space", "title": "Sala", "neighbourhoods": [neighbourhood.pk], "organisation": organisation.pk, **payload}
    response = api(Role.PARTNER).post(reverse("api-market-offers"), data, format="json")
    assert response.status_code == 400
    assert not Offer.objects.exists()


@pytest.mark.parametrize("quantity", ["-1", "0", "999999"])
def test_bad_contributions_get_a_400(api, organisation, neighbourhood, quantity):
    response = api(Role.WORKER).post(
        reverse("api-market-contributions"),
        {
            "kind": "hours",
            "quantity": quantity,
            "organisation": organisation.pk,
            "neighbourhood": neighbourhood.pk,
            "on": date.today().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_a_worker_records_a_need_and_gets_ranked_candidates(api, make_person, make_offer, neighbourhood):
    offer = make_offer("Spesa a domicilio")
    person = make_person()
    response = api(Role.WORKER).post(
        reverse("api-market-needs"),
        {
            "person": person.pk,
            "text": "Mi serve la spesa a casa",
            "neighbourhood": neighbourhood.pk,
            "urgency": "high",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    need = Need.objects.get()
    candidates = api(Role.WORKER).get(reverse("api-market-need-candidates", args=[need.pk])).json()
    assert candidates[0]["offer"]["id"] == offer.pk and candidates[0]["reasons"]


def test_the_script_in_a_need_comes_back_as_plain_data(api, make_person, neighbourhood):
    person = make_person()
    api(Role.WORKER).post(
        reverse("api-market-needs"), {"person": person.pk, "text": "<script>alert(1)</script>", "neighbourhood": neighbourhood.pk}, format="json"
    )
    assert Need.objects.get().text == "<script>alert(1)</script>"


def test_a_worker_cannot_record_needs_outside_their_neighbourhoods(api, make_person, other_neighbourhood):
    person = make_person()
    response = api(Role.WORKER).post(
        reverse("api-market-needs"), {"person": person.pk, "text": "Una mano per la spesa", "neighbourhood": other_neighbourhood.pk}, format="json"
    )
    assert response.status_code == 403 and not Need.objects.exists()


def test_partner_answers_a_match_through_the_api(api, users, make_need, make_offer):
    match = services.propose_match(need=make_need(), offer=make_offer(), by=users[Role.WORKER])
    response = api(Role.PARTNER).post(reverse("api-market-match-answer", args=[match.pk]), {"side": "offer", "accept": True}, format="json")
    assert response.status_code == 200 and response.json()["offer_answer"] == "yes"
    refused = api(Role.PARTNER).post(reverse("api-market-match-answer", args=[match.pk]), {"side": "need", "accept": True}, format="json")
    assert refused.status_code == 403
    match.refresh_from_db()
    assert match.need_answer == Match.Answer.PENDING


def test_answering_a_closed_match_is_a_400_not_a_500(api, users, make_need, make_offer):
    match = services.propose_match(need=make_need(), offer=make_offer(), by=users[Role.WORKER])
    services.cancel_match(match, by=users[Role.WORKER])
    response = api(Role.WORKER).post(reverse("api-market-match-answer", args=[match.pk]), {"side": "offer", "accept": True}, format="json")
    assert response.status_code == 400


def test_the_ledger_totals_endpoint_groups_by_sector(api, users, organisation, neighbourhood):
    services.record_contribution(
        kind="hours", quantity=2, on=date.today(), neighbourhood=neighbourhood, by=users[Role.WORKER], organisation=organisation
    )
    rows = api(Role.COORDINATOR).get(reverse("api-market-ledger"), {"by": "sector,neighbourhood", "period": "year"}).json()
    assert rows[0]["sector"] == "third_sector" and rows[0]["hours"] == "2.00"
    assert rows[0]["neighbourhood_id"] == neighbourhood.pk and rows[0]["neighbourhood"] == neighbourhood.name
