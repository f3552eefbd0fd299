"""POST /api/v1/token/: a key once, with its expiry; the second factor and the lockout of the sign-in form."""

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from trama.people.models import ApiToken
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db


def ask(client, username, password=PASSWORD, **extra):
    return client.post(reverse("api-token"), {"username": username, "password": password, **extra}, content_type="application/json")


def code_of(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


@pytest.fixture
def with_totp(worker):
    return TOTPDevice.objects.create(user=worker, name="telefono", confirmed=True)


def test_the_key_is_returned_once_with_its_expiry_and_works(client, worker):
    response = ask(client, worker.username, name="cruscotto")
    assert response.status_code == 200
    body = response.json()
    token = ApiToken.find(body["token"])
    assert token.account == worker and token.name == "cruscotto"
    assert body["expires_at"] and body["idle_seconds"] == settings.TRAMA_API_TOKEN_IDLE_SECONDS
    assert client.get(reverse("api-attention-signals"), HTTP_AUTHORIZATION=f"Token {body['token']}").status_code == 200


def test_each_request_issues_a_new_token(client, worker):
    first, second = ask(client, worker.username).json()["token"], ask(client, worker.username).json()["token"]
    assert first != second
    assert worker.api_tokens.count() == 2


def test_a_disabled_account_gets_no_token(client, worker):
    worker.is_active = False
    worker.save()
    assert ask(client, worker.username).status_code == 400
    assert not ApiToken.objects.exists()


def test_an_account_with_a_device_needs_the_code(client, worker, with_totp):
    response = ask(client, worker.username)
    assert response.status_code == 400
    assert "verifica in due passaggi" in response.json()["otp"][0]
    assert not ApiToken.objects.exists()


def test_a_wrong_code_is_refused_with_400(client, worker, with_totp):
    wrong = "000000" if code_of(with_totp) != "000000" else "111111"
    response = ask(client, worker.username, otp=wrong)
    assert response.status_code == 400
    assert response.json()["otp"] == ["Codice della verifica in due passaggi non valido."]
    assert not ApiToken.objects.exists()


def test_a_wrong_code_counts_as_a_failed_sign_in(client, worker, with_totp):
    ask(client, worker.username, otp="not-a-code")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, object_id=str(worker.pk)).count() == 1


def test_the_right_totp_code_issues_the_token(client, worker, with_totp):
    response = ask(client, worker.username, otp=code_of(with_totp))
    assert response.status_code == 200
    assert ApiToken.find(response.json()["token"]).account == worker


def test_a_backup_code_issues_the_token_once(client, worker):
    device = StaticDevice.objects.create(user=worker, name="codici di riserva", confirmed=True)
    device.token_set.create(token="riserva1")
    assert ask(client, worker.username, otp="riserva1").status_code == 200
    assert ask(client, worker.username, otp="riserva1").status_code == 400


def test_an_account_without_a_device_needs_no_code(client, worker):
    assert ask(client, worker.username).status_code == 200


def test_repeated_bad_passwords_lock_the_endpoint_even_for_the_right_one(client, worker):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert ask(client, worker.username, "sbagliata-davvero").status_code in (400, 429)
    response = ask(client, worker.username)
    assert response.status_code == 429
    assert "bloccato" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_the_endpoint_and_the_sign_in_form_share_the_lockout(client, worker):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        ask(client, worker.username, "sbagliata-davvero")
    assert client.post(reverse("login"), {"username": worker.username, "password": PASSWORD}).status_code == 429


def test_repeated_wrong_codes_lock_the_endpoint(client, worker, with_totp):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        ask(client, worker.username, otp="000000x")
    assert ask(client, worker.username, otp=code_of(with_totp)).status_code == 429


def test_a_success_clears_earlier_failures(client, worker):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        ask(client, worker.username, "sbagliata-davvero")
    assert ask(client, worker.username).status_code == 200
    ask(client, worker.username, "sbagliata-davvero")
    assert ask(client, worker.username).status_code == 200
