"""Signals the antenna's phone kept with no connection (issue 18, step 4): each stored once per key the phone chose,
whoever sends it again and however; the secret of the phone's encryption key; the web app manifest."""

import json
import threading
import time
import uuid

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from trama.attention import services
from trama.attention.models import Antenna, Signal
from trama.people.models import Role
from trama.privacy.models import AuditEntry
from trama.testing import ROLES

pytestmark = pytest.mark.django_db

FROM_PHONE = reverse("attention:signal_from_phone")
KEY = reverse("attention:phone_key")
SEND = reverse("attention:signal_create")


def kept(where, key=None, **overrides):
    return {
        "text": "Il signore del terzo piano non ritira la posta da giorni",
        "neighbourhood": where.pk,
        "client_key": str(key or uuid.uuid4()),
        **overrides,
    }


@pytest.fixture
def other_antenna(make_user, neighbourhood):
    user = make_user(Role.ANTENNA, [neighbourhood])
    Antenna.objects.create(account=user, kind=Antenna.Kind.SHOP)
    return user


def test_a_kept_signal_is_stored_with_its_key_and_audited(client, antenna, neighbourhood):
    client.force_login(antenna)
    data = kept(neighbourhood)
    response = client.post(FROM_PHONE, data)
    assert response.status_code == 201
    signal = Signal.objects.get()
    assert (response.json()["number"], signal.sent_by, str(signal.client_key), signal.channel) == (signal.pk, antenna, data["client_key"], "web")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, actor=antenna, object_id=str(signal.pk)).count() == 1


def test_a_resend_of_the_same_key_answers_already_received_and_stores_nothing(client, antenna, neighbourhood):
    client.force_login(antenna)
    data = kept(neighbourhood)
    first = client.post(FROM_PHONE, data).json()
    again = client.post(FROM_PHONE, data)
    assert again.status_code == 200
    assert again.json() == {"number": first["number"], "message": "Questa segnalazione era già arrivata: non è stata registrata una seconda volta."}
    assert Signal.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).count() == 1


def test_the_form_sent_twice_with_its_key_makes_one_signal(client, antenna, neighbourhood):
    client.force_login(antenna)
    data = kept(neighbourhood)
    assert client.post(SEND, data).status_code == 302
    response = client.post(SEND, data, follow=True)
    assert "era già arrivata" in response.content.decode()
    assert Signal.objects.count() == 1


def test_the_form_sent_with_no_key_still_works_as_before(client, antenna, neighbourhood):
    client.force_login(antenna)
    data = kept(neighbourhood)
    del data["client_key"]
    client.post(SEND, data)
    client.post(SEND, data)
    assert list(Signal.objects.values_list("client_key", flat=True)) == [None, None]


def test_another_antennas_key_is_refused_and_tells_nothing_of_her_signal(client, antenna, other_antenna, neighbourhood):
    client.force_login(other_antenna)
    data = kept(neighbourhood, text="Testo dell'altra antenna")
    client.post(FROM_PHONE, data)
    client.force_login(antenna)
    response = client.post(FROM_PHONE, {**data, "text": "Un altro testo"})
    assert response.status_code == 409
    assert "altra antenna" not in response.content.decode() and "number" not in response.json()
    assert list(Signal.objects.values_list("sent_by", "text")) == [(other_antenna.pk, "Testo dell'altra antenna")]
    # Through the form as well: refused, nothing stored.
    assert client.post(SEND, {**data, "text": "Un altro testo"}).status_code == 403
    assert Signal.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"client_key": "non-una-chiave"}, "client_key", "La chiave della segnalazione non è valida."),
        ({"client_key": "1" * 5000}, "client_key", "La chiave della segnalazione non è valida."),
        ({"client_key": "'; DROP TABLE attention_signal; --"}, "client_key", "La chiave della segnalazione non è valida."),
        ({"client_key": ""}, "client_key", "Manca la chiave della segnalazione: inviala di nuovo dal modulo."),
        ({"text": "   "}, "text", "Scrivi in poche parole che cosa hai notato."),
        ({"text": "x" * 20000}, "text", None),
        ({"neighbourhood": "abc"}, "neighbourhood", None),
        ({"urgency": "99"}, "urgency", None),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(client, antenna, neighbourhood, overrides, field, message):
    client.force_login(antenna)
    response = client.post(FROM_PHONE, kept(neighbourhood, **overrides))
    assert response.status_code == 400
    answer = response.json()
    assert answer["message"] and answer["errors"][field][0]
    if message:
        assert answer["errors"][field] == [message]
    assert not Signal.objects.exists()


def test_a_neighbourhood_the_antenna_does_not_cover_is_refused(client, antenna, other_neighbourhood):
    client.force_login(antenna)
    response = client.post(FROM_PHONE, kept(other_neighbourhood))
    assert response.status_code == 400 and "neighbourhood" in response.json()["errors"]
    assert not Signal.objects.exists()


