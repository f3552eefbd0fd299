"""The owner's page of API tokens, and "Esci da tutti i dispositivi" on the profile."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from trama.people.models import ApiToken, Role

pytestmark = pytest.mark.django_db

PAGE = "people:api_tokens"


def revoke_url(token):
    return reverse("people:api_token_revoke", args=[token.pk])


def test_the_profile_links_to_the_tokens_page(client, worker):
    client.force_login(worker)
    assert reverse(PAGE) in client.get(reverse("people:profile")).content.decode()


def test_empty_state_when_there_are_none(client, worker):
    client.force_login(worker)
    response = client.get(reverse(PAGE))
    assert response.status_code == 200
    assert 'data-testid="no-tokens"' in response.content.decode()


def test_creating_a_token_shows_the_key_once(client, worker):
    client.force_login(worker)
    response = client.post(reverse(PAGE), {"name": "Foglio di calcolo"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["key"]
    assert ApiToken.find(key).account == worker
    assert key in response.content.decode()
    assert key not in client.get(reverse(PAGE)).content.decode()
    assert Client().get(reverse("api-attention-signals"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_a_token_needs_a_name(client, worker):
    client.force_login(worker)
    assert client.post(reverse(PAGE), {"name": ""}).status_code == 400
    assert not ApiToken.objects.exists()


def test_the_list_shows_name_dates_and_state(client, worker):
    active, _ = ApiToken.issue(worker, "Attivo")
    revoked, _ = ApiToken.issue(worker, "Vecchio")
    revoked.revoke()
    client.force_login(worker)
    body = client.get(reverse(PAGE)).content.decode()
    assert "Attivo" in body and "Vecchio" in body
    assert "revocato" in body and "attivo" in body
    assert "mai" in body  # never used
    assert revoke_url(active) in body and revoke_url(revoked) not in body


def test_the_owner_revokes_a_token_after_confirming(client, worker):
    token, key = ApiToken.issue(worker, "script")
    client.force_login(worker)
    confirm = client.get(revoke_url(token))
    assert confirm.status_code == 200 and "Vuoi davvero revocare" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # the GET only asks
    response = client.post(revoke_url(token))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.state() == ApiToken.State.REVOKED
    assert Client().get(reverse("api-attention-signals"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "head", "options"])
def test_nobody_sees_or_revokes_another_accounts_token(client, users, method):
    token, key = ApiToken.issue(users[Role.CITIZEN], "mio")
    for role in (Role.COORDINATOR, Role.WORKER):
        client.force_login(users[role])
        assert getattr(client, method)(revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_another_accounts_tokens_are_not_listed(client, users):
    ApiToken.issue(users[Role.CITIZEN], "Il token della cittadina")
    client.force_login(users[Role.COORDINATOR])
    body = client.get(reverse(PAGE)).content.decode()
    assert "Il token della cittadina" not in body
    assert 'data-testid="no-tokens"' in body


def test_the_pages_need_a_signed_in_account(client, worker):
    token, _key = ApiToken.issue(worker, "script")
    assert client.get(reverse(PAGE)).status_code == 302
    assert client.post(reverse(PAGE), {"name": "x"}).status_code == 302
    assert client.post(revoke_url(token)).status_code == 302
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_cannot_manage_tokens(worker):
    """The pages are for a signed-in session; an API key gives no access to them."""
    _token, key = ApiToken.issue(worker, "script")
    response = Client().post(reverse(PAGE), {"name": "altro"}, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 302
    assert worker.api_tokens.count() == 1


def sign_in(username):
    client = Client()
    client.post(reverse("login"), {"username": username, "password": PASSWORD})
    return client


def test_log_out_everywhere_ends_other_sessions_and_revokes_tokens_but_keeps_this_one(worker):
    token, key = ApiToken.issue(worker, "script")
    here, elsewhere = sign_in(worker.username), sign_in(worker.username)
    response = here.post(reverse("people:log_out_everywhere"), {"confirm": "on"})
    assert response.status_code == 302
    assert here.get(reverse("people:profile")).status_code == 200
    assert elsewhere.get(reverse("people:profile")).status_code == 302
    token.refresh_from_db()
    assert token.state() == ApiToken.State.REVOKED
    assert Client().get(reverse("api-attention-signals"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_log_out_everywhere_needs_the_confirmation(worker):
    token, _key = ApiToken.issue(worker, "script")
    here, elsewhere = sign_in(worker.username), sign_in(worker.username)
    here.post(reverse("people:log_out_everywhere"))
    assert elsewhere.get(reverse("people:profile")).status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is None


def test_log_out_everywhere_leaves_other_accounts_alone(users):
    token, _key = ApiToken.issue(users[Role.CITIZEN], "script")
    other = sign_in(users[Role.CITIZEN].username)
    sign_in(users[Role.WORKER].username).post(reverse("people:log_out_everywhere"), {"confirm": "on"})
    assert other.get(reverse("people:profile")).status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is None


def test_log_out_everywhere_is_post_only(client, worker):
    client.force_login(worker)
    assert client.get(reverse("people:log_out_everywhere")).status_code == 405
