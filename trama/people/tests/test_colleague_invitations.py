"""A partner organisation's referent invites her colleagues (as members) and unlinks its members; staff who keep
the organisation invite with a role. Nobody invites into, or unlinks from, an organisation they do not keep."""

import pytest
from django.core import mail
from django.urls import reverse

from trama.people.models import Membership, Organisation, Role, User
from trama.privacy.models import AuditEntry
from trama.territory.models import City

NEW = {"first_name": "Marta", "last_name": "Bianchi", "email": "marta.bianchi@example.org"}


def invite_url(organisation):
    return reverse("organisations:member_invite", args=[organisation.pk])


def unlink_url(membership):
    return reverse("organisations:member_unlink", args=[membership.pk])


@pytest.fixture
def referent(users, organisation):
    Membership.objects.filter(organisation=organisation, account=users[Role.PARTNER]).update(role=Membership.Role.REFERENT)
    return users[Role.PARTNER]


@pytest.fixture
def colleague(make_user, organisation):
    account = make_user(Role.PARTNER, first_name="Carlo")
    return Membership.objects.create(organisation=organisation, account=account, role=Membership.Role.MEMBER)


@pytest.fixture
def other_organisation(city, make_user):
    other = Organisation.objects.create(city=city, name="Amici dell'orto", sector=Organisation.Sector.THIRD_SECTOR)
    other.members.add(make_user(Role.PARTNER), through_defaults={"role": Membership.Role.MEMBER})
    return other


def as_user(client, user):
    client.force_login(user)
    return client


def test_a_referent_invites_a_colleague_as_member_of_her_organisation(client, referent, organisation):
    response = as_user(client, referent).post(invite_url(organisation), {**NEW, "role": Membership.Role.REFERENT})
    assert response.status_code == 302
    invited = User.objects.get(email=NEW["email"])
    assert (invited.role, invited.city_id, invited.invited_by, invited.has_usable_password()) == (Role.PARTNER, organisation.city_id, referent, False)
    # She asked for a referent: a referent invites members only; naming referents is the staff's.
    assert Membership.objects.get(organisation=organisation, account=invited).role == Membership.Role.MEMBER
    assert [message.to for message in mail.outbox] == [[NEW["email"]]]
    assert AuditEntry.objects.filter(actor=referent, action=AuditEntry.Action.CREATE, object_type="people.user", object_id=str(invited.pk)).exists()
    assert AuditEntry.objects.filter(actor=referent, action=AuditEntry.Action.CREATE, object_type="people.membership").exists()


def test_the_referent_sees_the_invitation_and_no_role_choice(client, referent, organisation):
    page = as_user(client, referent).get(invite_url(organisation))
    assert page.status_code == 200
    assert 'name="role"' not in page.content.decode()
    detail = client.get(organisation.get_absolute_url()).content.decode()
    assert invite_url(organisation) in detail


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.WORKER])
def test_staff_who_keep_the_organisation_invite_a_referent(client, users, organisation, neighbourhood, role):
    organisation.neighbourhoods.add(neighbourhood)
    response = as_user(client, users[role]).post(invite_url(organisation), {**NEW, "role": Membership.Role.REFERENT})
    assert response.status_code == 302
    assert Membership.objects.get(organisation=organisation, account__email=NEW["email"]).role == Membership.Role.REFERENT


def test_a_plain_member_does_not_invite(client, users, organisation):
    client = as_user(client, users[Role.PARTNER])  # a member, not a referent
    assert client.get(invite_url(organisation)).status_code == 403
    assert client.post(invite_url(organisation), NEW).status_code == 403
    assert not User.objects.filter(email=NEW["email"]).exists()


def test_a_referent_does_not_invite_into_another_organisation(client, referent, other_organisation):
    client = as_user(client, referent)
    assert client.get(invite_url(other_organisation)).status_code == 403
    assert client.post(invite_url(other_organisation), NEW).status_code == 403
    assert not User.objects.filter(email=NEW["email"]).exists()


