"""A partner follows up the matches her organisation's offers answer, and records what her organisation gave."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from trama.market import services
from trama.market.models import Contribution, Match
from trama.people.models import Organisation, Role


@pytest.fixture
def accepted(users, make_need, make_offer):
    match = services.propose_match(need=make_need(), offer=make_offer(), by=users[Role.WORKER])
    services.answer_match(match, side=Match.Side.OFFER, yes=True, by=users[Role.WORKER])
    services.answer_match(match, side=Match.Side.NEED, yes=True, by=users[Role.WORKER])
    match.refresh_from_db()
    return match


def test_a_partner_starts_and_sets_the_check_of_her_organisations_match(client, users, accepted):
    client.force_login(users[Role.PARTNER])
    check = date.today() + timedelta(days=7)
    client.post(reverse("market:match_step", args=[accepted.pk]), {"step": "start", "follow_up_on": check.isoformat()})
    accepted.refresh_from_db()
    assert accepted.status == Match.Status.IN_PROGRESS and accepted.follow_up_on == check


def test_closing_or_cancelling_stays_with_staff(client, users, accepted):
    client.force_login(users[Role.PARTNER])
    assert client.post(reverse("market:match_step", args=[accepted.pk]), {"step": "complete", "outcome": "Fatto"}).status_code == 403
    assert client.post(reverse("market:match_step", args=[accepted.pk]), {"step": "cancel"}).status_code == 403
    accepted.refresh_from_db()
    assert accepted.status == Match.Status.ACCEPTED


def test_a_partner_records_what_her_organisation_gave(client, users, accepted, organisation):
    client.force_login(users[Role.PARTNER])
    url = reverse("market:match_contribution", args=[accepted.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "hours", "quantity": "2", "giver": "offer", "on": date.today().isoformat()})
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.organisation == organisation and contribution.person is None and contribution.match == accepted


def test_a_partner_cannot_record_for_the_person_nor_hostile_amounts(client, users, accepted):
    client.force_login(users[Role.PARTNER])
    url = reverse("market:match_contribution", args=[accepted.pk])
    today = date.today().isoformat()
    assert client.post(url, {"kind": "hours", "quantity": "2", "giver": "need", "on": today}).status_code == 400
    response = client.post(url, {"kind": "hours", "quantity": "9" * 12, "giver": "offer", "on": today, "note": "x" * 5000})
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_a_partner_of_another_organisation_cannot_follow_it(client, make_user, accepted, city):
    stranger = make_user(Role.PARTNER)
    Organisation.objects.create(city=city, name="Altra realtà", sector=Organisation.Sector.BUSINESS).members.add(stranger)
    client.force_login(stranger)
    assert client.post(reverse("market:match_step", args=[accepted.pk]), {"step": "start"}).status_code == 403
    url = reverse("market:match_contribution", args=[accepted.pk])
    assert client.post(url, {"kind": "hours", "quantity": "2", "giver": "offer", "on": date.today().isoformat()}).status_code == 403
    accepted.refresh_from_db()
    assert accepted.status == Match.Status.ACCEPTED and not Contribution.objects.exists()
