"""Suggestions as people see them: who may see whom, dismiss and convene."""

import pytest
from django.urls import reverse

from trama.collective.models import Group, Membership, Suggestion
from trama.people.models import Consent, Role
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_worker_of_the_neighbourhood_sees_the_people_and_the_read_is_audited(client, users, shopping_suggestion):
    client.force_login(users[Role.WORKER])
    response = client.get(reverse("collective:suggestion", args=[shopping_suggestion.pk]))
    assert response.status_code == 200
    for person in shopping_suggestion.people.all():
        assert person.display_name in response.content.decode()
    assert "portare a casa la spesa" in response.content.decode()
    assert AuditEntry.objects.filter(actor=users[Role.WORKER], object_type="collective.suggestion", action="read").exists()
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]


def test_a_coordinator_sees_the_suggestion_but_not_the_people(client, users, shopping_suggestion):
    client.force_login(users[Role.COORDINATOR])
    page = client.get(reverse("collective:suggestion", args=[shopping_suggestion.pk])).content.decode()
    assert shopping_suggestion.purpose in page
    for person in shopping_suggestion.people.all():
        assert person.display_name not in page
    assert "portare a casa la spesa" not in page
    listing = client.get(reverse("collective:suggestions")).content.decode()
    assert "6 persone con una situazione simile" in listing
    for person in shopping_suggestion.people.all():
        assert person.display_name not in listing


def test_a_worker_of_another_neighbourhood_sees_nothing(client, make_user, other_neighbourhood, shopping_suggestion):
    client.force_login(make_user(Role.WORKER, [other_neighbourhood]))
    assert client.get(reverse("collective:suggestion", args=[shopping_suggestion.pk])).status_code == 403
    assert "persone con una situazione simile a" not in client.get(reverse("collective:suggestions")).content.decode()


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_other_roles_see_no_suggestion(client, users, shopping_suggestion, role):
    client.force_login(users[role])
    assert client.get(reverse("collective:suggestions")).status_code == 403
    assert client.get(reverse("collective:suggestion", args=[shopping_suggestion.pk])).status_code == 403
    assert client.get(reverse("api-collective-suggestions")).status_code == 403


def test_dismissing_needs_a_reason_and_then_the_suggestion_is_gone(client, users, shopping_suggestion):
    client.force_login(users[Role.WORKER])
    url = reverse("collective:suggestion_dismiss", args=[shopping_suggestion.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Li seguiamo già uno per uno"})
    assert response.status_code == 302
    shopping_suggestion.refresh_from_db()
    assert shopping_suggestion.status == Suggestion.Status.DISMISSED
    assert shopping_suggestion.dismissed_reason == "Li seguiamo già uno per uno"
    assert "persone con una situazione simile a" not in client.get(reverse("collective:suggestions")).content.decode()


def test_a_coordinator_cannot_convene_or_dismiss(client, users, shopping_suggestion):
    client.force_login(users[Role.COORDINATOR])
    assert client.post(reverse("collective:suggestion_convene", args=[shopping_suggestion.pk]), {"name": "X", "purpose": "Y"}).status_code == 403
    assert client.post(reverse("collective:suggestion_dismiss", args=[shopping_suggestion.pk]), {"reason": "no"}).status_code == 403
    shopping_suggestion.refresh_from_db()
    assert shopping_suggestion.status == Suggestion.Status.OPEN


def test_convening_creates_a_forming_group_with_the_people_who_consented(client, users, shopping_suggestion):
    people = list(shopping_suggestion.people.order_by("pk"))
    client.force_login(users[Role.WORKER])
    url = reverse("collective:suggestion_convene", args=[shopping_suggestion.pk])
    assert "Persone da invitare" in client.get(url).content.decode()
    response = client.post(
        url, {"name": "Spesa insieme", "purpose": "Fare la spesa insieme", "members": [people[0].pk, people[1].pk], "consent": "on"}
    )
    group = Group.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("collective:group", args=[group.pk])
    assert group.status == Group.Status.FORMING and group.suggestion == shopping_suggestion
    assert group.neighbourhood_id == shopping_suggestion.neighbourhood_id
    memberships = Membership.objects.filter(group=group)
    assert {m.person_id for m in memberships} == {people[0].pk, people[1].pk}
    assert all(m.consent_recorded_by == users[Role.WORKER] for m in memberships)
    assert people[0].has_consent(Consent.Purpose.GROUPS)
    shopping_suggestion.refresh_from_db()
    assert shopping_suggestion.status == Suggestion.Status.CONVENED


def test_no_one_is_added_without_the_consent_box(client, users, shopping_suggestion):
    person = shopping_suggestion.people.first()
    client.force_login(users[Role.WORKER])
    response = client.post(
        reverse("collective:suggestion_convene", args=[shopping_suggestion.pk]),
        {"name": "Spesa insieme", "purpose": "La spesa", "members": [person.pk]},
    )
    assert response.status_code == 400
    assert not Group.objects.exists()
    assert not person.has_consent(Consent.Purpose.GROUPS)


def test_convening_cannot_invite_someone_outside_the_suggestion(client, users, shopping_suggestion, make_person):
    stranger = make_person()
    client.force_login(users[Role.WORKER])
    response = client.post(
        reverse("collective:suggestion_convene", args=[shopping_suggestion.pk]),
        {"name": "Spesa", "purpose": "La spesa", "members": [stranger.pk], "consent": "on"},
    )
    assert response.status_code == 400
    assert not Group.objects.exists()


def test_the_api_gives_people_only_to_the_workers_of_the_neighbourhood(client, users, shopping_suggestion):
    client.force_login(users[Role.WORKER])
    [row] = client.get(reverse("api-collective-suggestions")).json()["results"]
    assert len(row["people"]) == 6
    client.force_login(users[Role.COORDINATOR])
    [row] = client.get(reverse("api-collective-suggestions")).json()["results"]
    assert row["people"] is None and row["size"] == 6
    assert client.get(reverse("api-collective-suggestions") + "?status=<script>").status_code == 400


def test_refresh_button_runs_the_refresh(client, users, city, make_need):
    from .conftest import SHOPPING

    for text in SHOPPING[:5]:
        make_need(text)
    client.force_login(users[Role.WORKER])
    response = client.post(reverse("collective:suggestions_refresh"))
    assert response.status_code == 302
    assert Suggestion.objects.filter(city=city, status=Suggestion.Status.OPEN).count() == 1
