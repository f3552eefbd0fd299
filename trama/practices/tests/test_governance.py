"""Shared governance: bodies, mandates, meetings (collective's), decisions linked to what they changed, the
partners' decisions and the steering group's public page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.collective import services as collective_services
from trama.collective.models import Meeting
from trama.people.models import Role
from trama.practices import services
from trama.practices.models import Body, DecisionLink, Mandate, Practice
from trama.testing import STIGMA

pytestmark = pytest.mark.django_db


@pytest.fixture
def steering(coordinator, city):
    return services.create_body(Body(city=city, kind=Body.Kind.STEERING, name="Cabina di regia"), by=coordinator)


@pytest.fixture
def table(coordinator, city, neighbourhood):
    return services.create_body(Body(city=city, kind=Body.Kind.TABLE, neighbourhood=neighbourhood, name="Tavolo di Borgo Alto"), by=coordinator)


def _meeting(body, by, neighbourhood=None):
    when = timezone.now() + timedelta(days=3)
    return services.hold_meeting(body, Meeting(title="Incontro di dicembre", starts_at=when, neighbourhood=neighbourhood), by=by)


def test_a_coordinator_sets_up_the_bodies_and_nobody_else_does(client, users, coordinator, neighbourhood):
    url = reverse("practices:body_create")
    for role in (Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN):
        client.force_login(users[role])
        assert client.post(url, {"kind": "steering", "name": "Cabina"}).status_code == 403
    client.force_login(coordinator)
    refused = client.post(url, {"kind": "table", "name": "Tavolo"})
    assert refused.status_code == 400
    assert "ha bisogno del suo quartiere" in refused.content.decode()
    assert client.post(url, {"kind": "altro", "name": "Tavolo"}).status_code == 400
    assert not Body.objects.exists()
    assert client.post(url, {"kind": "table", "name": "Tavolo", "neighbourhood": neighbourhood.pk}).status_code == 302


def test_mandates_with_their_dates_and_whom_they_represent(client, coordinator, steering, organisation):
    client.force_login(coordinator)
    url = reverse("practices:mandate_add", args=[steering.pk])
    base = {"role": "rappresentante", "organisation": organisation.pk, "member_name": "Maria Bianchi", "starts_on": "2026-01-01"}
    for bad in (
        {**base, "ends_on": "2025-01-01"},
        {**base, "organisation": "", "represents_municipality": ""},
        {**base, "represents_municipality": "on"},
        {**base, "starts_on": "ieri"},
        {**base, "role": "r" * 121},
    ):
        response = client.post(url, bad)
        assert response.status_code == 400, bad
    assert not Mandate.objects.exists()
    assert client.post(url, base).status_code == 302
    mandate = Mandate.objects.get()
    assert (mandate.represented, mandate.current) == (organisation.name, True)
    assert client.get(reverse("practices:mandate_end", args=[mandate.pk])).status_code == 405
    assert client.post(reverse("practices:mandate_end", args=[mandate.pk])).status_code == 302
    mandate.refresh_from_db()
    assert mandate.ends_on == timezone.localdate()


def test_partners_read_roles_and_organisations_not_names(client, users, coordinator, steering, organisation):
    services.add_mandate(
        Mandate(body=steering, organisation=organisation, role="rappresentante", member_name="Maria Bianchi", starts_on=date(2026, 1, 1)),
        by=coordinator,
    )
    client.force_login(users[Role.PARTNER])
    page = client.get(reverse("practices:body", args=[steering.pk])).content.decode()
    assert organisation.name in page and "rappresentante" in page and "Maria Bianchi" not in page
    client.force_login(coordinator)
    assert "Maria Bianchi" in client.get(reverse("practices:body", args=[steering.pk])).content.decode()
    for role in (Role.ANTENNA, Role.CITIZEN):
        client.force_login(users[role])
        assert client.get(reverse("practices:body", args=[steering.pk])).status_code == 403


def test_a_bodys_meeting_is_a_collective_meeting(client, coordinator, worker, steering, table, neighbourhood, other_neighbourhood, city):
    client.force_login(coordinator)
    when = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(reverse("practices:body_meeting", args=[steering.pk]), {"title": "Cabina", "starts_at": when})
    assert refused.status_code == 400  # where it is held
    response = client.post(
        reverse("practices:body_meeting", args=[steering.pk]), {"title": "Cabina", "starts_at": when, "neighbourhood": neighbourhood.pk}
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("collective:meeting", args=[meeting.pk])
    assert (meeting.kind, services.body_of(meeting)) == (Meeting.Kind.STEERING, steering)
    client.force_login(worker)
    assert (
        client.post(
            reverse("practices:body_meeting", args=[steering.pk]), {"title": "X", "starts_at": when, "neighbourhood": neighbourhood.pk}
        ).status_code
        == 403
    )
    assert client.post(reverse("practices:body_meeting", args=[table.pk]), {"title": "Tavolo", "starts_at": when}).status_code == 302
    assert Meeting.objects.filter(kind=Meeting.Kind.TABLE, neighbourhood=neighbourhood).count() == 1
    elsewhere = services.create_body(Body(city=city, kind=Body.Kind.TABLE, neighbourhood=other_neighbourhood, name="Altro tavolo"), by=coordinator)
    assert client.post(reverse("practices:body_meeting", args=[elsewhere.pk]), {"title": "X", "starts_at": when}).status_code == 403


def test_decisions_linked_to_what_they_changed_reach_the_partners_they_concern(
    client, users, coordinator, steering, organisation, other_organisation, neighbourhood, make_practice
):
    practice = make_practice(status=Practice.Status.PUBLISHED)
    meeting = _meeting(steering, coordinator, neighbourhood)
    decision = collective_services.add_decision(meeting, by=coordinator, text="Portare la merenda in tutti i quartieri")
    client.force_login(coordinator)
    # The meeting's page offers the link.
    assert reverse("practices:decision_link", args=[decision.pk]) in client.get(reverse("collective:meeting", args=[meeting.pk])).content.decode()
    url = reverse("practices:decision_link", args=[decision.pk])
    assert client.post(url, {"practice": 999999}).status_code == 400
    assert client.post(url, {"target": "t" * 201}).status_code == 400
    assert not DecisionLink.objects.exists()
    data = {
        "practice": practice.pk,
        "target": "G4: bisogni portati in un gruppo",
        "concerns": [organisation.pk],
        "responsible_organisation": organisation.pk,
        "responsible_role": "referente",
    }
    assert client.post(url, data).status_code == 302
    link = DecisionLink.objects.get()
    assert (link.practice, link.body, list(link.concerns.all())) == (practice, steering, [organisation])
    client.force_login(users[Role.PARTNER])
    assert decision.text in client.get(reverse("practices:decisions")).content.decode()
    assert client.get(url).status_code == 403
    other_partner = other_organisation.members.get()
    client.force_login(other_partner)
    assert decision.text not in client.get(reverse("practices:decisions")).content.decode()
    for role in (Role.ANTENNA, Role.CITIZEN):
        client.force_login(users[role])
        assert client.get(reverse("practices:decisions")).status_code == 403


def test_the_steering_groups_public_page_names_organisations_and_roles_never_people(
    client, coordinator, steering, table, organisation, neighbourhood, make_person
):
    services.add_mandate(
        Mandate(body=steering, organisation=organisation, role="rappresentante", member_name="Maria Bianchi", starts_on=date(2026, 1, 1)),
        by=coordinator,
    )
    meeting = _meeting(steering, coordinator, neighbourhood)
    meeting.attendees.add(make_person(name="Gino"))
    shown = collective_services.add_decision(
        meeting, by=coordinator, text="Aprire un secondo punto di comunità", owner=coordinator, owner_name="Carla Verdi"
    )
    services.link_decision(shown, by=coordinator, responsible_organisation=organisation, responsible_role="referente")
    naming = collective_services.add_decision(meeting, by=coordinator, text="Maria Bianchi parla con la scuola")
    attendee = collective_services.add_decision(meeting, by=coordinator, text="Gino porta le sedie")
    contact = collective_services.add_decision(meeting, by=coordinator, text="Chiamare il 333 1234567")
    of_table = collective_services.add_decision(_meeting(table, coordinator), by=coordinator, text="Decisione del tavolo")
    page = client.get(reverse("practices:public_decisions")).content.decode()
    assert shown.text in page and organisation.name in page and "referente" in page
    for hidden in (naming, attendee, contact, of_table):
        assert hidden.text not in page
    assert "Maria Bianchi" not in page and "Carla Verdi" not in page and coordinator.username not in page
    assert not STIGMA.search(page)


def test_the_forms_drop_downs_start_with_a_real_choice(client, coordinator, steering, neighbourhood):
    meeting = _meeting(steering, coordinator, neighbourhood)
    decision = collective_services.add_decision(meeting, by=coordinator, text="Una decisione")
    client.force_login(coordinator)
    for url in (
        reverse("practices:create"),
        reverse("practices:body_create"),
        reverse("practices:mandate_add", args=[steering.pk]),
        reverse("practices:body_meeting", args=[steering.pk]),
        reverse("practices:decision_link", args=[decision.pk]),
    ):
        page = client.get(url).content.decode()
        assert "---" not in page, url
