"""Web push subscriptions: a person keeps and removes her own browsers; anything but a browser's subscription is refused."""

import json

import pytest

from trama.notifications import push
from trama.notifications.models import PushSubscription
from trama.people.models import Role

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/notifiche/telefono/iscrivi/"
ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"


def _post(client, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(SUBSCRIBE, data=data, content_type="application/json", headers=headers)


@pytest.fixture
def antenna(users, client):
    client.force_login(users[Role.ANTENNA])
    return users[Role.ANTENNA]


def test_a_signed_in_person_subscribes_her_browser(antenna, client, vapid, browser):
    response = _post(client, browser.subscription(), User_Agent=ANDROID)
    assert response.status_code == 201
    assert response.json()["message"] == "Fatto: gli avvisi arriveranno su questo telefono."
    phone = PushSubscription.objects.get()
    assert (phone.account, phone.endpoint, phone.p256dh, phone.user_agent) == (
        antenna,
        "https://fcm.googleapis.com/fcm/send/abc123",
        browser.p256dh,
        "Android, Chrome",
    )
    assert response.json()["id"] == phone.pk


def test_the_same_browser_again_updates_its_keys_instead_of_adding_one(antenna, client, vapid, browser):
    _post(client, browser.subscription())
    again = browser.subscription()
    again["keys"]["auth"] = "ZmVkY2JhOTg3NjU0MzIxMA"
    assert _post(client, again).status_code == 201
    assert list(PushSubscription.objects.values_list("auth", flat=True)) == ["ZmVkY2JhOTg3NjU0MzIxMA"]


def _bad_cases(given):
    good = given.subscription()

    def changed(**parts):
        copy = json.loads(json.dumps(good))
        keys = parts.pop("keys", {})
        copy.update(parts)
        copy["keys"].update(keys)
        return copy

    return {
        "endpoint of 10 kB": changed(endpoint="https://fcm.googleapis.com/" + "a" * 10_000),
        "not https": changed(endpoint="http://fcm.googleapis.com/fcm/send/abc"),
        "javascript:": changed(endpoint="javascript:alert(1)"),
        "an address": changed(endpoint="https://127.0.0.1/send"),
        "a local name": changed(endpoint="https://localhost/send"),
        "credentials": changed(endpoint="https://user:pw@fcm.googleapis.com/x"),
        "no endpoint": {"keys": good["keys"]},
        "endpoint a number": changed(endpoint=42),
        "p256dh too short": changed(keys={"p256dh": given.p256dh[:-4]}),
        "p256dh not base64": changed(keys={"p256dh": "!" * 87}),
        "p256dh not a point": changed(keys={"p256dh": "A" * 87}),
        "auth of 8 bytes": changed(keys={"auth": "MDEyMzQ1Njc"}),
        "auth huge": changed(keys={"auth": "A" * 100_000}),
        "auth a list": changed(keys={"auth": ["x"]}),
        "keys missing": {"endpoint": good["endpoint"]},
        "a list": [good],
        "a string": "ciao",
        "null": None,
        "not JSON": "{endpoint:",
        "not UTF-8": b"\xff\xfe{}",
    }


@pytest.mark.parametrize(
    "case",
    [
        "endpoint of 10 kB",
        "not https",
        "javascript:",
        "an address",
        "a local name",
        "credentials",
        "no endpoint",
        "endpoint a number",
        "p256dh too short",
        "p256dh not base64",
        "p256dh not a point",
        "auth of 8 bytes",
        "auth huge",
        "auth a list",
        "keys missing",
        "a list",
        "a string",
        "null",
        "not JSON",
        "not UTF-8",
    ],
)
def test_anything_but_a_browser_subscription_is_refused_with_a_message_and_nothing_stored(antenna, client, vapid, browser, case):
    body = _bad_cases(browser)[case]
    response = _post(client, body if isinstance(body, bytes) or case == "not JSON" else json.dumps(body))
    assert response.status_code == 400
    assert response.json()["error"] in {str(push.SUBSCRIPTION_ERROR), str(push.ENDPOINT_ERROR), str(push.KEYS_ERROR)}
    assert not PushSubscription.objects.exists()


def test_without_vapid_keys_nobody_can_subscribe(antenna, client, browser, settings):
    settings.TRAMA_VAPID_PRIVATE_KEY = ""
    response = _post(client, browser.subscription())
    assert response.status_code == 400 and "non sono attivi" in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_subscribing_needs_the_csrf_token(antenna, vapid, browser):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(antenna)
    assert _post(strict, browser.subscription()).status_code == 403
    assert not PushSubscription.objects.exists()


def test_a_visitor_not_signed_in_is_sent_to_sign_in(client, vapid, browser):
    response = _post(client, browser.subscription())
    assert response.status_code == 302 and "/account/" in response["Location"]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_only_post_subscribes(antenna, client, vapid, method):
    assert getattr(client, method)(SUBSCRIBE).status_code == 405


def _phone(account, endpoint="https://fcm.googleapis.com/fcm/send/x", user_agent=""):
    return PushSubscription.objects.create(account=account, endpoint=endpoint, p256dh="B" + "A" * 86, auth="A" * 22, user_agent=user_agent)


def test_a_person_removes_her_own_browser(antenna, client, vapid):
    phone = _phone(antenna)
    response = client.post(f"/notifiche/telefono/{phone.pk}/togli/")
    assert response.status_code == 302 and not PushSubscription.objects.exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_nobody_removes_another_accounts_browser(users, client, vapid, role, method):
    others = _phone(users[Role.CITIZEN] if role != Role.CITIZEN else users[Role.ANTENNA])
    client.force_login(users[role])
    response = getattr(client, method)(f"/notifiche/telefono/{others.pk}/togli/")
    assert response.status_code == (404 if method == "post" else 405)
    assert PushSubscription.objects.filter(pk=others.pk).exists()


def test_removing_a_browser_that_does_not_exist_is_404(antenna, client):
    assert client.post("/notifiche/telefono/999999/togli/").status_code == 404


def test_the_preferences_page_lists_only_her_own_browsers(users, antenna, client, vapid):
    _phone(antenna, user_agent="Android, Chrome")
    _phone(users[Role.CITIZEN], "https://fcm.googleapis.com/fcm/send/y", user_agent="iPhone, Safari")
    page = client.get("/notifiche/preferenze/").content.decode()
    assert "Togli gli avvisi da Android, Chrome" in page and "iPhone" not in page
