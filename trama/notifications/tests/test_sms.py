"""SMS: queued only for a number given and a kind wanted, held by quiet hours, sent once, failures handled by kind."""

import json
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from trama.notifications import sms
from trama.notifications.models import Delivery, Kind, SmsNumber
from trama.notifications.services import notify, set_sms
from trama.notifications.tasks import send_pending_sms
from trama.people.models import Role

pytestmark = pytest.mark.django_db

NUMBER = "+393331234567"
MATCH_PATH = "/mercato/abbinamenti/4242/"


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("333 1234567", NUMBER),
        ("+39 333 123 4567", NUMBER),
        ("0039 333-123-4567", NUMBER),
        ("(333) 123.45.67", NUMBER),
        ("3331234567", NUMBER),
        ("333 123456", "+39333123456"),
        ("+44 7700 900123", "+447700900123"),
        ("+1 (202) 555-0143", "+12025550143"),
    ],
)
def test_a_mobile_number_is_stored_in_e164(written, stored):
    assert sms.normalise_number(written) == stored


@pytest.mark.parametrize(
    "bad",
    [
        "06 12345678",  # an Italian landline takes no SMS
        "+39 06 1234567",
        "333",
        "+0 123456789",
        "+39 333 1234567 8901 23",
        "33312345678901",
        "333-abc-4567",
        "＋39 333 1234567",
        "３３３１２３４５６７",
        "333 1234567; DROP TABLE",
        "+39 333\x001234567",
        "+",
        "9" * 5000,
    ],
)
def test_anything_but_a_mobile_number_is_refused_with_a_message(bad):
    with pytest.raises(ValidationError) as refused:
        sms.normalise_number(bad)
    assert "Scrivi un numero di cellulare valido" in refused.value.messages[0]


@pytest.fixture
def citizen(users):
    return users[Role.CITIZEN]


def _wants_sms(account, number=NUMBER, kinds=(Kind.MATCH_PROPOSED,)):
    set_sms(account, number, kinds)


def _proposed(account, key="match_proposed:1", **kwargs):
    return notify(Kind.MATCH_PROPOSED, [account], url=MATCH_PATH, key=key, **kwargs)


def _sms():
    return Delivery.objects.filter(channel=Delivery.Channel.SMS)


def test_an_sms_is_queued_only_for_a_kind_wanted_with_a_number_given(users, citizen):
    _wants_sms(citizen)
    set_sms(users[Role.WORKER], "", [Kind.MATCH_PROPOSED])  # wants it, gave no number
    _proposed(citizen)
    _proposed(users[Role.WORKER])
    notify(Kind.MATCH_DONE, [citizen], url=MATCH_PATH, key="match_done:1")  # a kind not wanted by SMS
    assert list(_sms().values_list("notification__recipient", "notification__kind")) == [(citizen.pk, Kind.MATCH_PROPOSED)]


def test_by_default_nobody_gets_an_sms(citizen):
    SmsNumber.objects.create(account=citizen, number=NUMBER)
    _proposed(citizen)
    assert not _sms().exists()


def test_each_sms_is_sent_once_and_says_only_the_kind_and_the_link(citizen, settings):
    settings.TRAMA_SITE_URL = "https://trama.example.org/"
    _wants_sms(citizen)
    _proposed(citizen)
    assert send_pending_sms.call() == 1
    assert send_pending_sms.call() == 0
    assert sms.outbox == [(NUMBER, f"Trama: C'è una novità su un tuo abbinamento: apri Trama per vederla. https://trama.example.org{MATCH_PATH}")]
    delivery = _sms().get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)


@pytest.mark.parametrize("change", ["disabled", "number withdrawn", "kind no longer wanted"])
def test_an_sms_whose_account_or_wish_changed_meanwhile_is_not_sent(citizen, change, caplog):
    caplog.set_level("INFO", logger="trama.notifications")
    _wants_sms(citizen)
    _proposed(citizen)
    if change == "disabled":
        citizen.is_active = False
        citizen.save()
    elif change == "number withdrawn":
        set_sms(citizen, "", [])
    else:
        set_sms(citizen, NUMBER, [Kind.MATCH_DONE])
    assert send_pending_sms.call() == 0 and sms.outbox == []
    assert _sms().get().status == Delivery.Status.DROPPED
    if change == "disabled":
        assert f"Notification SMS {_sms().get().pk} dropped" in caplog.text


def test_an_sms_goes_to_the_number_given_last(citizen):
    _wants_sms(citizen)
    _proposed(citizen)
    _wants_sms(citizen, "+393339999999")
    send_pending_sms.call()
    assert [number for number, _text in sms.outbox] == ["+393339999999"]


ROME = ZoneInfo("Europe/Rome")


def test_an_sms_at_night_waits_until_eight_unless_urgent(citizen, users, settings, monkeypatch):
    settings.TIME_ZONE = "Europe/Rome"
    settings.TRAMA_QUIET_HOURS = ("21:00", "08:00")
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 5, 4, 23, 0, tzinfo=ROME))
    _wants_sms(citizen)
    _proposed(citizen)
    _proposed(citizen, key="match_proposed:2", urgent=True)
    assert send_pending_sms.call() == 1  # the urgent one only
    held = _sms().get(urgent=False)
    assert (held.status, held.next_attempt_at) == (Delivery.Status.PENDING, datetime(2026, 5, 5, 8, 0, tzinfo=ROME))
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 5, 5, 8, 0, tzinfo=ROME))
    assert send_pending_sms.call() == 1 and len(sms.outbox) == 2


