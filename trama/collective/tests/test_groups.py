"""Groups: who sees them, their life (forming → active → closed) and their members."""

import itertools

import pytest
from django.urls import reverse

from trama.collective import services
from trama.collective.models import Group, Membership
from trama.people.models import Consent, Role
from trama.testing import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_workers_see_the_groups_of_their_neighbourhoods_only(client, users, make_user, other_neighbourhood, make_group):
    mine, theirs = make_group("Spesa insieme"), make_group("Orto comune", where=other_neighbourhood)
    client.force_login(users[Role.WORKER])
    page = client.get(reverse("collective:groups")).content.decode()
    assert "Spesa insieme" in page and "Orto comune" not in page
    assert client.get(reverse("collective:group", args=[theirs.pk])).status_code == 403
    client.force_login(users[Role.COORDINATOR])
    page = client.get(reverse("collective:groups")).content.decode()
    assert "Spesa insieme" in page and "Orto comune" in page
    assert mine


def test_a_citizen_sees_only_the_groups_they_belong_to_and_not_the_members(client, users, make_group, make_person):
    citizen = users[Role.CITIZEN]
    mine, other = make_group("Spesa insieme"), make_group("Orto comune")
    me = make_person(name="Io", account=citizen)
    services.add_member(mine, me, by=users[Role.WORKER], consent=True)
    services.add_member(mine, make_person(name="Vicina di casa"), by=users[Role.WORKER], consent=True)
    client.force_login(citizen)
    listing = client.get(reverse("collective:groups")).content.decode()
    assert "Spesa insieme" in listing and "Orto comune" not in listing
    page = client.get(reverse("collective:group", args=[mine.pk])).content.decode()
    assert "Spesa insieme" in page and "Vicina di casa" not in page
    assert client.get(reverse("collective:group", args=[other.pk])).status_code == 403
    assert "Spesa insieme" in client.get(reverse("home")).content.decode()


def test_a_group_is_created_in_formation_then_activated_then_closed_with_a_note(client, users, neighbourhood):
    client.force_login(users[Role.WORKER])
    response = client.post(reverse("collective:group_create"), {"name": "Compiti insieme", "purpose": "I compiti", "neighbourhood": neighbourhood.pk})
    group = Group.objects.get()
    assert response.status_code == 302 and group.status == Group.Status.FORMING
    status_url = reverse("collective:group_status", args=[group.pk])
    assert client.post(status_url, {"action": "activate"}).status_code == 400  # no confirmation
    client.post(status_url, {"action": "activate", "confirm": "on"})
    group.refresh_from_db()
    assert group.status == Group.Status.ACTIVE
    assert client.post(status_url, {"action": "close", "confirm": "on"}).status_code == 400  # no note
    client.post(status_url, {"action": "close", "confirm": "on", "note": "Il gruppo si è sciolto a giugno"})
    group.refresh_from_db()
    assert group.status == Group.Status.CLOSED and group.closing_note == "Il gruppo si è sciolto a giugno"


def test_a_worker_cannot_create_a_group_in_another_neighbourhood(client, users, other_neighbourhood):
    client.force_login(users[Role.WORKER])
    response = client.post(reverse("collective:group_create"), {"name": "X", "purpose": "Y", "neighbourhood": other_neighbourhood.pk})
    assert response.status_code == 400 and not Group.objects.exists()
    assert "Puoi scegliere solo uno dei quartieri" in response.content.decode()


def test_members_are_added_only_with_consent_and_removed_with_confirmation(client, users, make_group, make_person):
    group, person = make_group(), make_person(name="Gina")
    client.force_login(users[Role.WORKER])
    url = reverse("collective:member_add", args=[group.pk])
    assert client.post(url, {"person": person.pk}).status_code == 400
    assert not Membership.objects.exists()
    client.post(url, {"person": person.pk, "consent": "on"})
    membership = Membership.objects.get()
    assert membership.consent_recorded_by == users[Role.WORKER] and person.has_consent(Consent.Purpose.GROUPS)
    assert "Gina" in client.get(reverse("collective:group", args=[group.pk])).content.decode()
    remove = reverse("collective:member_remove", args=[group.pk, person.pk])
    client.post(remove, {})
    assert Membership.objects.get().left_at is None
    client.post(remove, {"confirm": "1"})
    assert Membership.objects.get().left_at is not None
    assert "Gina" not in client.get(reverse("collective:group", args=[group.pk])).content.decode()


def test_a_worker_cannot_add_a_person_of_another_neighbourhood(client, users, make_group, make_person, other_neighbourhood):
    group, stranger = make_group(), make_person(where=other_neighbourhood)
    client.force_login(users[Role.WORKER])
    response = client.post(reverse("collective:member_add", args=[group.pk]), {"person": stranger.pk, "consent": "on"})
    assert response.status_code == 400 and not Membership.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "x" * 500, "purpose": "Y"},
        {"name": "", "purpose": "Y"},
        {"name": "X", "purpose": "p" * 5000},
        {"name": "X", "purpose": "Y", "neighbourhood": "abc"},
        {"name": "X", "purpose": "Y", "themes": ["abc"]},
    ],
)
def test_hostile_group_input_is_refused(client, users, neighbourhood, payload):
    client.force_login(users[Role.WORKER])
    response = client.post(reverse("collective:group_create"), {"neighbourhood": neighbourhood.pk, **payload})
    assert response.status_code == 400 and not Group.objects.exists()


def test_non_numeric_and_unknown_ids_are_404(client, users):
    client.force_login(users[Role.WORKER])
    assert client.get("/gruppi/abc/").status_code == 404
    assert client.get(reverse("collective:group", args=[999999])).status_code == 404
    assert client.get(reverse("collective:meeting_create") + "?gruppo=abc").status_code == 404


def test_group_list_query_count_does_not_grow_with_rows(client, users, make_group):
    client.force_login(users[Role.WORKER])
    numbers = itertools.count(1)

    def add(n):
        for _ in range(n):
            make_group(f"Gruppo {next(numbers)}")

    assert_queries_do_not_grow(client, reverse("collective:groups"), add)


def test_person_page_shows_their_groups_to_staff(client, users, make_group, make_person):
    group, person = make_group("Spesa insieme"), make_person()
    services.add_member(group, person, by=users[Role.WORKER], consent=True)
    client.force_login(users[Role.WORKER])
    assert "Spesa insieme" in client.get(reverse("people:person", args=[person.pk])).content.decode()


def test_a_group_can_be_renamed_by_staff_in_scope(client, users, make_group):
    group = make_group("Nome provvisorio")
    client.force_login(users[Role.WORKER])
    response = client.post(reverse("collective:group_edit", args=[group.pk]), {"name": "Le borse leggere", "purpose": "La spesa insieme"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Le borse leggere"


def test_a_coordinator_of_another_city_sees_nothing(client, make_user, make_group, shopping_suggestion):
    from trama.territory.models import City

    other_city = City.objects.create(name="Altrove", slug="altrove", centre_lat=45.0, centre_lon=9.0)
    group = make_group()
    client.force_login(make_user(Role.COORDINATOR, city=other_city))
    assert client.get(reverse("collective:group", args=[group.pk])).status_code == 403
    assert client.get(reverse("collective:suggestion", args=[shopping_suggestion.pk])).status_code == 403
    assert "Spesa insieme" not in client.get(reverse("collective:groups")).content.decode()
    assert client.get(reverse("api-collective-suggestions")).json()["results"] == []
