import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from conftest import PASSWORD
from trama.people.lockouts import client_address

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


def sign_in(client, username, password=PASSWORD, **meta):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def fail_until_locked(client, username, **meta):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, username, "sbagliata-davvero", **meta)


def address(forwarded=None, remote="192.0.2.10"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


def test_without_a_proxy_the_address_is_the_connections_own():
    assert address("203.0.113.5") == "192.0.2.10"


def test_behind_one_proxy_the_address_is_the_last_one_it_appended(settings):
    settings.TRAMA_TRUSTED_PROXY_COUNT = 1
    assert address("10.9.9.9, 203.0.113.5", remote=PROXY) == "203.0.113.5"


def test_behind_two_proxies_the_address_is_the_one_the_outer_proxy_saw(settings):
    settings.TRAMA_TRUSTED_PROXY_COUNT = 2
    assert address("10.9.9.9, 203.0.113.5, 10.0.0.2", remote=PROXY) == "203.0.113.5"


def test_behind_a_proxy_a_request_without_the_header_keeps_the_connections_address(settings):
    settings.TRAMA_TRUSTED_PROXY_COUNT = 1
    assert address(None, remote=PROXY) == PROXY
    assert address("not-an-address", remote=PROXY) == PROXY


def test_without_a_proxy_a_forged_x_forwarded_for_does_not_dodge_the_lockout(client, make_user):
    user = make_user()
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user.username, "sbagliata-davvero", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = sign_in(client, user.username, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429


def test_behind_the_proxy_two_clients_are_told_apart(client, make_user, settings):
    settings.TRAMA_TRUSTED_PROXY_COUNT = 1
    user = make_user()
    fail_until_locked(client, user.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert sign_in(client, user.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    response = sign_in(client, user.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_behind_the_proxy_a_client_cannot_dodge_its_lockout_by_prepending_addresses(client, make_user, settings):
    settings.TRAMA_TRUSTED_PROXY_COUNT = 1
    user = make_user()
    fail_until_locked(client, user.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    forged = sign_in(client, user.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5")
    assert forged.status_code == 429