def test_without_the_csrf_token_nothing_is_stored(antenna, neighbourhood):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(antenna)
    assert strict.post(FROM_PHONE, kept(neighbourhood), secure=True).status_code == 403
    assert not Signal.objects.exists()


@pytest.mark.parametrize("role", [role for role in ROLES if role != Role.ANTENNA])
def test_only_an_antenna_may_send_from_the_phone_or_receive_its_key(client, users, neighbourhood, role):
    if role in users:
        client.force_login(users[role])
    for method in ("get", "post"):
        for address in (FROM_PHONE, KEY):
            response = getattr(client, method)(address, kept(neighbourhood) if method == "post" else None)
            assert response.status_code in (302, 403, 405), (role, method, address)
    assert not Signal.objects.exists()


def test_a_suspended_antenna_may_not_send_from_the_phone(client, antenna, neighbourhood):
    Antenna.objects.filter(account=antenna).update(active=False)
    client.force_login(antenna)
    assert client.post(FROM_PHONE, kept(neighbourhood)).status_code == 403
    assert client.get(KEY).status_code == 403
    assert not Signal.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_not_allowed(client, antenna, method):
    client.force_login(antenna)
    assert getattr(client, method)(FROM_PHONE).status_code == 405
    assert getattr(client, method)(KEY).status_code == 405


def test_the_phones_secret_is_the_accounts_own_and_never_cached(client, antenna, other_antenna):
    client.force_login(antenna)
    response = client.get(KEY)
    first = response.json()
    assert "no-store" in response["Cache-Control"]
    assert len(bytes.fromhex(first["key"])) == 32 and first["id"] != first["key"]
    client.logout()
    client.force_login(antenna)
    assert client.get(KEY).json() == first  # the same account on a new session: what the phone kept stays readable
    client.force_login(other_antenna)
    assert client.get(KEY).json()["id"] != first["id"]
    antenna.set_password("Un'altra-password-lunga-2026")
    antenna.save()
    client.force_login(antenna)
    assert client.get(KEY).json()["id"] != first["id"]


def test_the_list_kept_for_no_connection_holds_none_of_her_signals(client, antenna, make_signal):
    make_signal(text="Parole che non devono finire nella copia")
    client.force_login(antenna)
    page = client.get(reverse("attention:my_signals") + "?copia=1").content.decode()
    assert "Parole che non devono" not in page and 'data-testid="offline-copy"' in page


def test_the_manifest_is_valid_and_starts_at_the_signal_form(client):
    response = client.get(reverse("attention:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert {"name", "short_name", "start_url", "display", "icons", "theme_color", "background_color"} <= set(manifest)
    assert manifest["start_url"] == SEND and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes


def test_the_manifest_is_linked_from_the_antennas_pages_only(client, antenna, users):
    link = f'rel="manifest" href="{reverse("attention:manifest")}"'
    client.force_login(antenna)
    assert link in client.get(SEND).content.decode()
    assert link in client.get(reverse("attention:my_signals")).content.decode()
    client.force_login(users[Role.WORKER])
    assert link not in client.get(reverse("attention:queue")).content.decode()


def test_the_one_service_worker_keeps_push_and_adds_the_phone(client):
    script = client.get(reverse("service_worker")).content.decode()
    assert 'addEventListener("push"' in script and 'addEventListener("fetch"' in script
    assert "attention/phone-queue.js" in script and '"/attenzione/segnala/"' in script


@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_twice_at_once_makes_one_signal(antenna, neighbourhood):
    if connection.vendor != "postgresql":
        pytest.skip("Two writers at once need PostgreSQL; SQLite serialises every writer anyway.")
    key = uuid.uuid4()
    first_inserted, results = threading.Event(), {}
    # Each thread opens its own connection: to this test's database, whatever an earlier test left in the settings.
    database = connection.settings_dict["NAME"]

    def send(name, hold):
        connections["default"].settings_dict["NAME"] = database
        try:
            with transaction.atomic():
                signal, created = services.send_signal_once(by=antenna, neighbourhood=neighbourhood, text="Non la vedo da giorni", client_key=key)
                if hold:
                    # Keep the first INSERT uncommitted while the second looks the key up (finds nothing) and inserts.
                    first_inserted.set()
                    time.sleep(0.5)
            results[name] = (signal.pk, created)
        except Exception as error:  # reported with the thread's name
            results[name] = repr(error)
        finally:
            connections.close_all()

    holder = threading.Thread(target=send, args=("first", True))
    holder.start()
    first_inserted.wait(10)
    second = threading.Thread(target=send, args=("second", False))
    second.start()
    holder.join()
    second.join()

    signal = Signal.objects.get()
    assert results == {"first": (signal.pk, True), "second": (signal.pk, False)}
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_id=str(signal.pk)).count() == 1
