import itertools

import pytest
from django.urls import reverse

from trama.initiatives.models import InterventionObject
from trama.people.models import Role
from trama.testing import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_a_coordinator_adds_an_activity_and_its_slug_comes_from_the_name(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("initiatives:object_create"),
        {
            "name": "Gruppo di cammino",
            "description": "Si cammina insieme.",
            "wording_guidance": "Parla del camminare.",
        },
    )
    obj = InterventionObject.objects.get()
    assert response.status_code == 302 and obj.slug == "gruppo-di-cammino" and obj.city == coordinator.city
    again = client.post(reverse("initiatives:object_create"), {"name": "Gruppo di cammino", "description": "Di nuovo."})
    assert again.status_code == 400 and InterventionObject.objects.count() == 1


def test_workers_read_the_wording_guidance_but_do_not_edit_the_catalogue(client, worker, activity):
    client.force_login(worker)
    page = client.get(reverse("initiatives:object", args=[activity.pk])).content.decode()
    assert "Presenta l&#x27;attività, non le persone" in page
    assert client.post(reverse("initiatives:object_edit", args=[activity.pk]), {"name": "X", "description": "Y"}).status_code == 403
    assert client.post(reverse("initiatives:object_active", args=[activity.pk]), {"active": "0"}).status_code == 403
    activity.refresh_from_db()
    assert activity.name == "Pranzo condiviso" and activity.active


def test_a_deactivated_activity_is_no_longer_offered_for_new_initiatives(client, coordinator, activity):
    client.force_login(coordinator)
    client.post(reverse("initiatives:object_active", args=[activity.pk]), {"active": "0"})
    activity.refresh_from_db()
    assert not activity.active
    assert "Pranzo condiviso" not in client.get(reverse("initiatives:create")).content.decode()


def test_hostile_catalogue_input_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("initiatives:object_create"), {"name": "!!!", "description": "x" * 5000, "slug": "no spaces"})
    assert response.status_code == 400 and not InterventionObject.objects.exists()


def test_partners_and_citizens_do_not_see_the_catalogue_pages(client, users, activity):
    for role in (Role.PARTNER, Role.CITIZEN, Role.ANTENNA):
        client.force_login(users[role])
        assert client.get(reverse("initiatives:object", args=[activity.pk])).status_code == 403


def test_catalogue_list_queries_do_not_grow_with_rows(client, coordinator, city):
    client.force_login(coordinator)
    numbers = itertools.count()

    def add(n):
        for _ in range(n):
            k = next(numbers)
            InterventionObject.objects.create(city=city, name=f"Attività {k}", slug=f"a-{k}", description="x")

    assert_queries_do_not_grow(client, reverse("initiatives:objects"), add)
