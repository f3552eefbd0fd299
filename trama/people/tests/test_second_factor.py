import time

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from trama.people import second_factor
from trama.people.models import Role
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

REQUIRED = [Role.COORDINATOR, Role.WORKER]
OPTIONAL = [Role.PARTNER, Role.ANTENNA, Role.CITIZEN]


def app_code(device, steps_ahead=0):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def enrol(user):
    """A confirmed app and ten recovery codes for `user`: (device, codes)."""
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device, second_factor.new_recovery_codes(user)


def give_code(client, code, field="code", **extra):
    return client.post(reverse("second_factor_verify"), {field: code, **extra})


def signed_in(client):
    return "_auth_user_id" in client.session


def verified(client):
    return DEVICE_ID_SESSION_KEY in client.session


@pytest.fixture
def require_second_factor(settings):
    settings.TRAMA_REQUIRE_SECOND_FACTOR = True


# Signing in


def test_with_a_second_factor_the_password_alone_signs_no_one_in(client, make_user, log_in):
    user = make_user()
    enrol(user)
    response = log_in(client, user.username)
    assert response.status_code == 302 and response.url == reverse("second_factor_verify")
    assert not signed_in(client)
    page = client.get(reverse("second_factor_verify")).content.decode()
    assert "Codice di verifica" in page and 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page


def test_the_app_code_completes_the_sign_in(client, make_user, log_in):
    user = make_user()
    device, _codes = enrol(user)
    log_in(client, user.username)
    response = give_code(client, app_code(device))
    assert response.status_code == 302 and response.url == reverse("home")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert verified(client)


def test_the_code_step_keeps_where_the_person_was_going(client, make_user):
    user = make_user()
    device, _codes = enrol(user)
    client.post(reverse("login") + "?next=/account/profilo/", {"username": user.username, "password": PASSWORD})
    assert give_code(client, app_code(device)).url == "/account/profilo/"


def test_a_wrong_code_is_refused_in_italian_and_counted_as_a_failed_sign_in(client, make_user, log_in):
    user = make_user()
    device, _codes = enrol(user)
    log_in(client, user.username)
    response = give_code(client, app_code(device, steps_ahead=10))
    assert response.status_code == 400
    assert "Codice non corretto o già usato" in response.content.decode()
    assert not signed_in(client)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, object_id=str(user.pk)).count() == 1
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 1


def test_a_malformed_code_is_explained_and_not_counted(client, make_user, log_in):
    user = make_user()
    enrol(user)
    log_in(client, user.username)
    response = give_code(client, "12ab")
    assert response.status_code == 400
    assert "6 cifre" in response.content.decode()
    response = give_code(client, "12345", field="recovery_code")
    assert "8 caratteri" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_code_already_used_is_refused(client, make_user, log_in):
    user = make_user()
    device, _codes = enrol(user)
    code = app_code(device)
    log_in(client, user.username)
    give_code(client, code)
    client.post(reverse("logout"))
    log_in(client, user.username)
    response = give_code(client, code)
    assert response.status_code == 400
    assert not signed_in(client)


def test_a_recovery_code_signs_in_once(client, make_user, log_in):
    user = make_user()
    _device, codes = enrol(user)
    log_in(client, user.username)
    assert give_code(client, codes[0].upper().replace("-", " "), field="recovery_code").status_code == 302
    assert signed_in(client) and verified(client)
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post(reverse("logout"))
    log_in(client, user.username)
    response = give_code(client, codes[0], field="recovery_code")
    assert response.status_code == 400
    assert "Codice di recupero non corretto o già usato" in response.content.decode()
    assert not signed_in(client)


