"""Web push: queued for a kind wanted on a subscribed browser, sent encrypted and signed to its push service, held by
quiet hours, a browser gone deleted, a busy service tried again."""

import base64
import json
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import http_ece
import pytest
from django.utils import timezone
from py_vapid import Vapid02

from trama.notifications.models import Delivery, Kind, PushSubscription
from trama.notifications.services import notify, set_push
from trama.notifications.tasks import send_pending_push
from trama.people.models import Role

pytestmark = pytest.mark.django_db

SIGNAL_PATH = "/attenzione/segnalazioni/4242/"
GENERIC = "C'è una novità su Trama: apri l'app"


class FakePushService(BaseHTTPRequestHandler):
    """A push service: keeps each POST (headers, their names in lower case, and body) and answers it with the next of `server.answers`."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(({name.lower(): value for name, value in self.headers.items()}, body))
        answer = self.server.answers.pop(0) if self.server.answers else 201
        self.send_response(answer)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def service(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakePushService)
    server.received, server.answers = [], []
    server.endpoint = f"http://127.0.0.1:{server.server_address[1]}/wpush/v2/abc"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TRAMA_PUSH_TIMEOUT = 2
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def antenna(users):
    return users[Role.ANTENNA]


@pytest.fixture
def phone(antenna, browser, service):
    # Stored directly: the fake service listens on plain http at 127.0.0.1, which the subscribe page refuses.
    given = browser.subscription(service.endpoint)
    return PushSubscription.objects.create(account=antenna, endpoint=given["endpoint"], p256dh=given["keys"]["p256dh"], auth=given["keys"]["auth"])


def _taken_up(account, key="signal_taken_up:1", **kwargs):
    return notify(Kind.SIGNAL_TAKEN_UP, [account], url=SIGNAL_PATH, key=key, **kwargs)


def _push():
    return Delivery.objects.filter(channel=Delivery.Channel.PUSH)


def _make_due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_the_antennas_taken_up_news_goes_to_her_phone_by_default(antenna, users, vapid, phone):
    _taken_up(antenna)
    notify(Kind.MATCH_PROPOSED, [antenna], url="/", key="match_proposed:1")  # not a push kind by default
    _taken_up(users[Role.WORKER])  # no browser subscribed
    assert list(_push().values_list("notification__recipient", "notification__kind")) == [(antenna.pk, Kind.SIGNAL_TAKEN_UP)]


def test_without_vapid_keys_no_push_is_queued(antenna, phone, settings):
    settings.TRAMA_VAPID_PRIVATE_KEY = ""
    _taken_up(antenna)
    assert not _push().exists()


def test_push_follows_the_kinds_chosen(antenna, vapid, phone):
    set_push(antenna, [Kind.MATCH_PROPOSED])
    _taken_up(antenna)
    notify(Kind.MATCH_PROPOSED, [antenna], url="/", key="match_proposed:1")
    assert list(_push().values_list("notification__kind", flat=True)) == [Kind.MATCH_PROPOSED]


def test_the_push_service_gets_a_signed_encrypted_message_that_only_the_browser_reads(antenna, vapid, phone, browser, service, settings):
    settings.TRAMA_SITE_URL = "https://trama.example.org/"
    [notification] = _taken_up(antenna)
    assert send_pending_push.call() == 1
    [(headers, body)] = service.received
    # VAPID (RFC 8292): a JWT for this service's origin signed by the server's key, and that key.
    assert Vapid02.verify(headers["authorization"])
    token, key = (part.split("=", 1)[1] for part in headers["authorization"].split(" ", 1)[1].split(","))
    assert key == vapid
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["aud"] == service.endpoint.split("/wpush")[0] and claims["sub"] == "mailto:trama@example.org"
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == str(settings.TRAMA_PUSH_TTL)
    assert GENERIC.encode() not in body  # the service reads nothing
    message = json.loads(http_ece.decrypt(body, private_key=browser.key, auth_secret=browser.auth, version="aes128gcm"))
    assert message == {"title": "Trama", "body": GENERIC, "url": f"https://trama.example.org/notifiche/{notification.pk}/"}
    delivery = _push().get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)
    assert PushSubscription.objects.get().last_success_at is not None
    assert send_pending_push.call() == 0 and len(service.received) == 1


@pytest.mark.parametrize("gone", [404, 410])
def test_a_browser_the_push_service_no_longer_knows_is_deleted(antenna, vapid, phone, service, gone):
    _taken_up(antenna)
    service.answers = [gone]
    assert send_pending_push.call() == 0
    assert not PushSubscription.objects.exists()
    delivery = _push().get()
    assert (delivery.status, delivery.last_error) == (Delivery.Status.DROPPED, f"PushGone {gone}")


def test_a_refusal_is_not_tried_again(antenna, vapid, phone, service):
    _taken_up(antenna)
    service.answers = [400]
    send_pending_push.call()
    delivery = _push().get()
    assert (delivery.status, delivery.last_error) == (Delivery.Status.FAILED, "PushRefused 400")
    assert PushSubscription.objects.get().failures == 1


@pytest.mark.parametrize("busy", [503, 429])
def test_a_busy_push_service_is_tried_again_with_the_back_off_and_sent_once(antenna, vapid, phone, service, busy):
    _taken_up(antenna)
    service.answers = [busy]
    assert send_pending_push.call() == 0
    delivery = _push().get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.PENDING, 1, f"PushUnavailable {busy}")
    assert delivery.next_attempt_at - timezone.now() > timedelta(seconds=30)
    assert send_pending_push.call() == 0 and len(service.received) == 1  # not due yet
    _make_due(delivery)
    assert send_pending_push.call() == 1
    assert send_pending_push.call() == 0 and len(service.received) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.SENT, 2, "")


def test_a_push_whose_browser_was_removed_meanwhile_is_dropped(antenna, vapid, phone, service):
    from trama.notifications.services import unsubscribe_push

    _taken_up(antenna)
    unsubscribe_push(phone)
    assert send_pending_push.call() == 0 and service.received == []
    assert _push().get().status == Delivery.Status.DROPPED


ROME = ZoneInfo("Europe/Rome")


def test_a_push_at_night_waits_until_eight_unless_urgent(antenna, vapid, phone, service, settings, monkeypatch):
    settings.TIME_ZONE = "Europe/Rome"
    settings.TRAMA_QUIET_HOURS = ("21:00", "08:00")
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 5, 4, 23, 0, tzinfo=ROME))
    _taken_up(antenna)
    _taken_up(antenna, key="signal_taken_up:2", urgent=True)
    assert send_pending_push.call() == 1  # the urgent one only
    assert service.received[0][0]["urgency"] == "high"
    held = _push().get(urgent=False)
    assert (held.status, held.next_attempt_at) == (Delivery.Status.PENDING, datetime(2026, 5, 5, 8, 0, tzinfo=ROME))
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 5, 5, 8, 0, tzinfo=ROME))
    assert send_pending_push.call() == 1 and len(service.received) == 2
