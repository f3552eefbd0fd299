"""Taking a partner or a milestone off an initiative: a confirmation page, then a POST; refused
for reached milestones and for partners whose commitments have contributions in the ledger."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from trama.initiatives import services
from trama.initiatives.models import Commitment, Milestone, Partner
from trama.market.models import Contribution
from trama.people.models import Role
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone(initiative, coordinator):
    return services.add_milestone(initiative, title="Primo pranzo", by=coordinator)


def _remove_partner(pk):
    return reverse("initiatives:partner_remove", args=[pk])


def _remove_milestone(pk):
    return reverse("initiatives:milestone_remove", args=[pk])


def test_the_confirmation_page_asks_and_a_get_removes_nothing(client, worker, partner, milestone):
    client.force_login(worker)
    page = client.get(_remove_partner(partner.pk)).content.decode()
    assert "Vuoi davvero togliere «Associazione Il Ponte» (ospita)" in page and "Togli il partner Associazione Il Ponte" in page
    page = client.get(_remove_milestone(milestone.pk)).content.decode()
    assert "Vuoi davvero togliere il traguardo «Primo pranzo»" in page and "Togli il traguardo Primo pranzo" in page
    assert Partner.objects.filter(pk=partner.pk).exists() and Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_worker_removes_a_partner_with_its_commitments_and_the_removal_is_audited(client, worker, initiative, partner):
    services.add_commitment(initiative, partner=partner, description="La sala", by=worker)
    client.force_login(worker)
    assert "La sala" in client.get(_remove_partner(partner.pk)).content.decode()
    response = client.post(_remove_partner(partner.pk))
    assert response.status_code == 302 and response["Location"].endswith(initiative.get_absolute_url() + "#partner")
    assert not Partner.objects.exists() and not Commitment.objects.exists()
    entry = AuditEntry.objects.get(action="delete", object_type="initiatives.partner")
    assert entry.actor == worker and "impegni tolti: 1" in entry.reason


def test_a_coordinator_removes_a_milestone_not_yet_reached(client, coordinator, initiative, milestone):
    client.force_login(coordinator)
    response = client.post(_remove_milestone(milestone.pk))
    assert response.status_code == 302 and response["Location"].endswith("#traguardi")
    assert not Milestone.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_type="initiatives.milestone", object_id=str(milestone.pk)).exists()


def test_a_reached_milestone_stays_with_a_clear_message(client, worker, milestone):
    services.reach_milestone(milestone, by=worker)
    client.force_login(worker)
    for response in (client.get(_remove_milestone(milestone.pk)), client.post(_remove_milestone(milestone.pk))):
        page = response.content.decode()
        assert response.status_code == 409
        assert "è stato raggiunto" in page and "non si può togliere" in page and "Togli il traguardo" not in page
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_partner_with_contributions_in_the_ledger_stays(client, worker, initiative, partner, neighbourhood):
    commitment = services.add_commitment(initiative, partner=partner, description="Ore di volontariato", kind="hours", quantity=10, by=worker)
    services.record_commitment_contribution(commitment, by=worker, neighbourhood=neighbourhood, kind="hours", quantity=3, on=date.today())
    client.force_login(worker)
    for response in (client.get(_remove_partner(partner.pk)), client.post(_remove_partner(partner.pk))):
        assert response.status_code == 409
        assert "registro delle risorse" in response.content.decode()
    assert Partner.objects.filter(pk=partner.pk).exists() and Commitment.objects.filter(pk=commitment.pk).exists()
    assert Contribution.objects.get().initiative_id == initiative.pk
    assert not AuditEntry.objects.filter(action="delete").exists()
    with pytest.raises(ValidationError, match="registro delle risorse"):
        services.remove_partner(partner, by=worker)


def test_the_detail_page_links_each_removal_with_a_name_that_says_what_it_removes(
    client, worker, initiative, partner, milestone, other_organisation, neighbourhood
):
    reached = services.add_milestone(initiative, title="Festa d'estate", by=worker)
    services.reach_milestone(reached, by=worker)
    funder = services.add_partner(initiative, organisation=other_organisation, role=Partner.Role.FUNDER, by=worker)
    commitment = services.add_commitment(initiative, partner=funder, description="Soldi", kind="euros", quantity=100, by=worker)
    services.record_commitment_contribution(commitment, by=worker, neighbourhood=neighbourhood, kind="euros", quantity=50, on=date.today())
    client.force_login(worker)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert _remove_partner(partner.pk) in page and "il partner Associazione Il Ponte (ospita)" in page
    assert _remove_milestone(milestone.pk) in page and "il traguardo Primo pranzo" in page
    assert _remove_partner(funder.pk) not in page and "ha contributi nel registro" in page
    assert _remove_milestone(reached.pk) not in page


def test_partners_and_citizens_see_no_removal_and_are_refused(client, users, initiative, partner, milestone):
    services.join(initiative, user=users[Role.CITIZEN])
    for role in (Role.PARTNER, Role.CITIZEN):
        client.force_login(users[role])
        page = client.get(initiative.get_absolute_url()).content.decode()
        assert "/togli/" not in page
        assert client.get(_remove_partner(partner.pk)).status_code == 403
        assert client.post(_remove_partner(partner.pk)).status_code == 403
        assert client.post(_remove_milestone(milestone.pk)).status_code == 403
    client.force_login(users[Role.ANTENNA])
    assert client.post(_remove_partner(partner.pk)).status_code == 403
    client.logout()
    response = client.post(_remove_milestone(milestone.pk))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert Partner.objects.filter(pk=partner.pk).exists() and Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_worker_of_another_neighbourhood_is_refused(client, make_user, other_neighbourhood, partner, milestone):
    client.force_login(make_user(Role.WORKER, [other_neighbourhood]))
    assert client.get(_remove_partner(partner.pk)).status_code == 403
    assert client.post(_remove_partner(partner.pk)).status_code == 403
    assert client.post(_remove_milestone(milestone.pk)).status_code == 403
    assert Partner.objects.filter(pk=partner.pk).exists() and Milestone.objects.filter(pk=milestone.pk).exists()


def test_unknown_ids_give_404_and_other_methods_405(client, worker, partner):
    client.force_login(worker)
    assert client.get(_remove_partner(999999)).status_code == 404
    assert client.post(_remove_milestone(999999)).status_code == 404
    assert client.put(_remove_partner(partner.pk)).status_code == 405
    assert client.delete(_remove_partner(partner.pk)).status_code == 405
    assert Partner.objects.filter(pk=partner.pk).exists()
