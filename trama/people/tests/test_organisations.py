"""Organisations: staff register and keep them, link partners with a role; a referent keeps her own profile."""

import pytest
from django.urls import reverse

from trama.people.models import Membership, Organisation, Role, Service
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

# Real check digits: an entity's codice fiscale (11 digits, also its VAT number) and a sole trader's (16 characters).
ENTITY_CODE = "00743110157"
PERSON_CODE = "RSSMRA85T10A562S"


def profile(**changes):
    data = {
        "name": "Emporio solidale",
        "sector": "third_sector",
        "legal_form": "aps",
        "tax_code": ENTITY_CODE,
        "vat_number": "",
        "description": "",
        "address": "Via Roma 1",
        "phone": "0521 000000",
        "email": "",
        "website": "",
        "public_page_agreed": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def referent(users, organisation):
    partner = users[Role.PARTNER]
    Membership.objects.filter(organisation=organisation, account=partner).update(role=Membership.Role.REFERENT)
    return partner


def test_a_coordinator_registers_an_organisation_with_its_tax_code(client, coordinator, neighbourhood):
    client.force_login(coordinator)
    response = client.post(reverse("organisations:create"), profile(tax_code=" 007 431 101 57 ", neighbourhoods=[neighbourhood.pk]))
    organisation = Organisation.objects.get(name="Emporio solidale")
    assert response.status_code == 302 and response["Location"] == organisation.get_absolute_url()
    assert organisation.tax_code == ENTITY_CODE and organisation.city == coordinator.city
    assert list(organisation.neighbourhoods.all()) == [neighbourhood]
    assert AuditEntry.objects.filter(action="create", object_type="people.organisation", object_id=str(organisation.pk)).exists()


def test_a_sole_traders_sixteen_character_code_is_accepted_in_upper_case(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("organisations:create"), profile(tax_code=PERSON_CODE.lower()))
    assert Organisation.objects.get(name="Emporio solidale").tax_code == PERSON_CODE


@pytest.mark.parametrize("code", ["00743110158", "RSSMRA85T10A562X", "1234", "X" * 17, "<script>alert(1)</script>"])
def test_a_wrong_tax_code_is_refused_in_italian_and_nothing_is_written(client, coordinator, code):
    client.force_login(coordinator)
    response = client.post(reverse("organisations:create"), profile(tax_code=code))
    assert response.status_code == 400
    assert "Codice fiscale non valido" in response.content.decode() or "caratteri" in response.content.decode()
    assert not Organisation.objects.filter(name="Emporio solidale").exists()


def test_a_wrong_vat_number_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("organisations:create"), profile(tax_code="", vat_number="12345678901"))
    assert response.status_code == 400 and "Partita IVA non valida" in response.content.decode()
    assert not Organisation.objects.filter(name="Emporio solidale").exists()


def test_hostile_or_oversize_names_are_refused(client, coordinator):
    client.force_login(coordinator)
    for name in ("<b>Emporio</b>", "E" * 201, ""):
        response = client.post(reverse("organisations:create"), profile(name=name))
        assert response.status_code == 400, name
    assert Organisation.objects.count() == 0


def test_a_duplicate_tax_code_in_the_city_is_warned_with_a_link_to_the_one_there(client, coordinator, city):
    existing = Organisation.objects.create(city=city, name="Emporio di via Roma", sector="third_sector", tax_code=ENTITY_CODE)
    client.force_login(coordinator)
    response = client.post(reverse("organisations:create"), profile())
    assert response.status_code == 400
    page = response.content.decode()
    assert "già registrata" in page and existing.get_absolute_url() in page
    assert Organisation.objects.count() == 1


def test_the_database_refuses_a_second_tax_code_in_the_same_city_but_not_two_empty_ones(city):
    from django.db import IntegrityError, transaction

    Organisation.objects.create(city=city, name="A", sector="public", tax_code=ENTITY_CODE)
    Organisation.objects.create(city=city, name="B", sector="public")
    Organisation.objects.create(city=city, name="C", sector="public")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(city=city, name="D", sector="public", tax_code=ENTITY_CODE)


