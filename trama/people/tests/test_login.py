import pytest
from django.conf import settings
from django.urls import reverse

from conftest import PASSWORD
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_login_by_username(client, make_user, log_in):
    user = make_user()
    response = log_in(client, user.username)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_by_email_in_any_case(client, make_user, log_in):
    user = make_user(email="anna@example.org")
    response = log_in(client, "  Anna@Example.ORG ")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wrong_password_gives_italian_error_and_no_session(client, make_user, log_in):
    user = make_user()
    response = log_in(client, user.username, "sbagliata-davvero")
    assert response.status_code == 200
    assert "Nome per accedere o password non corretti" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_ten_kilobyte_password_is_a_form_error_not_a_crash(client, make_user, log_in):
    user = make_user()
    response = log_in(client, user.username, "x" * 10_000)
    assert response.status_code == 200
    assert "al massimo 256 caratteri" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_even_for_the_right_password(client, make_user, log_in):
    user = make_user()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user.username, "sbagliata-davvero")
    response = log_in(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "Accesso temporaneamente bloccato" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failures = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, object_id=str(user.pk))
    assert failures.count() == settings.AXES_FAILURE_LIMIT + 1


def test_lockout_also_holds_when_signing_in_by_email(client, make_user, log_in):
    user = make_user()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user.username, "sbagliata-davvero")
    assert log_in(client, user.email, PASSWORD).status_code == 429


def test_failed_login_is_audited(client, make_user, log_in):
    user = make_user()
    log_in(client, user.username, "sbagliata-davvero")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert (entry.object_type, entry.object_id) == ("people.user", str(user.pk))
    assert entry.actor is None


def test_failed_login_never_stores_what_was_typed(client, log_in):
    log_in(client, "Una-Password-Nel-Campo-Sbagliato", "x")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert "Password-Nel-Campo" not in f"{entry.reason}{entry.object_id}{entry.path}"
    assert entry.object_id == ""


def test_login_gives_a_new_session_key(client, make_user, log_in):
    user = make_user()
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    log_in(client, user.username)
    assert client.session.session_key != before
    assert not session.exists(before)


def test_logout_requires_post(client, make_user, log_in):
    user = make_user()
    log_in(client, user.username)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session