@pytest.mark.parametrize("role", [Role.ANTENNA, Role.CITIZEN])
def test_antennas_and_citizens_do_not_invite(client, users, organisation, role):
    assert as_user(client, users[role]).post(invite_url(organisation), NEW).status_code == 403
    assert not User.objects.filter(email=NEW["email"]).exists()


def test_a_coordinator_of_another_city_does_not_invite(client, make_user, organisation):
    far = City.objects.create(name="Città lontana", slug="lontana", centre_lat=45.0, centre_lon=9.0)
    response = as_user(client, make_user(Role.COORDINATOR, city=far)).post(invite_url(organisation), NEW)
    assert response.status_code in (403, 404)
    assert not User.objects.filter(email=NEW["email"]).exists()


def test_a_visitor_is_sent_to_sign_in(client, organisation):
    response = client.post(invite_url(organisation), NEW)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not User.objects.filter(email=NEW["email"]).exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"email": "Carlo@Example.org"}, "non si può invitare da qui"),
        ({"email": "non-una-mail"}, "indirizzo email valido"),
        ({"email": ""}, "Campo obbligatorio"),
        ({"first_name": ""}, "Campo obbligatorio"),
        ({"first_name": "<img src=x onerror=alert(1)>"}, "non può contenere"),
        ({"first_name": "M" * 400}, "più di 150 caratteri"),
        ({"email": "m" * 300 + "@example.org"}, "più di 254 caratteri"),
    ],
)
def test_bad_invitations_are_refused_in_italian_and_nothing_is_created(client, referent, organisation, make_user, changes, message):
    make_user(Role.CITIZEN, email="carlo@example.org")
    accounts, memberships = User.objects.count(), Membership.objects.count()
    response = as_user(client, referent).post(invite_url(organisation), {**NEW, **changes})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (User.objects.count(), Membership.objects.count()) == (accounts, memberships)
    assert not mail.outbox


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_invitation_takes_only_get_and_post(client, referent, organisation, method):
    assert getattr(as_user(client, referent), method)(invite_url(organisation)).status_code == 405


# -- unlinking ----------------------------------------------------------------------------------------------


def test_a_referent_unlinks_a_member_of_her_organisation(client, referent, colleague):
    client = as_user(client, referent)
    assert unlink_url(colleague) in client.get(colleague.organisation.get_absolute_url()).content.decode()
    unconfirmed = client.post(unlink_url(colleague))
    assert unconfirmed.status_code == 400 and Membership.objects.filter(pk=colleague.pk).exists()
    assert client.post(unlink_url(colleague), {"confirm": "on"}).status_code == 302
    assert not Membership.objects.filter(pk=colleague.pk).exists()
    assert AuditEntry.objects.filter(
        actor=referent, action=AuditEntry.Action.DELETE, object_type="people.membership", object_id=str(colleague.pk)
    ).exists()


def test_a_referent_does_not_unlink_herself_nor_another_referent(client, referent, organisation, make_user):
    own = Membership.objects.get(organisation=organisation, account=referent)
    other_referent = Membership.objects.create(organisation=organisation, account=make_user(Role.PARTNER), role=Membership.Role.REFERENT)
    client = as_user(client, referent)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert unlink_url(own) not in page and unlink_url(other_referent) not in page
    for membership in (own, other_referent):
        assert client.post(unlink_url(membership), {"confirm": "on"}).status_code == 403
        assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_referent_does_not_unlink_members_of_another_organisation(client, referent, other_organisation):
    membership = other_organisation.memberships.get()
    assert as_user(client, referent).post(unlink_url(membership), {"confirm": "on"}).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_plain_member_does_not_unlink_a_colleague(client, users, organisation, colleague):
    assert as_user(client, users[Role.PARTNER]).post(unlink_url(colleague), {"confirm": "on"}).status_code == 403
    assert Membership.objects.filter(pk=colleague.pk).exists()


def test_a_coordinator_still_unlinks_a_referent(client, users, referent, organisation):
    membership = Membership.objects.get(organisation=organisation, account=referent)
    assert as_user(client, users[Role.COORDINATOR]).post(unlink_url(membership), {"confirm": "on"}).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