class FakeProvider(BaseHTTPRequestHandler):
    """A provider's JSON API: answers each POST with the next of `server.answers` (a status, or "slow")."""

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self.server.received.append((self.headers["Authorization"], json.loads(self.rfile.read(length))))
        answer = self.server.answers.pop(0) if self.server.answers else 200
        if answer == "slow":
            time.sleep(1)
            answer = 200
        body = json.dumps({"error": f"number {NUMBER} rejected"} if answer >= 400 else {"id": "abc"}).encode()
        self.send_response(answer)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeProvider)
    server.received, server.answers = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TRAMA_SMS_BACKEND = "trama.notifications.sms.HttpJsonBackend"
    settings.TRAMA_SMS_URL = f"http://127.0.0.1:{server.server_address[1]}/messages"
    settings.TRAMA_SMS_TOKEN = "s3cr3t-token"
    settings.TRAMA_SMS_SENDER = "Trama"
    settings.TRAMA_SMS_TIMEOUT = 0.3
    yield server
    server.shutdown()
    server.server_close()


def _make_due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_the_provider_gets_the_message_as_json_with_the_token(citizen, provider):
    _wants_sms(citizen)
    _proposed(citizen)
    assert send_pending_sms.call() == 1
    [(authorization, payload)] = provider.received
    assert authorization == "Bearer s3cr3t-token"
    assert payload == {"from": "Trama", "to": NUMBER, "text": sms_text()}
    assert _sms().get().status == Delivery.Status.SENT


def sms_text():
    from django.conf import settings

    return f"Trama: C'è una novità su un tuo abbinamento: apri Trama per vederla. {settings.TRAMA_SITE_URL.rstrip('/')}{MATCH_PATH}"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_a_refusal_is_not_tried_again_and_says_only_its_status(citizen, provider, status, caplog):
    _wants_sms(citizen)
    _proposed(citizen)
    provider.answers = [status]
    assert send_pending_sms.call() == 0
    delivery = _sms().get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.FAILED, 1, f"SmsRefused {status}")
    _make_due(delivery)
    assert send_pending_sms.call() == 0 and len(provider.received) == 1
    assert NUMBER not in caplog.text and "s3cr3t" not in caplog.text


@pytest.mark.parametrize("trouble", [500, 502, 503, 429, "slow"])
def test_a_provider_down_busy_or_slow_is_tried_again_later_and_sent_once(citizen, provider, trouble, settings):
    settings.TRAMA_NOTIFICATION_MAX_ATTEMPTS = 3
    _wants_sms(citizen)
    _proposed(citizen)
    provider.answers = [trouble, trouble]
    assert send_pending_sms.call() == 0
    delivery = _sms().get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert delivery.last_error == ("TimeoutError" if trouble == "slow" else f"SmsUnavailable {trouble}")
    first_wait = delivery.next_attempt_at - timezone.now()
    assert first_wait > timedelta(seconds=30)  # not due again at once
    assert send_pending_sms.call() == 0 and len(provider.received) == 1
    _make_due(delivery)
    send_pending_sms.call()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 2)
    assert delivery.next_attempt_at - timezone.now() > first_wait  # the wait doubles
    _make_due(delivery)
    assert send_pending_sms.call() == 1
    send_pending_sms.call()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.SENT, 3, "")


def test_a_provider_that_stays_down_is_given_up_and_kept(citizen, provider, settings):
    settings.TRAMA_NOTIFICATION_MAX_ATTEMPTS = 2
    _wants_sms(citizen)
    _proposed(citizen)
    provider.answers = [503, 503, 200]
    send_pending_sms.call()
    _make_due(_sms().get())
    send_pending_sms.call()
    delivery = _sms().get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 2)
    _make_due(delivery)
    assert send_pending_sms.call() == 0 and len(provider.received) == 2


def test_no_provider_listening_is_tried_again_later(citizen, settings):
    settings.TRAMA_SMS_BACKEND = "trama.notifications.sms.HttpJsonBackend"
    settings.TRAMA_SMS_URL = "http://127.0.0.1:9/messages"  # the discard port: nothing answers
    settings.TRAMA_SMS_TIMEOUT = 0.3
    _wants_sms(citizen)
    _proposed(citizen)
    send_pending_sms.call()
    delivery = _sms().get()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
    assert delivery.last_error in {"URLError", "TimeoutError"}


def test_a_failure_left_for_later_queues_its_own_run(citizen, provider, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _wants_sms(citizen)
    _proposed(citizen)
    provider.answers = [503]
    send_pending_sms.call()
    queued = DBTaskResult.objects.get(task_path=send_pending_sms.module_path)
    assert queued.run_after == _sms().get().next_attempt_at


def test_the_console_backend_logs_no_full_number(citizen, settings, caplog):
    settings.TRAMA_SMS_BACKEND = "trama.notifications.sms.ConsoleBackend"
    caplog.set_level("INFO", logger="trama.notifications")
    _wants_sms(citizen)
    _proposed(citizen)
    assert send_pending_sms.call() == 1
    assert "SMS to …567" in caplog.text and NUMBER not in caplog.text
