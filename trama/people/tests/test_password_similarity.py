"""Every form that sets a password refuses one too close to the account's username, names or e-mail."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from trama.people.models import Role, User

pytestmark = pytest.mark.django_db

PERSON = {"username": "girasole77", "first_name": "Mariangela", "last_name": "Bianchini", "email": "lupo.solitario@example.org"}
# One per attribute, then two that Django's own validator lets through: close only to the
# names joined, or to the whole e-mail before the @.
TOO_SIMILAR = {
    "girasole77!!": "nome utente",
    "Mariangela!!2": "nome",
    "Bianchini-2026": "cognome",
    "lupo.solitario@example": "e-mail",
    "Bianchini.Mariangela": "nome e cognome",
    "Lupo.Solitario.9": "e-mail",
}
NEEDS_A_SURNAME = {"Bianchini-2026", "Bianchini.Mariangela"}


def refusal(response, field):
    assert response.status_code in (200, 400)
    errors = response.context["form"].errors[field]
    return next(error for error in errors if "troppo simile" in error)


def reset_link():
    return re.search(r"https?://[^/]+(/\S+)", mail.outbox[-1].body).group(1)


@pytest.mark.parametrize("password,attribute", TOO_SIMILAR.items())
def test_registration_refuses_a_password_like_the_persons_details(client, city, password, attribute):
    if password in NEEDS_A_SURNAME:
        pytest.skip("registration asks no surname")
    form = {**PERSON, "password1": password, "password2": password, "privacy": "on"}
    response = client.post(reverse("people:register"), form)
    assert attribute in refusal(response, "password1")
    assert not User.objects.filter(username="mbianchi").exists()


@pytest.mark.parametrize("password,attribute", TOO_SIMILAR.items())
def test_password_change_refuses_a_password_like_the_accounts_details(client, make_user, password, attribute):
    user = make_user(**PERSON)
    client.force_login(user)
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": password, "new_password2": password})
    assert attribute in refusal(response, "new_password2")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("password,attribute", TOO_SIMILAR.items())
def test_password_reset_refuses_a_password_like_the_accounts_details(client, make_user, password, attribute):
    user = make_user(**PERSON)
    client.post(reverse("password_reset"), {"email": user.email})
    form_url = client.get(reset_link(), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert attribute in refusal(response, "new_password2")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("password,attribute", TOO_SIMILAR.items())
def test_accepting_an_invitation_refuses_a_password_like_the_invitees_details(client, users, password, attribute):
    client.force_login(users[Role.COORDINATOR])
    client.post(reverse("people:invite"), {**PERSON, "role": Role.PARTNER})
    User.objects.filter(email=PERSON["email"]).update(username=PERSON["username"])
    invitee = Client()
    form_url = invitee.get(reset_link(), follow=True).redirect_chain[-1][0]
    response = invitee.post(form_url, {"new_password1": password, "new_password2": password})
    assert attribute in refusal(response, "new_password2")
    assert not User.objects.get(email=PERSON["email"]).has_usable_password()


def test_a_password_unlike_the_details_is_accepted(client, make_user):
    user = make_user(**PERSON)
    client.force_login(user)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "Girasole-sul-tetto-9", "new_password2": "Girasole-sul-tetto-9"}
    )
    assert response.status_code == 302