def test_the_list_searches_pages_and_says_when_nothing_matches(client, coordinator, city):
    Organisation.objects.bulk_create([Organisation(city=city, name=f"Realtà {n:02}", sector="public") for n in range(30)])
    client.force_login(coordinator)
    first = client.get(reverse("organisations:list")).content.decode()
    assert "Realtà 00" in first and "Realtà 29" not in first
    assert "Realtà 29" in client.get(reverse("organisations:list") + "?pagina=2").content.decode()
    found = client.get(reverse("organisations:list") + "?q=tà 07").content.decode()
    assert "Realtà 07" in found and "Realtà 08" not in found
    assert "Nessuna organizzazione corrisponde" in client.get(reverse("organisations:list") + "?q=zzz").content.decode()


def test_an_empty_list_invites_to_register_the_first(client, coordinator):
    client.force_login(coordinator)
    assert "registra la prima" in client.get(reverse("organisations:list")).content.decode()


def test_a_worker_lists_organisations_of_her_neighbourhoods_and_new_ones_only(client, worker, city, neighbourhood, other_neighbourhood):
    mine = Organisation.objects.create(city=city, name="Del mio quartiere", sector="public")
    mine.neighbourhoods.add(neighbourhood, other_neighbourhood)
    Organisation.objects.create(city=city, name="Appena registrata", sector="public")
    Organisation.objects.create(city=city, name="Di un altro quartiere", sector="public").neighbourhoods.add(other_neighbourhood)
    client.force_login(worker)
    page = client.get(reverse("organisations:list")).content.decode()
    assert "Del mio quartiere" in page and "Appena registrata" in page and "Di un altro quartiere" not in page
    assert page.count("Del mio quartiere") == 1


def test_a_referent_edits_her_own_organisation_but_not_where_it_works(client, referent, organisation, neighbourhood):
    client.force_login(referent)
    response = client.post(reverse("organisations:edit", args=[organisation.pk]), profile(name="Il Ponte APS", neighbourhoods=[neighbourhood.pk]))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Il Ponte APS" and not organisation.neighbourhoods.exists()


def test_a_partner_editing_another_organisation_is_refused_and_nothing_changes(client, referent, city):
    other = Organisation.objects.create(city=city, name="Altra", sector="business")
    client.force_login(referent)
    assert client.post(reverse("organisations:edit", args=[other.pk]), profile(name="Presa")).status_code == 403
    other.refresh_from_db()
    assert other.name == "Altra"


def test_a_plain_member_reads_but_does_not_edit_her_organisation(client, users, organisation):
    client.force_login(users[Role.PARTNER])
    assert client.get(organisation.get_absolute_url()).status_code == 200
    assert client.post(reverse("organisations:edit", args=[organisation.pk]), profile(name="X")).status_code == 403


def test_a_referent_adds_edits_and_removes_a_service(client, referent, organisation, neighbourhood):
    from trama.territory.models import Place

    place = Place.objects.create(neighbourhood=neighbourhood, name="Sede", kind="community_point")
    client.force_login(referent)
    client.post(
        reverse("organisations:service_create", args=[organisation.pk]), {"name": "Spesa sospesa", "opening_hours": "martedì 9-12", "place": place.pk}
    )
    service = Service.objects.get(organisation=organisation)
    assert (service.name, service.opening_hours, service.place) == ("Spesa sospesa", "martedì 9-12", place)
    client.post(reverse("organisations:service_edit", args=[service.pk]), {"name": "Spesa sospesa", "opening_hours": "sabato"})
    service.refresh_from_db()
    assert service.opening_hours == "sabato" and service.place is None
    assert client.get(reverse("organisations:service_delete", args=[service.pk])).status_code == 200
    assert Service.objects.filter(pk=service.pk).exists()
    client.post(reverse("organisations:service_delete", args=[service.pk]))
    assert not Service.objects.filter(pk=service.pk).exists()


def test_a_service_with_oversize_hours_is_refused(client, referent, organisation):
    client.force_login(referent)
    response = client.post(reverse("organisations:service_create", args=[organisation.pk]), {"name": "S", "opening_hours": "9" * 301})
    assert response.status_code == 400 and not Service.objects.exists()


