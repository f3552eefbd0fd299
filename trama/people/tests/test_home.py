import pytest

from trama.people.models import Role

pytestmark = pytest.mark.django_db


def test_anonymous_home_invites_to_register_and_shows_no_account(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Registrati" in response.content.decode()


@pytest.mark.parametrize(
    "role,heading",
    [
        (Role.COORDINATOR, "Coordinamento del programma"),
        (Role.WORKER, "Lavoro di comunità"),
        (Role.PARTNER, "Spazio partner"),
        (Role.ANTENNA, "Antenna del quartiere"),
        (Role.CITIZEN, "Benvenuta, benvenuto"),
    ],
)
def test_each_role_sees_its_own_home(client, users, role, heading):
    client.force_login(users[role])
    response = client.get("/")
    assert response.status_code == 200
    assert heading in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_worker_home_lists_only_assigned_neighbourhoods(client, users, neighbourhood, other_neighbourhood):
    client.force_login(users[Role.WORKER])
    body = client.get("/").content.decode()
    assert neighbourhood.name in body
    assert other_neighbourhood.name not in body