def test_wrong_codes_lock_the_account_out_like_wrong_passwords(client, make_user, log_in, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own pause between tries is tested below
    user = make_user()
    device, _codes = enrol(user)
    log_in(client, user.username)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        give_code(client, app_code(device, steps_ahead=10))
    response = give_code(client, app_code(device, steps_ahead=10))
    assert response.status_code == 429
    assert "Accesso temporaneamente bloccato" in response.content.decode()
    assert log_in(client, user.username).status_code == 429
    assert not signed_in(client)


def test_a_right_code_right_after_a_wrong_one_asks_to_wait(client, make_user, log_in):
    user = make_user()
    device, _codes = enrol(user)
    log_in(client, user.username)
    give_code(client, app_code(device, steps_ahead=10))
    response = give_code(client, app_code(device))
    assert "attendi qualche secondo" in response.content.decode()
    assert not signed_in(client)


def test_the_code_is_asked_within_five_minutes_of_the_password(client, make_user, log_in):
    user = make_user()
    device, _codes = enrol(user)
    log_in(client, user.username)
    session = client.session
    session[second_factor.PENDING]["at"] = time.time() - 6 * 60
    session.save()
    response = give_code(client, app_code(device))
    assert response.status_code == 302 and response.url == reverse("login")
    assert not signed_in(client)


def test_the_code_step_without_a_password_first_sends_to_sign_in(client):
    response = client.get(reverse("second_factor_verify"))
    assert response.status_code == 302 and response.url == reverse("login")


# Who must enrol, and what an unverified session reaches


@pytest.mark.parametrize("role", REQUIRED)
def test_coordinators_and_workers_without_a_second_factor_reach_only_the_enrolment(client, users, role, require_second_factor):
    client.force_login(users[role])
    for url in (reverse("home"), reverse("people:people"), reverse("people:profile")):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("people:second_factor"), url
    for url in (reverse("people:second_factor"), reverse("privacy:notice"), reverse("health")):
        assert client.get(url).status_code == 200, url
    assert client.post(reverse("logout")).status_code == 302
    assert not signed_in(client)


@pytest.mark.parametrize("role", REQUIRED)
def test_the_api_answers_403_in_json_until_enrolled(client, users, role, require_second_factor):
    client.force_login(users[role])
    response = client.get(reverse("api-neighbourhoods"))
    assert response.status_code == 403
    assert "verifica in due passaggi" in response.json()["detail"]


@pytest.mark.parametrize("role", OPTIONAL)
def test_other_roles_need_no_second_factor(client, users, role, require_second_factor):
    client.force_login(users[role])
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("api-neighbourhoods")).status_code == 200


@pytest.mark.parametrize("role", REQUIRED)
def test_an_enrolled_staff_session_that_gave_no_code_is_sent_to_the_code_step(client, users, role, require_second_factor):
    enrol(users[role])
    client.force_login(users[role])
    response = client.get(reverse("people:people"))
    assert response.status_code == 302
    assert response.url == reverse("second_factor_verify") + "?next=%2Faccount%2Fpersone%2F"
    assert client.get(reverse("people:second_factor")).status_code == 302
    api = client.get(reverse("api-neighbourhoods"))
    assert api.status_code == 403 and "codice di verifica" in api.json()["detail"]


def test_a_code_given_in_a_signed_in_session_verifies_it(client, worker, require_second_factor):
    device, _codes = enrol(worker)
    client.force_login(worker)
    response = give_code(client, app_code(device), next=reverse("people:people"))
    assert response.url == reverse("people:people")
    assert client.get(reverse("people:people")).status_code == 200


def test_an_account_with_a_second_factor_is_asked_for_it_even_where_it_is_optional(client, users, settings):
    settings.TRAMA_REQUIRE_SECOND_FACTOR = False
    enrol(users[Role.CITIZEN])
    client.force_login(users[Role.CITIZEN])
    assert client.get(reverse("home")).url.startswith(reverse("second_factor_verify"))


def test_without_the_requirement_workers_are_not_sent_to_enrol(client, worker, settings):
    settings.TRAMA_REQUIRE_SECOND_FACTOR = False
    client.force_login(worker)
    assert client.get(reverse("home")).status_code == 200


# Enrolment and management


def test_the_enrolment_page_shows_the_secret_the_uri_and_a_qr_code(client, worker, require_second_factor):
    client.force_login(worker)
    page = client.get(reverse("people:second_factor")).content.decode()
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    secret = second_factor.secret_of(device)
    assert len(secret.split(" ")[0]) == 4 and secret in page
    assert "otpauth://totp/Trama%3A" in page
    assert '<svg width="' in page and 'class="qr-code"' in page
    assert second_factor.secret_of(TOTPDevice.objects.get(user=worker)) == secret
    client.get(reverse("people:second_factor"))
    assert TOTPDevice.objects.filter(user=worker).count() == 1


