"""The people app's part of an erasure: the person's record emptied, the account disabled for good."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from conftest import PASSWORD
from trama.people import services
from trama.people.models import ApiToken, Person, Role, User

pytestmark = pytest.mark.django_db


def test_a_persons_names_and_contacts_are_emptied_and_the_date_kept(make_person):
    gino = make_person(name="Gino")
    Person.objects.filter(pk=gino.pk).update(first_name="Gino", last_name="Bianchi", phone="333", email="g@example.org")
    services.erase_people(Person.objects.filter(pk=gino.pk), gino)
    gino.refresh_from_db()
    assert (gino.display_name, gino.first_name, gino.last_name, gino.phone, gino.email) == (f"cancellata-{gino.pk}", "", "", "", "")
    assert gino.anonymised_at is not None and gino.neighbourhood_id is not None


def test_an_erased_account_cannot_sign_in_and_loses_its_sessions_and_tokens(make_user):
    account = make_user(Role.CITIZEN, username="gino", email="gino@example.org", first_name="Gino")
    browser = Client()
    browser.force_login(account)
    token, _key = ApiToken.issue(account, "telefono")

    services.erase_accounts(User.objects.filter(pk=account.pk), None)

    account.refresh_from_db()
    token.refresh_from_db()
    assert not account.is_active and not account.has_usable_password()
    assert "gino" not in (account.username + account.email + account.first_name).lower()
    assert token.revoked_at is not None
    assert not Session.objects.exists()
    assert not account.check_password(PASSWORD)
