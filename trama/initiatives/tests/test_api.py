import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from trama.initiatives import services
from trama.initiatives.models import Initiative, InterventionObject
from trama.people.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_the_public_api_lists_published_initiatives_with_public_fields_only(api, initiative, make_initiative, make_person, worker):
    make_initiative("Riservata", stage="accompanied")
    services.add_participant(initiative, person=make_person(name="Gino"), by=worker)
    response = api.get(reverse("api-initiatives-public"))
    assert response.status_code == 200
    rows = response.json()["results"] if isinstance(response.json(), dict) else response.json()
    assert [row["name"] for row in rows] == ["Pranzo della domenica"]
    assert set(rows[0]) == {
        "id",
        "name",
        "description",
        "intervention_object",
        "neighbourhoods",
        "place",
        "when",
        "how_to_join",
        "contact_email",
        "stage",
    }
    assert "Gino" not in response.content.decode()


def test_a_public_initiative_without_place_or_object_answers_null_as_its_schema_says(api, make_initiative):
    """The schema promised a string for place and intervention_object; an initiative without them answered null."""
    from drf_spectacular.generators import SchemaGenerator

    bare = make_initiative("Senza luogo", stage="accompanied", is_public=True)
    row = api.get(reverse("api-initiatives-public-one", args=[bare.pk])).json()
    assert row["place"] is None and row["intervention_object"] is None
    fields = SchemaGenerator().get_schema(public=True)["components"]["schemas"]["PublicInitiative"]["properties"]
    assert fields["place"].get("nullable") is True and fields["intervention_object"].get("nullable") is True


def test_public_api_filters_refuse_nothing_and_leak_nothing(api, initiative, other_neighbourhood):
    for params in (
        {"neighbourhood": "abc"},
        {"neighbourhood": "99999999999999999999"},
        {"intervention_object": "-1"},
        {"neighbourhood": other_neighbourhood.pk},
    ):
        response = api.get(reverse("api-initiatives-public"), params)
        assert response.status_code == 200 and "Pranzo" not in response.content.decode()


def test_a_worker_creates_an_initiative_only_in_their_neighbourhoods(api, worker, neighbourhood, other_neighbourhood):
    api.force_authenticate(worker)
    refused = api.post(reverse("api-initiatives"), {"name": "X", "description": "Y", "neighbourhoods": [other_neighbourhood.pk]}, format="json")
    assert refused.status_code == 400 and not Initiative.objects.exists()
    made = api.post(reverse("api-initiatives"), {"name": "Caffè", "description": "Un caffè", "neighbourhoods": [neighbourhood.pk]}, format="json")
    assert made.status_code == 201 and Initiative.objects.get().origin == "worker"


def test_hostile_api_input_gives_a_4xx_and_changes_nothing(api, worker, initiative):
    api.force_authenticate(worker)
    for body in ({"name": "x" * 1000}, {"neighbourhoods": ["<script>"]}, {"participant_count": -5}, {"intervention_object": 99999}):
        assert api.patch(reverse("api-initiative", args=[initiative.pk]), body, format="json").status_code == 400
    assert api.post(reverse("api-initiative-move", args=[initiative.pk]), {"stage": "idea", "reason": "x"}, format="json").status_code == 400
    assert api.post(reverse("api-initiative-move", args=[initiative.pk]), {"stage": "autonomous", "reason": ""}, format="json").status_code == 400
    assert api.post(reverse("api-initiative-move", args=[initiative.pk]), "[]", content_type="application/json").status_code == 400
    initiative.refresh_from_db()
    assert initiative.name == "Pranzo della domenica" and initiative.stage == "accompanied"


def test_moving_through_the_api_keeps_the_history(api, worker, initiative):
    api.force_authenticate(worker)
    response = api.post(reverse("api-initiative-move", args=[initiative.pk]), {"stage": "autonomous", "reason": "Va da sola"}, format="json")
    assert response.status_code == 200 and response.json()["stage"] == "autonomous"
    assert initiative.transitions.last().reason == "Va da sola"


def test_partners_and_citizens_cannot_move_or_change_an_initiative(api, users, initiative, partner):
    for role in (Role.PARTNER, Role.CITIZEN):
        api.force_authenticate(users[role])
        assert api.post(reverse("api-initiative-move", args=[initiative.pk]), {"stage": "ended", "reason": "x"}, format="json").status_code == 403
        assert api.patch(reverse("api-initiative", args=[initiative.pk]), {"name": "Mia"}, format="json").status_code == 403
    initiative.refresh_from_db()
    assert initiative.stage == "accompanied" and initiative.name == "Pranzo della domenica"


def test_only_coordinators_add_to_the_catalogue_through_the_api(api, users, activity):
    body = {"name": "Orto", "slug": "orto", "description": "Un orto"}
    api.force_authenticate(users[Role.WORKER])
    assert api.post(reverse("api-initiatives-objects"), body, format="json").status_code == 403
    api.force_authenticate(users[Role.COORDINATOR])
    assert api.post(reverse("api-initiatives-objects"), body, format="json").status_code == 201
    assert api.post(reverse("api-initiatives-objects"), body, format="json").status_code == 400
    assert api.post(reverse("api-initiatives-objects"), {"name": "x", "slug": "a b", "description": ""}, format="json").status_code == 400
    assert InterventionObject.objects.count() == 2