def test_enrolling_shows_ten_recovery_codes_once_and_verifies_the_session(client, worker, require_second_factor):
    client.force_login(worker)
    client.get(reverse("people:second_factor"))
    device = TOTPDevice.objects.get(user=worker)
    response = client.post(reverse("people:second_factor"), {"code": app_code(device)})
    assert response.status_code == 200
    assert len(response.context["codes"]) == second_factor.RECOVERY_CODES == 10
    assert "conservali" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("people:people")).status_code == 200
    page = client.get(reverse("people:second_factor")).content.decode()
    assert response.context["codes"][0] not in page
    assert AuditEntry.objects.filter(object_id=str(worker.pk), reason="secondo fattore attivato").exists()


def test_a_wrong_code_does_not_confirm_the_enrolment(client, worker, require_second_factor):
    client.force_login(worker)
    client.get(reverse("people:second_factor"))
    device = TOTPDevice.objects.get(user=worker)
    response = client.post(reverse("people:second_factor"), {"code": app_code(device, steps_ahead=10)})
    assert response.status_code == 400
    assert "Codice non corretto" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=worker, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(client, make_user, log_in):
    user = make_user()
    device, old = enrol(user)
    log_in(client, user.username)
    give_code(client, app_code(device))
    response = client.post(reverse("people:second_factor_codes"))
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert second_factor.verify(user, second_factor.normalise(new[1])) is not None
    assert second_factor.verify(user, second_factor.normalise(old[1])) is None


def test_a_citizen_may_remove_the_second_factor(client, make_user, log_in):
    user = make_user(Role.CITIZEN)
    device, _codes = enrol(user)
    log_in(client, user.username)
    give_code(client, app_code(device))
    client.post(reverse("people:second_factor_remove"))
    assert second_factor.has_second_factor(user)
    client.post(reverse("people:second_factor_remove"), {"confirm": "on"})
    assert not second_factor.has_second_factor(user)
    assert not StaticToken.objects.filter(device__user=user).exists()


@pytest.mark.parametrize("role", REQUIRED)
def test_coordinators_and_workers_may_not_remove_theirs(client, make_user, log_in, role):
    user = make_user(role)
    device, _codes = enrol(user)
    log_in(client, user.username)
    give_code(client, app_code(device))
    assert client.post(reverse("people:second_factor_remove"), {"confirm": "on"}).status_code == 403
    assert second_factor.has_second_factor(user)


# A coordinator's reset (a lost phone)


def test_a_coordinator_resets_a_lost_second_factor_and_it_is_audited(client, coordinator, worker):
    enrol(worker)
    client.force_login(coordinator)
    url = reverse("people:account_second_factor_reset", args=[worker.pk])
    assert "Azzera la verifica in due passaggi" in client.get(reverse("people:account", args=[worker.pk])).content.decode()
    client.post(url)
    assert second_factor.has_second_factor(worker)
    client.post(url, {"confirm": "on"})
    assert not second_factor.has_second_factor(worker)
    entry = AuditEntry.objects.get(reason="secondo fattore azzerato")
    assert (entry.actor, entry.object_id) == (coordinator, str(worker.pk))


def test_a_coordinator_cannot_reset_their_own(client, coordinator):
    enrol(coordinator)
    client.force_login(coordinator)
    client.post(reverse("people:account_second_factor_reset", args=[coordinator.pk]), {"confirm": "on"})
    assert second_factor.has_second_factor(coordinator)


@pytest.mark.parametrize("role", ["anonymous", *[r for r in Role if r != Role.COORDINATOR]])
def test_no_one_else_may_reset_a_second_factor(client, users, make_user, role):
    target = make_user(Role.WORKER)
    enrol(target)
    if role != "anonymous":
        client.force_login(users[role])
    response = client.post(reverse("people:account_second_factor_reset", args=[target.pk]), {"confirm": "on"})
    assert response.status_code in (302, 403)
    assert second_factor.has_second_factor(target)
    assert client.get(reverse("people:account_second_factor_reset", args=[target.pk])).status_code == 405


def test_the_account_flag_follows_its_confirmed_app(make_user):
    """SecondFactorMiddleware reads User.second_factor instead of the devices: it must follow them."""
    user = make_user(Role.CITIZEN)
    assert not user.second_factor
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    user.refresh_from_db()
    assert not user.second_factor, "an app not yet confirmed is no second factor"
    device.confirmed = True
    device.save()
    user.refresh_from_db()
    assert user.second_factor
    second_factor.remove(user)
    user.refresh_from_db()
    assert not user.second_factor


def test_a_page_view_without_a_second_factor_does_not_ask_for_devices(client, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_user(Role.CITIZEN))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not [q["sql"] for q in queries if "otp_totp" in q["sql"]]
