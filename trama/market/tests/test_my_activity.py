"""A citizen sees their own side of the market ("La mia attività"), in words, and withdraws their own needs."""

from datetime import date

import pytest
from django.urls import reverse

from trama.market import services
from trama.market.models import Need
from trama.people.models import Role
from trama.privacy.models import AuditEntry

URL = reverse("my_activity")


@pytest.fixture
def citizen(users):
    return users[Role.CITIZEN]


@pytest.fixture
def me(make_person, citizen):
    return make_person(name="Anna", account=citizen)


def test_a_citizen_sees_the_hours_she_gave_and_received_in_words(client, citizen, me, make_offer, make_need, make_person, users, neighbourhood):
    coordinator = users[Role.COORDINATOR]
    offer = make_offer(title="Ripetizioni di matematica", person=me)
    other_need = make_need(text="Aiuto con i compiti")
    match = services.propose_match(need=other_need, offer=offer, by=coordinator)
    services.record_contribution(kind="hours", quantity=3, on=date.today(), neighbourhood=neighbourhood, by=coordinator, person=me, match=match)
    my_need = make_need(text="Mi serve un passaggio", person=me)
    helper = make_person(name="Bruno")
    helper_offer = make_offer(title="Passaggi in auto", person=helper)
    received = services.propose_match(need=my_need, offer=helper_offer, by=coordinator)
    services.record_contribution(
        kind="hours", quantity="1.5", on=date.today(), neighbourhood=neighbourhood, by=coordinator, person=helper, match=received
    )
    client.force_login(citizen)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "hai dato 3 ore e ne hai ricevute 1,5" in page
    assert "Ripetizioni di matematica" in page and "Mi serve un passaggio" in page
    # Only her own: the other person's need and her helper's offer title come only through the match she is part of.
    assert "Aiuto con i compiti" not in page
    assert AuditEntry.objects.filter(actor=citizen, action="read", object_id=str(me.pk)).exists()


def test_the_page_carries_no_label_about_the_citizen(client, citizen, me, make_need):
    make_need(text="Mi serve compagnia", person=me)
    client.force_login(citizen)
    page = client.get(URL).content.decode().lower()
    for label in ("fragil", "vulnerab", "disagio", "tema", "segnalazion", "categoria"):
        assert label not in page


def test_a_citizen_without_a_record_is_shown_the_doors(client, citizen):
    client.force_login(citizen)
    response = client.get(URL)
    assert response.status_code == 200 and reverse("market:door_offer") in response.content.decode()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.ANTENNA])
def test_only_citizens_have_the_page(client, users, role):
    client.force_login(users[role])
    assert client.get(URL).status_code == 403


def test_a_citizen_withdraws_her_need(client, citizen, me, make_need):
    need = make_need(text="Mi serve un passaggio", person=me)
    client.force_login(citizen)
    response = client.post(reverse("market:need_status", args=[need.pk]), {"status": "withdrawn", "next": URL})
    assert response.status_code == 302 and response["Location"] == URL
    need.refresh_from_db()
    assert need.status == Need.Status.WITHDRAWN


def test_another_citizens_need_is_not_there(client, make_user, me, make_need):
    need = make_need(text="Mi serve un passaggio", person=me)
    client.force_login(make_user(Role.CITIZEN))
    assert client.post(reverse("market:need_status", args=[need.pk]), {"status": "withdrawn"}).status_code == 404
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN


@pytest.mark.parametrize("status", ["brokering", "chiusa", "x" * 5000, ""])
def test_a_bad_status_is_refused_in_italian_and_changes_nothing(client, citizen, me, make_need, status):
    need = make_need(text="Mi serve un passaggio", person=me)
    client.force_login(citizen)
    response = client.post(reverse("market:need_status", args=[need.pk]), {"status": status})
    assert response.status_code == 400 and "Stato non valido" in response.content.decode()
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN
