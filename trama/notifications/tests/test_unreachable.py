"""An address or number that does not receive: marked at a permanent refusal or a provider's bounce notice, no
more sent to it, the person told in the interface until she changes or confirms it."""

import json
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from trama.notifications import sms
from trama.notifications.models import Delivery, Kind, UnreachableAddress
from trama.notifications.queries import unreachable_channels
from trama.notifications.services import notify, set_sms
from trama.notifications.tasks import send_digests, send_pending_emails, send_pending_sms
from trama.people.models import Role

pytestmark = pytest.mark.django_db

NUMBER = "+393331234567"
SECRET = "bounce-s3cret"
BANNER = "Il tuo indirizzo e-mail non riceve i messaggi: controllalo nel profilo"


class MailboxUnknown(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"5.1.1 anna@example.org: no such user")})


class MailboxFull(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (452, b"4.2.2 mailbox full")})


@pytest.fixture
def citizen(users):
    return users[Role.CITIZEN]


def _told(account, i=0):
    notify(Kind.MATCH_PROPOSED, [account], url=f"/mercato/abbinamenti/{i}/", key=f"match_proposed:{i}")


def test_a_permanent_refusal_marks_the_address_and_stops_email_to_it(citizen, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.MailboxUnknown"
    _told(citizen, 0)
    assert send_pending_emails.call() == 0
    failed = Delivery.objects.get()
    assert (failed.status, failed.last_error) == (Delivery.Status.FAILED, "SMTPRecipientsRefused 550")
    marked = UnreachableAddress.objects.get(account=citizen)
    assert (marked.channel, marked.address, marked.reason) == ("email", citizen.email.lower(), "SMTPRecipientsRefused 550")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _told(citizen, 1)
    assert send_pending_emails.call() == 0 and mail.outbox == []
    assert Delivery.objects.get(notification__key="match_proposed:1").status == Delivery.Status.DROPPED
    assert "anna@example.org" not in caplog.text and citizen.email not in caplog.text


def test_a_temporary_refusal_marks_nothing_and_is_tried_again(citizen, settings):
    settings.EMAIL_BACKEND = f"{__name__}.MailboxFull"
    _told(citizen)
    send_pending_emails.call()
    assert Delivery.objects.get().status == Delivery.Status.PENDING
    assert not UnreachableAddress.objects.exists()


def test_the_digest_is_not_sent_to_an_address_that_does_not_receive(citizen):
    from trama.notifications.services import mark_unreachable, set_email_preferences

    set_email_preferences(citizen, {Kind.MATCH_PROPOSED: "digest"})
    _told(citizen)
    mark_unreachable(citizen, "email", citizen.email, "550")
    assert send_digests.call() == 0 and mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.DROPPED


def test_the_person_sees_it_in_the_bell_and_the_banner_until_she_confirms(client, citizen, settings):
    settings.EMAIL_BACKEND = f"{__name__}.MailboxUnknown"
    _told(citizen)
    send_pending_emails.call()
    client.force_login(citizen)
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'data-testid="notification-unreachable"' in page and 'data-testid="unreachable-banner"' in page
    assert BANNER in page
    response = client.post(reverse("notifications:confirm_address"), {"canale": "email"})
    assert response.status_code == 302
    assert not UnreachableAddress.objects.exists()
    page = client.get(reverse("notifications:list")).content.decode()
    assert BANNER not in page and 'data-testid="notification-unreachable"' not in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _told(citizen, 1)
    assert send_pending_emails.call() == 1  # written to again


def test_a_changed_address_is_no_longer_marked(client, citizen):
    from trama.notifications.services import mark_unreachable

    mark_unreachable(citizen, "email", citizen.email, "550")
    assert unreachable_channels(citizen, fresh=True) == ["email"]
    citizen.email = "nuovo.indirizzo@example.org"
    citizen.save()
    assert unreachable_channels(citizen, fresh=True) == []
    _told(citizen)
    assert send_pending_emails.call() == 1


def test_another_persons_mark_is_not_shown_nor_confirmed(client, users):
    from trama.notifications.services import mark_unreachable

    citizen, worker = users[Role.CITIZEN], users[Role.WORKER]
    mark_unreachable(citizen, "email", citizen.email, "550")
    client.force_login(worker)
    assert BANNER not in client.get(reverse("notifications:list")).content.decode()
    client.post(reverse("notifications:confirm_address"), {"canale": "email"})
    assert UnreachableAddress.objects.filter(account=citizen).exists()


@pytest.mark.parametrize("channel", ["", "fax", "EMAIL"])
def test_confirming_an_unknown_channel_is_refused_with_a_message(client, citizen, channel):
    from trama.notifications.services import mark_unreachable

    mark_unreachable(citizen, "email", citizen.email, "550")
    client.force_login(citizen)
    response = client.post(reverse("notifications:confirm_address"), {"canale": channel})
    assert response.status_code == 400
    assert "Non è chiaro quale indirizzo confermi" in response.content.decode()
    assert UnreachableAddress.objects.filter(account=citizen).exists()


def test_confirm_takes_only_post(client, citizen):
    client.force_login(citizen)
    for method in ("get", "put", "delete", "patch"):
        assert getattr(client, method)(reverse("notifications:confirm_address")).status_code == 405


# The SMS provider's answer that the number cannot receive.
def test_an_invalid_number_answer_marks_the_number_and_stops_sms_to_it(citizen, settings, monkeypatch):
    settings.TRAMA_SMS_BACKEND = "trama.notifications.sms.LocmemBackend"
    set_sms(citizen, NUMBER, [Kind.MATCH_PROPOSED])

    def invalid(self, number, text):
        raise sms.SmsInvalidNumber(422)

    monkeypatch.setattr(sms.LocmemBackend, "send", invalid)
    _told(citizen, 0)
    assert send_pending_sms.call() == 0
    assert Delivery.objects.get(channel="sms").last_error == "SmsInvalidNumber 422"
    assert UnreachableAddress.objects.get(account=citizen).address == NUMBER
    assert unreachable_channels(citizen, fresh=True) == ["sms"]
    monkeypatch.undo()
    settings.TRAMA_SMS_BACKEND = "trama.notifications.sms.LocmemBackend"
    _told(citizen, 1)
    assert send_pending_sms.call() == 0 and sms.outbox == []
    set_sms(citizen, "+393339999999", [Kind.MATCH_PROPOSED])  # she gives another number
    assert unreachable_channels(citizen, fresh=True) == []
    _told(citizen, 2)
    assert send_pending_sms.call() == 1


def test_the_http_provider_saying_invalid_number_raises_it(settings):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from trama.notifications.tests.test_sms import FakeProvider  # noqa: F401  (its server, answering as told)

    class Provider(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            body = json.dumps(self.server.body).encode()
            self.send_response(400)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.TRAMA_SMS_URL = f"http://127.0.0.1:{server.server_address[1]}/messages"
    settings.TRAMA_SMS_TIMEOUT = 1
    try:
        server.body = {"code": "invalid_number"}
        with pytest.raises(sms.SmsInvalidNumber):
            sms.HttpJsonBackend().send(NUMBER, "x")
        server.body = {"code": "bad_request"}
        with pytest.raises(sms.SmsRefused) as refused:
            sms.HttpJsonBackend().send(NUMBER, "x")
        assert type(refused.value) is sms.SmsRefused
    finally:
        server.shutdown()
        server.server_close()


# The provider's bounce webhook.
def _post(client, body, secret=SECRET, content_type="application/json"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret is not None else {}
    return client.post(reverse("notifications:bounce"), body, content_type=content_type, **headers)


@pytest.fixture
def webhook(settings):
    settings.TRAMA_BOUNCE_WEBHOOK_SECRET = SECRET


def test_a_bounce_notice_marks_the_address(client, citizen, webhook):
    response = _post(client, {"email": citizen.email.upper(), "reason": "5.1.1"})
    assert response.status_code == 200 and response.json() == {"segnati": 1}
    assert UnreachableAddress.objects.get(account=citizen).reason == "5.1.1"


def test_a_bounce_notice_for_a_number_marks_it(client, citizen, webhook):
    set_sms(citizen, NUMBER, [])
    assert _post(client, {"number": "333 123 4567"}).json() == {"segnati": 1}
    assert UnreachableAddress.objects.get(account=citizen).channel == "sms"


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET[:-1]])
def test_a_bounce_notice_without_the_secret_is_refused(client, citizen, webhook, secret):
    assert _post(client, {"email": citizen.email}, secret=secret).status_code == 403
    assert not UnreachableAddress.objects.exists()


def test_without_a_configured_secret_every_notice_is_refused(client, citizen, settings):
    settings.TRAMA_BOUNCE_WEBHOOK_SECRET = ""
    assert _post(client, {"email": citizen.email}, secret="").status_code == 403
    assert not UnreachableAddress.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        b"\xff\xfe",
        "[]",
        "42",
        "{}",
        '{"email": "a@example.org", "number": "+393331234567"}',
        '{"email": "not an address"}',
        '{"email": ["a@example.org"]}',
        '{"number": "12"}',
        '{"email": "a@example.org", "reason": 550}',
    ],
)
def test_a_malformed_notice_is_refused_with_a_message(client, citizen, webhook, body):
    response = _post(client, body)
    assert response.status_code == 400
    assert response.json()["errore"]
    assert not UnreachableAddress.objects.exists()


def test_the_webhook_takes_only_post(client, webhook):
    for method in ("get", "put", "delete", "patch"):
        response = getattr(client, method)(reverse("notifications:bounce"), HTTP_AUTHORIZATION=f"Bearer {SECRET}")
        assert response.status_code == 405


@pytest.mark.parametrize("change", ["disabled", "erased"])
def test_a_notice_for_a_person_disabled_or_erased_meanwhile_is_dropped_and_logged(client, citizen, make_person, webhook, change, caplog):
    from trama.people.services import erase_accounts

    caplog.set_level("INFO", logger="trama.notifications")
    address = citizen.email
    if change == "disabled":
        citizen.is_active = False
        citizen.save()
    else:
        erase_accounts([citizen], make_person(account=citizen))
    response = _post(client, {"email": address})
    assert response.status_code == 200 and response.json() == {"segnati": 0}
    assert not UnreachableAddress.objects.exists()
    assert "Bounce notice (email) dropped" in caplog.text and address not in caplog.text
