"""API tokens: they work, then stop when they expire, idle, or are revoked; the database never holds a key."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from trama.people.models import ApiToken, Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Un-altra-password-lunga-2027"


@pytest.fixture
def url():
    return reverse("api-attention-signals")  # staff only: it proves who the token signs in


@pytest.fixture
def issued(worker):
    return ApiToken.issue(worker, "script")


def call(url, key):
    return Client().get(url, HTTP_AUTHORIZATION=f"Token {key}")


def move_clock(token, **ago):
    """Pretend the token was created (and last used) `ago` in the past: the row's timestamps move, not time."""
    delta = timedelta(**ago)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=token.created_at - delta,
        expires_at=token.expires_at - delta,
        last_used_at=(token.last_used_at - delta) if token.last_used_at else None,
    )


def test_a_token_signs_in_its_account(url, issued):
    _token, key = issued
    assert call(url, key).status_code == 200


def test_without_a_token_the_staff_endpoint_answers_401(url):
    response = Client().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_stops_after_its_absolute_lifetime_even_if_used(url, issued, settings):
    token, key = issued
    assert call(url, key).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1), last_used_at=timezone.now())
    response = call(url, key)
    assert response.status_code == 401
    assert response.json()["detail"] == "Token scaduto: creane uno nuovo."


def test_the_lifetime_defaults_to_the_session_limit(worker, settings):
    token, _key = ApiToken.issue(worker, "script")
    assert token.expires_at - token.created_at == timedelta(seconds=settings.SESSION_MAX_SECONDS)


def test_a_token_stops_after_idle_time(url, issued, settings):
    token, key = issued
    move_clock(token, seconds=settings.TRAMA_API_TOKEN_IDLE_SECONDS + 1)
    response = call(url, key)
    assert response.status_code == 401
    assert response.json()["detail"] == "Token scaduto per inattività: creane uno nuovo."


def test_use_within_the_idle_limit_keeps_the_token_alive(url, issued, settings):
    token, key = issued
    move_clock(token, seconds=settings.TRAMA_API_TOKEN_IDLE_SECONDS - 60)
    assert call(url, key).status_code == 200
    token.refresh_from_db()
    move_clock(token, seconds=settings.TRAMA_API_TOKEN_IDLE_SECONDS - 60)
    assert call(url, key).status_code == 200


def test_idle_limit_follows_its_setting(url, issued, settings):
    settings.TRAMA_API_TOKEN_IDLE_SECONDS = 60
    token, key = issued
    move_clock(token, seconds=61)
    assert call(url, key).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(url, issued):
    token, key = issued
    call(url, key)
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    call(url, key)
    token.refresh_from_db()
    assert token.last_used_at == first_use
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(seconds=61))
    call(url, key)
    token.refresh_from_db()
    assert token.last_used_at > first_use


def test_the_database_never_holds_the_key(issued):
    token, key = issued
    prefix, secret = key.split(".")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_apitoken WHERE id = %s", [token.pk])
        row = [str(value) for value in cursor.fetchone()]
    assert not any(secret in value for value in row)
    assert not any(key in value for value in row)
    assert prefix in row  # only the public part, to find the row


def test_a_key_with_the_right_prefix_and_a_wrong_secret_is_refused(url, issued):
    _token, key = issued
    prefix, secret = key.split(".")
    wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    response = call(url, f"{prefix}.{wrong}")
    assert response.status_code == 401
    assert response.json()["detail"] == "Token non valido."


def test_a_disabled_account_token_is_refused_with_a_message(url, issued, worker):
    token, key = issued
    # A direct update, not save(): the refusal does not depend on the revocation.
    type(worker).objects.filter(pk=worker.pk).update(is_active=False)
    response = call(url, key)
    assert response.status_code == 401
    assert response.json()["detail"] == "Questo account è disattivato."


@pytest.mark.parametrize(
    "header",
    [
        "Token",
        "Token ",
        "token    ",
        "Token sbagliato",
        "Token abc def",
        "Token " + "a" * 10_000,
        "Token 0123456789ab." + "x" * 42,
        "Token 0123456789ab." + "é" * 43,
        "Token ' OR 1=1 --",
        "Token 0123456789ab.<script>alert(1)</script>",
        "Token \x00\x01\x02",
        "Token ../../etc/passwd",
        "Token 😀",
    ],
)
def test_hostile_authorization_headers_get_401_with_a_clear_message(url, issued, header):
    response = Client().get(url, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    detail = response.json()["detail"]
    assert detail in {"Token non valido.", "Intestazione Authorization non valida: scrivi «Token», uno spazio e la chiave."}


@pytest.mark.parametrize("header", ["Bearer abc", "Basic dXNlcjpwYXNz", "x" * 10_000, "Tokenabc"])
def test_other_schemes_are_not_ours_and_leave_the_request_anonymous(url, header):
    assert Client().get(url, HTTP_AUTHORIZATION=header).status_code == 401
    assert Client().get(reverse("api-neighbourhoods"), HTTP_AUTHORIZATION=header).status_code == 200


def test_password_change_revokes_the_tokens(url, issued, worker):
    token, key = issued
    client = Client()
    client.post(reverse("login"), {"username": worker.username, "password": PASSWORD})
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.state() == ApiToken.State.REVOKED
    assert call(url, key).json()["detail"] == "Token revocato: creane uno nuovo."


def test_password_reset_revokes_the_tokens(url, issued, worker):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    token, key = issued
    client = Client()
    link = reverse("password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(worker.pk)), default_token_generator.make_token(worker)])
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    assert call(url, key).status_code == 401


def test_any_set_password_and_save_revokes_the_tokens(url, issued, worker):
    """The path a coordinator or the admin takes, or `manage.py changepassword`."""
    _token, key = issued
    worker.set_password(NEW_PASSWORD)
    worker.save()
    assert call(url, key).status_code == 401


def test_signing_in_does_not_revoke_the_tokens(url, issued, worker):
    _token, key = issued
    Client().post(reverse("login"), {"username": worker.username, "password": PASSWORD})
    assert call(url, key).status_code == 200


def test_deactivation_revokes_the_tokens_and_reactivation_does_not_revive_them(client, url, issued, users):
    token, key = issued
    client.force_login(users[Role.COORDINATOR])
    worker = users[Role.WORKER]
    client.post(reverse("people:account_set_active", args=[worker.pk]), {"active": "0", "confirm": "on"})
    client.post(reverse("people:account_set_active", args=[worker.pk]), {"active": "1"})
    token.refresh_from_db()
    assert token.state() == ApiToken.State.REVOKED
    assert call(url, key).status_code == 401
