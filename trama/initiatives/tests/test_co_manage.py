"""Partners co-manage the initiatives their organisation promotes or co-manages: they keep them up to date,
staff keep the stage, the partners and the people."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from trama.initiatives import services
from trama.initiatives.models import Commitment, Initiative, Milestone, Partner
from trama.people.models import Role
from trama.privacy.models import AuditEntry


@pytest.fixture
def co_managed(initiative, organisation, coordinator):
    services.add_partner(initiative, organisation=organisation, role=Partner.Role.CO_MANAGER, by=coordinator)
    return initiative


def _edit(client, initiative, **fields):
    data = {"description": initiative.description, "when": initiative.when, "how_to_join": initiative.how_to_join, "participant_count": ""}
    return client.post(reverse("initiatives:edit", args=[initiative.pk]), {**data, **fields})


def test_a_co_managing_partner_updates_the_description_and_the_count(client, users, co_managed):
    client.force_login(users[Role.PARTNER])
    assert client.get(reverse("initiatives:edit", args=[co_managed.pk])).status_code == 200
    response = _edit(client, co_managed, description="Pranzo e poi giochi da tavolo.", participant_count="24")
    assert response.status_code == 302
    co_managed.refresh_from_db()
    assert co_managed.description == "Pranzo e poi giochi da tavolo." and co_managed.participant_count == 24
    assert AuditEntry.objects.filter(actor=users[Role.PARTNER], action="update", object_id=str(co_managed.pk)).exists()


def test_a_partner_cannot_change_what_staff_keep_through_the_edit_page(client, users, co_managed, neighbourhood):
    client.force_login(users[Role.PARTNER])
    _edit(client, co_managed, name="Altro nome", is_public="", stage="ended", description="Nuova descrizione.")
    co_managed.refresh_from_db()
    assert co_managed.name == "Pranzo della domenica" and co_managed.is_public and co_managed.stage == "accompanied"
    assert co_managed.description == "Nuova descrizione."


def test_the_service_refuses_a_partner_staff_fields(users, co_managed):
    with pytest.raises(PermissionDenied):
        services.update_initiative(co_managed, by=users[Role.PARTNER], name="Altro nome")
    co_managed.refresh_from_db()
    assert co_managed.name == "Pranzo della domenica"


@pytest.mark.parametrize("role", [Partner.Role.HOST, Partner.Role.FUNDER])
def test_a_partner_that_only_supports_it_cannot_edit(client, users, initiative, organisation, coordinator, role):
    services.add_partner(initiative, organisation=organisation, role=role, by=coordinator)
    client.force_login(users[Role.PARTNER])
    for method in ("get", "post", "put", "patch", "delete"):
        assert getattr(client, method)(reverse("initiatives:edit", args=[initiative.pk])).status_code == 403
    assert _edit(client, initiative, description="Cambiata").status_code == 403
    assert client.post(reverse("initiatives:milestone_add", args=[initiative.pk]), {"title": "X"}).status_code == 403
    initiative.refresh_from_db()
    assert initiative.description.startswith("Un pranzo") and not Milestone.objects.exists()


def test_a_partner_of_another_organisation_cannot_edit(client, make_user, co_managed, other_organisation):
    stranger = make_user(Role.PARTNER)
    other_organisation.members.add(stranger)
    client.force_login(stranger)
    assert _edit(client, co_managed, description="Cambiata").status_code == 403
    co_managed.refresh_from_db()
    assert co_managed.description.startswith("Un pranzo")


def test_an_oversized_description_is_refused_in_italian_and_nothing_changes(client, users, co_managed):
    client.force_login(users[Role.PARTNER])
    response = _edit(client, co_managed, description="x" * 5000, participant_count="9999999")
    assert response.status_code == 400
    page = response.content.decode()
    assert "troppo lungo" in page and "troppo alto" in page
    co_managed.refresh_from_db()
    assert co_managed.description.startswith("Un pranzo") and co_managed.participant_count is None


def test_a_co_managing_partner_keeps_milestones_and_her_own_commitments(client, users, co_managed, organisation, other_organisation, coordinator):
    own = co_managed.partners.get(organisation=organisation, role=Partner.Role.CO_MANAGER)
    other = services.add_partner(co_managed, organisation=other_organisation, role=Partner.Role.FUNDER, by=coordinator)
    client.force_login(users[Role.PARTNER])
    client.post(reverse("initiatives:milestone_add", args=[co_managed.pk]), {"title": "Primo pranzo"})
    milestone = Milestone.objects.get()
    client.post(reverse("initiatives:milestone_reached", args=[milestone.pk]))
    milestone.refresh_from_db()
    assert milestone.reached_on is not None
    client.post(reverse("initiatives:commitment_add", args=[co_managed.pk]), {"partner": own.pk, "description": "Le sedie"})
    client.post(reverse("initiatives:commitment_add", args=[co_managed.pk]), {"partner": other.pk, "description": "Soldi non nostri"})
    assert list(Commitment.objects.values_list("description", flat=True)) == ["Le sedie"]
    # The stage, the partners and the people stay with staff.
    assert client.post(reverse("initiatives:move", args=[co_managed.pk]), {"stage": "ended", "reason": "x", "confirm": "on"}).status_code == 403
    assert client.get(reverse("initiatives:participants", args=[co_managed.pk])).status_code == 403
    co_managed.refresh_from_db()
    assert co_managed.stage == "accompanied"


def test_a_partner_proposal_can_then_be_kept_up_to_date_by_her(client, users, neighbourhood, organisation):
    client.force_login(users[Role.PARTNER])
    client.post(
        reverse("initiatives:propose"),
        {"name": "Orto", "description": "Un orto.", "neighbourhood": neighbourhood.pk, "organisation": organisation.pk},
    )
    initiative = Initiative.objects.get()
    assert initiative.stage == "idea"
    assert _edit(client, initiative, description="Un orto con le scuole.").status_code == 302
    initiative.refresh_from_db()
    assert initiative.description == "Un orto con le scuole." and initiative.stage == "idea"
