import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from trama.people.models import Role, User
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Scelta-da-me-2026!"


@pytest.fixture
def coordinator_client(client, users):
    client.force_login(users[Role.COORDINATOR])
    return client


def invite(client, **data):
    return client.post(reverse("people:invite"), {"first_name": "Lucia", "email": "lucia@example.org", "role": Role.PARTNER, **data})


def invitation_path():
    return re.search(r"https?://[^/]+(/\S+)", mail.outbox[-1].body).group(1)


def test_coordinator_invites_and_one_mail_carries_the_link(coordinator_client):
    response = invite(coordinator_client)
    user = User.objects.get(email="lucia@example.org")
    assert response.status_code == 302
    assert user.role == Role.PARTNER and not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lucia@example.org"]
    assert "/account/invito/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="create", object_id=str(user.pk)).exists()


@pytest.mark.parametrize("role", [Role.WORKER, Role.ANTENNA])
def test_scoped_roles_need_a_neighbourhood(coordinator_client, role):
    response = invite(coordinator_client, role=role)
    assert response.status_code == 400
    assert "Scegli almeno un quartiere" in response.content.decode()
    assert not User.objects.filter(email="lucia@example.org").exists()
    assert mail.outbox == []


def test_worker_invited_with_a_neighbourhood_gets_it(coordinator_client, neighbourhood):
    invite(coordinator_client, role=Role.WORKER, neighbourhoods=[neighbourhood.pk])
    assert list(User.objects.get(email="lucia@example.org").neighbourhoods.all()) == [neighbourhood]


def test_duplicate_email_is_refused_whatever_its_case(coordinator_client, make_user):
    make_user(email="lucia@example.org")
    response = invite(coordinator_client, email="Lucia@Example.org")
    assert response.status_code == 400
    assert "Esiste già un account con questa e-mail" in response.content.decode()
    assert mail.outbox == []


def test_link_sets_password_and_signs_in(coordinator_client):
    invite(coordinator_client)
    invitee = Client()
    form_page = invitee.get(invitation_path(), follow=True)
    assert form_page.context["validlink"]
    response = invitee.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="lucia@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert int(invitee.session["_auth_user_id"]) == user.pk


def test_link_works_only_once(coordinator_client):
    invite(coordinator_client)
    path = invitation_path()
    first = Client()
    url = first.get(path, follow=True).redirect_chain[-1][0]
    first.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(path, follow=True)
    assert not again.context["validlink"]
    assert "non è valido o è già stato usato" in again.content.decode()


@pytest.mark.parametrize("role", [Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_only_coordinators_may_invite(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("people:invite")).status_code == 403
    assert invite(client).status_code == 403
    assert not User.objects.filter(email="lucia@example.org").exists()


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("people:invite"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "hostile,message",
    [
        ({"first_name": "L" * 10_000}, "non contenga più di 150 caratteri"),
        ({"last_name": "R" * 10_000}, "non contenga più di 150 caratteri"),
        ({"first_name": "<script>alert(1)</script>"}, "non può contenere"),
        ({"last_name": "Rossi<img src=x onerror=alert(1)>"}, "non può contenere"),
        ({"role": "superuser"}, "Scegli un&#x27;opzione valida"),
        ({"email": "x" * 10_000 + "@example.org"}, "Inserisci un indirizzo email valido"),
        ({"neighbourhoods": ["9999999"]}, "Scegli un&#x27;opzione valida"),
    ],
)
def test_hostile_input_is_refused_with_a_message_and_nothing_stored(coordinator_client, hostile, message):
    before = User.objects.count()
    response = invite(coordinator_client, **hostile)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == before
    assert mail.outbox == []


def test_link_of_an_account_disabled_before_acceptance_is_invalid(coordinator_client):
    invite(coordinator_client)
    User.objects.filter(email="lucia@example.org").update(is_active=False)
    response = Client().get(invitation_path(), follow=True)
    assert not response.context["validlink"]
    assert not User.objects.get(email="lucia@example.org").has_usable_password()


def test_a_lost_invitation_can_be_sent_again_by_a_coordinator(client, users, neighbourhood, mailoutbox):
    coordinator = users[Role.COORDINATOR]
    client.force_login(coordinator)
    client.post(reverse("people:invite"), {"first_name": "Lia", "email": "lia@example.org", "role": Role.PARTNER})
    invited = User.objects.get(email="lia@example.org")
    response = client.post(reverse("people:account_resend_invitation", args=[invited.pk]))
    assert response.status_code == 302
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["lia@example.org"]


def test_an_invitation_is_not_resent_to_an_account_that_chose_its_password(client, users, mailoutbox):
    client.force_login(users[Role.COORDINATOR])
    client.post(reverse("people:account_resend_invitation", args=[users[Role.WORKER].pk]))
    assert mailoutbox == []


def test_only_coordinators_resend_invitations(client, users, mailoutbox):
    invited = User.objects.create_user(username="nuova", email="nuova@example.org", role=Role.CITIZEN)
    invited.set_unusable_password()
    invited.save()
    client.force_login(users[Role.WORKER])
    assert client.post(reverse("people:account_resend_invitation", args=[invited.pk])).status_code == 403
    assert mailoutbox == []