def test_staff_link_a_partner_as_referent_and_then_change_her_role(client, coordinator, make_user, organisation):
    anna = make_user(Role.PARTNER, username="anna", email="anna@example.org")
    client.force_login(coordinator)
    response = client.post(reverse("organisations:member_link", args=[organisation.pk]), {"account": "ANNA@example.org", "role": "referent"})
    assert response.status_code == 302
    assert Membership.objects.get(organisation=organisation, account=anna).role == "referent"
    client.post(reverse("organisations:member_link", args=[organisation.pk]), {"account": "anna", "role": "member"})
    assert Membership.objects.get(organisation=organisation, account=anna).role == "member"
    assert AuditEntry.objects.filter(object_type="people.membership", action="update").exists()


@pytest.mark.parametrize("name", ["nessuno", "", "citizen-account"])
def test_only_an_existing_partner_account_of_the_city_can_be_linked(client, coordinator, make_user, organisation, name):
    make_user(Role.CITIZEN, username="citizen-account")
    client.force_login(coordinator)
    response = client.post(reverse("organisations:member_link", args=[organisation.pk]), {"account": name, "role": "member"})
    assert response.status_code == 400
    assert organisation.memberships.count() == 1


def test_a_bad_role_is_refused(client, coordinator, make_user, organisation):
    make_user(Role.PARTNER, username="anna")
    client.force_login(coordinator)
    response = client.post(reverse("organisations:member_link", args=[organisation.pk]), {"account": "anna", "role": "owner"})
    assert response.status_code == 400 and organisation.memberships.count() == 1


def test_unlinking_asks_for_confirmation_first(client, worker, users, organisation, neighbourhood):
    organisation.neighbourhoods.add(neighbourhood)
    membership = organisation.memberships.get()
    client.force_login(worker)
    url = reverse("organisations:member_unlink", args=[membership.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 400
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not organisation.members.exists()
    assert AuditEntry.objects.filter(object_type="people.membership", action="delete", object_id=str(membership.pk)).exists()


def test_a_referent_cannot_link_or_unlink_accounts(client, referent, organisation, make_user):
    make_user(Role.PARTNER, username="anna")
    client.force_login(referent)
    assert client.post(reverse("organisations:member_link", args=[organisation.pk]), {"account": "anna", "role": "referent"}).status_code == 403
    assert client.post(reverse("organisations:member_unlink", args=[organisation.memberships.get().pk]), {"confirm": "on"}).status_code == 403
    assert organisation.memberships.count() == 1


def test_a_linked_partner_is_no_longer_told_to_ask_the_coordination(client, users, organisation):
    client.force_login(users[Role.PARTNER])
    page = client.get(reverse("people:profile")).content.decode()
    assert organisation.name in page and organisation.get_absolute_url() in page


def test_the_members_named_on_the_page_are_audited(client, coordinator, users, organisation):
    client.force_login(coordinator)
    client.get(organisation.get_absolute_url())
    entry = AuditEntry.objects.get(action="read", object_type="people.user")
    assert str(users[Role.PARTNER].pk) in entry.reason


def test_the_public_page_shows_what_where_and_which_initiatives_and_no_one(client, city, users, organisation, neighbourhood):
    from trama.territory.models import Place

    place = Place.objects.create(neighbourhood=neighbourhood, name="Sede del Ponte", managing_organisation=organisation)
    Place.objects.create(neighbourhood=neighbourhood, name="Deposito riservato", managing_organisation=organisation, is_public=False)
    Service.objects.create(organisation=organisation, name="Doposcuola", opening_hours="lun-gio 15-18", place=place)
    Organisation.objects.filter(pk=organisation.pk).update(public_page_agreed=True)
    page = client.get(reverse("organisations:public", args=[organisation.pk])).content.decode()
    assert "Doposcuola" in page and "lun-gio 15-18" in page and "Sede del Ponte" in page
    assert "Deposito riservato" not in page
    assert users[Role.PARTNER].username not in page and users[Role.PARTNER].email not in page


def test_without_the_agreement_there_is_no_public_page(client, users, organisation):
    url = reverse("organisations:public", args=[organisation.pk])
    assert client.get(url).status_code == 404
    client.force_login(users[Role.PARTNER])
    assert client.get(url).status_code == 404
