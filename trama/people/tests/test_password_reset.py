import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nuova-password-lunga-2027"


def ask_reset(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def reset_path():
    return re.search(r"https?://[^/]+(/\S+)", mail.outbox[-1].body).group(1)


def test_known_email_gets_a_reset_mail(client, make_user):
    user = make_user(email="anna@example.org")
    response = ask_reset(client, "anna@example.org")
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "/account/recupero/" in mail.outbox[0].body


def test_unknown_email_gets_the_same_answer_and_no_mail(client, make_user):
    make_user(email="anna@example.org")
    known = ask_reset(client, "anna@example.org")
    unknown = ask_reset(Client(), "nessuno@example.org")
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert len(mail.outbox) == 1
    page = Client().get(unknown.url)
    assert "Se l'indirizzo corrisponde a un account" in page.content.decode()


def test_disabled_account_gets_no_reset_mail(client, make_user):
    make_user(email="anna@example.org", is_active=False)
    assert ask_reset(client, "anna@example.org").url == reverse("password_reset_done")
    assert mail.outbox == []


def test_reset_link_sets_a_new_password_once(client, make_user, log_in):
    user = make_user(email="anna@example.org")
    ask_reset(client, user.email)
    form_url = client.get(reset_path(), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    assert log_in(Client(), user.username, NEW_PASSWORD).status_code == 302
    again = Client().get(reset_path(), follow=True)
    assert "Il link non è valido o è già stato usato" in again.content.decode()


def test_reset_refuses_a_weak_password_in_italian(client, make_user):
    user = make_user(email="anna@example.org")
    ask_reset(client, user.email)
    form_url = client.get(reset_path(), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "corta", "new_password2": "corta"})
    assert response.status_code == 200
    assert "Questa password è troppo corta" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_link_mailed_before_the_account_was_disabled_is_invalid(client, make_user):
    user = make_user(email="anna@example.org")
    ask_reset(client, user.email)
    user.is_active = False
    user.save()
    response = Client().get(reset_path(), follow=True)
    assert "Il link non è valido o è già stato usato" in response.content.decode()
