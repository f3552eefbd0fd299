"""Merging two records of the same organisation: everything that pointed to the duplicate moves, in one transaction.

At project level because the records that move belong to the apps above people (market, attention, initiatives).
"""

from datetime import date

import pytest
from django.urls import reverse

from trama.attention.models import Antenna
from trama.initiatives import services as initiatives
from trama.initiatives.models import Agreement, AgreementParty, Initiative, InterventionObject, Partner
from trama.market import services as market
from trama.market.models import Contribution, Offer
from trama.people.models import Membership, Organisation, Role, Service
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(city, users, neighbourhood, other_neighbourhood, make_user):
    keep = Organisation.objects.create(city=city, name="Emporio solidale", sector="third_sector")
    keep.neighbourhoods.add(neighbourhood)
    twin = Organisation.objects.create(city=city, name="Emporio Solidale APS", sector="third_sector", tax_code="00743110157", phone="0521 000000")
    twin.neighbourhoods.add(other_neighbourhood)
    both = users[Role.PARTNER]
    keep.members.add(both)
    twin.members.add(both, through_defaults={"role": Membership.Role.REFERENT})
    twin.members.add(make_user(Role.PARTNER, username="solo-nel-doppione"))
    Service.objects.create(organisation=twin, name="Spesa sospesa")
    coordinator = users[Role.COORDINATOR]
    market.record_offer(
        person=None, organisation=twin, kind="goods", title="Pacchi alimentari", description="", neighbourhoods=[neighbourhood], by=coordinator
    )
    Contribution.objects.create(
        city=city,
        organisation=twin,
        neighbourhood=neighbourhood,
        kind="goods",
        quantity=1,
        sector="third_sector",
        on=date(2026, 5, 1),
        recorded_by=coordinator,
    )
    Antenna.objects.update_or_create(account=users[Role.ANTENNA], defaults={"organisation": twin})
    subject = InterventionObject.objects.create(city=city, name="Spesa", slug="spesa", description="Spesa insieme.")
    initiative = initiatives.create_initiative(
        city=city,
        by=coordinator,
        origin=Initiative.Origin.WORKER,
        neighbourhoods=[neighbourhood],
        name="Emporio",
        description="Un emporio.",
        intervention_object=subject,
    )
    initiatives.add_partner(initiative, organisation=twin, role=Partner.Role.HOST, by=coordinator)
    agreement = Agreement.objects.create(city=city, kind=Agreement.Kind.choices[0][0], title="Patto", subject="Emporio", starts_on=date(2026, 1, 1))
    AgreementParty.objects.create(agreement=agreement, organisation=twin, commitments="Apre il sabato")
    return keep, twin, initiative


def test_merge_moves_everything_and_deletes_the_duplicate(client, coordinator, pair, neighbourhood, other_neighbourhood):
    keep, twin, initiative = pair
    offers = set(Offer.objects.filter(organisation=twin).values_list("pk", flat=True))
    client.force_login(coordinator)
    url = reverse("organisations:merge", args=[keep.pk])
    preview = client.get(url, {"duplicate": twin.pk})
    assert preview.status_code == 200 and "Pacchi" not in preview.content.decode()
    assert client.post(url, {"duplicate": twin.pk}).status_code == 400  # not confirmed: nothing moves
    assert Organisation.objects.filter(pk=twin.pk).exists()

    response = client.post(url, {"duplicate": twin.pk, "confirm": "on"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=twin.pk).exists()
    assert set(Offer.objects.filter(organisation=keep).values_list("pk", flat=True)) == offers
    assert Service.objects.get().organisation == keep
    assert Partner.objects.get(initiative=initiative).organisation == keep
    assert AgreementParty.objects.get().organisation == keep
    assert Contribution.objects.get().organisation == keep
    assert Antenna.objects.get().organisation == keep
    roles = dict(keep.memberships.values_list("account__username", "role"))
    assert roles == {"solo-nel-doppione": "member", Membership.objects.get(role="referent").account.username: "referent"}
    assert set(keep.neighbourhoods.all()) == {neighbourhood, other_neighbourhood}
    keep.refresh_from_db()
    assert keep.tax_code == "00743110157" and keep.phone == "0521 000000" and keep.name == "Emporio solidale"
    assert AuditEntry.objects.filter(action="delete", object_type="people.organisation", object_id=str(twin.pk)).exists()


def test_the_same_partner_twice_in_one_initiative_stops_the_merge_and_nothing_moves(client, coordinator, pair):
    keep, twin, initiative = pair
    initiatives.add_partner(initiative, organisation=keep, role=Partner.Role.HOST, by=coordinator)
    client.force_login(coordinator)
    url = reverse("organisations:merge", args=[keep.pk])
    assert "Non si può ancora unire" in client.get(url, {"duplicate": twin.pk}).content.decode()
    assert client.post(url, {"duplicate": twin.pk, "confirm": "on"}).status_code == 400
    assert Organisation.objects.filter(pk=twin.pk).exists() and twin.services.exists()


def test_only_coordinators_merge(client, users, pair):
    keep, twin, _initiative = pair
    for role in (Role.WORKER, Role.PARTNER, Role.CITIZEN):
        client.force_login(users[role])
        response = client.post(reverse("organisations:merge", args=[keep.pk]), {"duplicate": twin.pk, "confirm": "on"})
        assert response.status_code == 403, role
    assert Organisation.objects.filter(pk=twin.pk).exists()


def test_an_organisation_of_another_city_cannot_be_chosen(client, coordinator, pair):
    from trama.territory.models import City

    keep, _twin, _initiative = pair
    far_city = City.objects.create(name="Lontana", slug="lontana", centre_lat=45, centre_lon=9)
    far = Organisation.objects.create(city=far_city, name="Lontana", sector="public")
    client.force_login(coordinator)
    assert client.post(reverse("organisations:merge", args=[keep.pk]), {"duplicate": far.pk, "confirm": "on"}).status_code == 400
    assert Organisation.objects.filter(pk=far.pk).exists()
