import pytest
from django.urls import reverse

from trama.people.models import Role, User
from trama.privacy.models import AuditEntry
from trama.territory.models import City

pytestmark = pytest.mark.django_db


def listed(response):
    return [account.username for account in response.context["page"].object_list]


@pytest.fixture
def coordinator_client(client, users):
    client.force_login(users[Role.COORDINATOR])
    return client


def test_accounts_list_finds_by_name_or_email(coordinator_client, make_user):
    make_user(username="giulia", first_name="Giulia", email="gverdi@example.org")
    make_user(username="pietro", first_name="Pietro")
    assert listed(coordinator_client.get(reverse("people:accounts"), {"q": "giul"})) == ["giulia"]
    assert listed(coordinator_client.get(reverse("people:accounts"), {"q": "GVERDI@"})) == ["giulia"]


def test_accounts_list_filters_by_role(coordinator_client, users):
    response = coordinator_client.get(reverse("people:accounts"), {"role": Role.ANTENNA})
    assert listed(response) == [users[Role.ANTENNA].username]


def test_accounts_list_ignores_an_unknown_role(coordinator_client, users):
    response = coordinator_client.get(reverse("people:accounts"), {"role": "superuser"})
    assert response.status_code == 200
    assert len(listed(response)) == len(users)


def test_accounts_list_is_paginated(coordinator_client, users, city):
    User.objects.bulk_create(User(username=f"zz{n:02d}", email=f"zz{n:02d}@example.org", city=city) for n in range(30))
    first = coordinator_client.get(reverse("people:accounts"))
    second = coordinator_client.get(reverse("people:accounts"), {"pagina": 2})
    assert len(listed(first)) == 25
    assert first.context["page"].paginator.count == 30 + len(users)
    assert len(listed(second)) == 5 + len(users)
    assert not set(listed(first)) & set(listed(second))


def test_accounts_list_hides_other_cities(coordinator_client, make_user):
    elsewhere = City.objects.create(name="Altrove", slug="altrove", centre_lat=45.0, centre_lon=9.0)
    make_user(username="lontano", city=elsewhere)
    assert "lontano" not in listed(coordinator_client.get(reverse("people:accounts"), {"q": "lontano"}))


@pytest.mark.parametrize("role", [Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_accounts_list_is_for_coordinators_only(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("people:accounts")).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("people:accounts"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_reading_an_account_is_audited(coordinator_client, users):
    worker = users[Role.WORKER]
    response = coordinator_client.get(reverse("people:account", args=[worker.pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.READ, object_id=str(worker.pk))
    assert entry.actor == users[Role.COORDINATOR]
    assert entry.object_type == "people.user"


def test_worker_reads_their_own_profile(client, users):
    worker = users[Role.WORKER]
    client.force_login(worker)
    response = client.get(reverse("people:profile"))
    assert response.status_code == 200
    assert worker.email in response.content.decode()


def test_account_ids_cannot_be_probed_by_non_coordinators(client, users):
    client.force_login(users[Role.WORKER])
    existing = client.get(reverse("people:account", args=[users[Role.CITIZEN].pk]))
    missing = client.get(reverse("people:account", args=[999999]))
    assert existing.status_code == missing.status_code == 403


def test_worker_opening_another_account_is_refused_and_audited(client, users):
    worker, other = users[Role.WORKER], users[Role.CITIZEN]
    client.force_login(worker)
    response = client.get(reverse("people:account", args=[other.pk]))
    assert response.status_code == 403
    assert other.email not in response.content.decode()
    denied = AuditEntry.objects.get(action=AuditEntry.Action.DENIED)
    assert denied.actor == worker
    assert denied.path == reverse("people:account", args=[other.pk])
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.READ).exists()


def test_coordinator_of_another_city_cannot_read_the_account(client, users, make_user):
    elsewhere = City.objects.create(name="Altrove", slug="altrove", centre_lat=45.0, centre_lon=9.0)
    client.force_login(make_user(Role.COORDINATOR, city=elsewhere))
    assert client.get(reverse("people:account", args=[users[Role.WORKER].pk])).status_code == 403
