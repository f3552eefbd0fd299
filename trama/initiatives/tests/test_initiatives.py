import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.collective import services as collective
from trama.collective.models import Group, Meeting
from trama.initiatives import services
from trama.initiatives.models import GroupActivity, Initiative, Participation, StageTransition
from trama.market.models import Contribution
from trama.people.models import Role
from trama.testing import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_worker_creates_an_initiative_only_in_their_neighbourhoods(client, worker, neighbourhood, other_neighbourhood):
    client.force_login(worker)
    response = client.post(
        reverse("initiatives:create"),
        {
            "name": "Caffè di quartiere",
            "description": "Un caffè insieme il martedì.",
            "neighbourhoods": [other_neighbourhood.pk],
        },
    )
    assert response.status_code == 400 and not Initiative.objects.exists()
    response = client.post(
        reverse("initiatives:create"),
        {
            "name": "Caffè di quartiere",
            "description": "Un caffè insieme il martedì.",
            "neighbourhoods": [neighbourhood.pk],
        },
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302 and initiative.stage == "idea" and initiative.origin == "worker"
    assert list(initiative.neighbourhoods.all()) == [neighbourhood]


def test_a_group_turned_into_an_initiative_carries_its_neighbourhood_and_activity(client, worker, neighbourhood, activity, city):
    group = collective.create_group(city=city, neighbourhood=neighbourhood, name="Le cuoche del sabato", purpose="Cucinare insieme", by=worker)
    GroupActivity.objects.create(group=group, intervention_object=activity)
    client.force_login(worker)
    page = client.get(reverse("initiatives:create") + f"?gruppo={group.pk}")
    assert page.status_code == 200 and "Le cuoche del sabato" in page.content.decode()
    response = client.post(
        reverse("initiatives:create") + f"?gruppo={group.pk}",
        {
            "name": "Pranzo del sabato",
            "description": "Cuciniamo per chi vuole.",
            "intervention_object": activity.pk,
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    group.refresh_from_db()
    assert initiative.origin == Initiative.Origin.GROUP and initiative.origin_group == group
    assert list(initiative.neighbourhoods.all()) == [neighbourhood] and initiative.intervention_object == activity
    assert group.status == Group.Status.INITIATIVE


def test_a_worker_cannot_turn_a_group_of_another_neighbourhood_into_an_initiative(client, worker, other_neighbourhood, city, coordinator):
    group = collective.create_group(city=city, neighbourhood=other_neighbourhood, name="Altrove", purpose="x", by=coordinator)
    client.force_login(worker)
    response = client.post(reverse("initiatives:create") + f"?gruppo={group.pk}", {"name": "X", "description": "Y"})
    assert response.status_code == 403 and not Initiative.objects.exists()


def test_a_meeting_decision_opens_an_initiative_once(client, worker, neighbourhood, city):
    meeting = collective.save_meeting(
        Meeting(city=city, neighbourhood=neighbourhood, kind=Meeting.Kind.TABLE, title="Tavolo", starts_at=timezone.now()), by=worker
    )
    decision = collective.add_decision(meeting, by=worker, text="Apriamo un angolo delle riparazioni")
    client.force_login(worker)
    url = reverse("initiatives:create") + f"?decisione={decision.pk}"
    client.post(url, {"name": "Angolo delle riparazioni", "description": "Si riparano cose insieme."})
    initiative = Initiative.objects.get()
    assert initiative.origin_decision == decision and list(initiative.neighbourhoods.all()) == [neighbourhood]
    assert client.get(url).status_code == 302  # a second initiative from the same decision is not offered
    assert Initiative.objects.count() == 1


def test_moving_stage_needs_a_reason_and_a_confirmation_and_is_kept_in_history(client, worker, make_initiative):
    initiative = make_initiative()
    client.force_login(worker)
    url = reverse("initiatives:move", args=[initiative.pk])
    assert client.post(url, {"stage": "incubation", "reason": "Si parte"}).status_code == 400
    assert client.post(url, {"stage": "incubation", "reason": "", "confirm": "on"}).status_code == 400
    assert client.post(url, {"stage": "autonomous", "reason": "Salto", "confirm": "on"}).status_code == 400
    initiative.refresh_from_db()
    assert initiative.stage == "idea" and not StageTransition.objects.exists()
    assert client.post(url, {"stage": "incubation", "reason": "Ci sono tre volontari", "confirm": "on"}).status_code == 302
    initiative.refresh_from_db()
    transition = StageTransition.objects.get()
    assert initiative.stage == "incubation" and transition.reason == "Ci sono tre volontari" and transition.by == worker
    assert "Ci sono tre volontari" in client.get(reverse("initiatives:detail", args=[initiative.pk])).content.decode()


def test_commitment_fulfilment_is_read_from_the_ledger(client, worker, initiative, partner, neighbourhood):
    commitment = services.add_commitment(
        initiative, partner=partner, description="Sala per 10 ore", kind="space_hours", quantity=Decimal("10"), by=worker
    )
    client.force_login(worker)
    response = client.post(
        reverse("initiatives:commitment_contribution", args=[commitment.pk]),
        {
            "neighbourhood": neighbourhood.pk,
            "kind": "space_hours",
            "quantity": "4",
            "on": date.today().isoformat(),
            "area_sqm": "40",
        },
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.initiative_id == initiative.pk and contribution.organisation == partner.organisation
    assert contribution.sector == "third_sector"
    page = client.get(reverse("initiatives:detail", args=[initiative.pk])).content.decode()
    assert "(40%)" in page


def test_a_contribution_with_a_future_date_or_absurd_quantity_changes_nothing(client, worker, initiative, partner, neighbourhood):
    commitment = services.add_commitment(initiative, partner=partner, description="Ore", kind="hours", quantity=5, by=worker)
    client.force_login(worker)
    url = reverse("initiatives:commitment_contribution", args=[commitment.pk])
    future = (date.today() + timedelta(days=3)).isoformat()
    assert client.post(url, {"neighbourhood": neighbourhood.pk, "kind": "hours", "quantity": "2", "on": future}).status_code == 400
    assert client.post(url, {"neighbourhood": neighbourhood.pk, "kind": "hours", "quantity": "99999", "on": "2025-01-01"}).status_code == 400
    assert client.post(url, {"neighbourhood": "abc", "kind": "<script>", "quantity": "x", "on": "ieri"}).status_code == 400
    assert not Contribution.objects.exists()


def test_a_partner_member_updates_only_their_organisations_commitments(
    client, users, initiative, partner, other_organisation, coordinator, neighbourhood
):
    own = services.add_commitment(initiative, partner=partner, description="Sala", kind="hours", quantity=4, by=coordinator)
    other_partner = services.add_partner(initiative, organisation=other_organisation, role="funder", by=coordinator)
    other = services.add_commitment(initiative, partner=other_partner, description="Soldi", kind="euros", quantity=100, by=coordinator)
    client.force_login(users[Role.PARTNER])
    assert client.get(reverse("initiatives:detail", args=[initiative.pk])).status_code == 200
    response = client.post(
        reverse("initiatives:commitment_contribution", args=[own.pk]),
        {
            "neighbourhood": neighbourhood.pk,
            "kind": "hours",
            "quantity": "2",
            "on": date.today().isoformat(),
        },
    )
    assert response.status_code == 302 and Contribution.objects.get().recorded_by == users[Role.PARTNER]
    assert client.post(reverse("initiatives:commitment_edit", args=[other.pk]), {"description": "Niente"}).status_code == 403
    other.refresh_from_db()
    assert other.description == "Soldi"
    assert client.post(reverse("initiatives:milestone_add", args=[initiative.pk]), {"title": "X"}).status_code == 403


def test_milestones_are_added_and_reached_once(client, worker, initiative):
    client.force_login(worker)
    client.post(reverse("initiatives:milestone_add", args=[initiative.pk]), {"title": "Primo pranzo", "due_date": "2030-01-01"})
    milestone = initiative.milestones.get()
    client.post(reverse("initiatives:milestone_reached", args=[milestone.pk]))
    milestone.refresh_from_db()
    assert milestone.reached_on == date.today()


def test_named_participants_need_consent_and_stay_in_the_workers_scope(client, worker, initiative, make_person, other_neighbourhood):
    gino = make_person(name="Gino")
    far = make_person(name="Lontano", where=other_neighbourhood)
    client.force_login(worker)
    url = reverse("initiatives:participants", args=[initiative.pk])
    assert client.post(url, {"action": "add", "person": gino.pk}).status_code == 400
    assert client.post(url, {"action": "add", "person": far.pk, "consent": "on"}).status_code == 400
    assert not Participation.objects.exists()
    assert client.post(url, {"action": "add", "person": gino.pk, "consent": "on"}).status_code == 302
    participation = Participation.objects.get()
    assert participation.person == gino and participation.first_contact
    assert client.post(url, {"action": "count", "participant_count": "-3"}).status_code == 400
    client.post(url, {"action": "count", "participant_count": "25"})
    initiative.refresh_from_db()
    assert initiative.participant_count == 25
    assert "Gino" in client.get(url).content.decode()


def test_autonomy_assessments_show_a_table_a_chart_and_the_trend(client, worker, initiative):
    client.force_login(worker)
    url = reverse("initiatives:assessments", args=[initiative.pk])
    earlier = (date.today() - timedelta(days=90)).isoformat()
    client.post(url, {"assessed_on": earlier, "own_leadership": 1, "own_resources": 0, "own_decisions": 1, "ties": 1})
    client.post(url, {"assessed_on": date.today().isoformat(), "own_leadership": 2, "own_resources": 2, "own_decisions": 2, "ties": 3})
    assert initiative.assessments.count() == 2
    page = client.get(url).content.decode()
    assert "in crescita" in page and "<caption>" in page
    chart = client.get(reverse("initiatives:assessment_chart", args=[initiative.pk]))
    assert chart["Content-Type"] == "image/png" and chart.content[:4] == b"\x89PNG"
    assert client.post(url, {"assessed_on": earlier, "own_leadership": 7, "own_resources": 0, "own_decisions": 0, "ties": 0}).status_code == 400
    assert initiative.assessments.count() == 2


def test_partners_read_assessments_but_do_not_add_them(client, users, initiative, partner):
    client.force_login(users[Role.PARTNER])
    url = reverse("initiatives:assessments", args=[initiative.pk])
    assert client.get(url).status_code == 200
    assert (
        client.post(
            url, {"assessed_on": date.today().isoformat(), "own_leadership": 1, "own_resources": 1, "own_decisions": 1, "ties": 1}
        ).status_code
        == 403
    )
    assert not initiative.assessments.exists()


def test_a_citizen_proposal_is_an_idea_for_staff_to_review(client, users, neighbourhood, worker):
    client.force_login(users[Role.CITIZEN])
    client.post(
        reverse("initiatives:propose"), {"name": "Gruppo di cammino", "description": "Camminare al parco.", "neighbourhood": neighbourhood.pk}
    )
    initiative = Initiative.objects.get()
    assert initiative.stage == "idea" and initiative.origin == "citizen" and not initiative.is_public
    client.force_login(worker)
    assert "Gruppo di cammino" in client.get(reverse("initiatives:list") + "?fase=idea").content.decode()


def test_a_partner_proposal_names_the_organisation_as_promoter(client, users, neighbourhood, organisation):
    client.force_login(users[Role.PARTNER])
    client.post(
        reverse("initiatives:propose"),
        {"name": "Orto", "description": "Un orto.", "neighbourhood": neighbourhood.pk, "organisation": organisation.pk},
    )
    initiative = Initiative.objects.get()
    assert initiative.origin_organisation == organisation and initiative.partners.get().role == "promoter"


def test_hostile_initiative_input_is_refused_with_a_message(client, worker, neighbourhood):
    client.force_login(worker)
    response = client.post(
        reverse("initiatives:create"),
        {
            "name": "x" * 500,
            "description": "d" * 9000,
            "neighbourhoods": ["<script>"],
            "contact_email": "non-una-mail",
            "participant_count": "9999999999",
        },
    )
    assert response.status_code == 400 and not Initiative.objects.exists()
    assert "troppo lungo" in response.content.decode()


def test_initiative_list_queries_do_not_grow_with_rows(client, coordinator, make_initiative, activity, neighbourhood, other_neighbourhood):
    client.force_login(coordinator)
    numbers = itertools.count()

    def add(n):
        for _ in range(n):
            make_initiative(name=f"Iniziativa {next(numbers)}", intervention_object=activity, where=[neighbourhood, other_neighbourhood])

    assert_queries_do_not_grow(client, reverse("initiatives:list"), add)


@pytest.mark.parametrize("declared,shown", [(None, "0 partecipanti"), (1, "1 partecipante"), (0, "0 partecipanti"), (12, "12 partecipanti")])
def test_the_initiative_says_how_many_take_part_in_words(client, initiative, worker, declared, shown):
    initiative.participant_count = declared
    initiative.save(update_fields=["participant_count"])
    client.force_login(worker)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert f'data-testid="participants">{shown} ·' in page
    assert "Partecipanti 0" not in page


def test_people_registered_by_name_count_when_no_number_is_declared(client, initiative, worker, make_person):
    services.add_participant(initiative, person=make_person(), by=worker)
    client.force_login(worker)
    assert 'data-testid="participants">1 partecipante ·' in client.get(initiative.get_absolute_url()).content.decode()
