"""Push on the preferences page: offered only with VAPID keys (else the page says why), chosen per kind like SMS."""

import base64

import pytest
from django.core.management import call_command
from py_vapid import Vapid

from trama.notifications.models import Delivery, Kind, Preference, PushSubscription
from trama.notifications.queries import push_wanted
from trama.notifications.services import notify, set_email_preferences
from trama.people.models import Role

pytestmark = pytest.mark.django_db

PAGE = "/notifiche/preferenze/"


@pytest.fixture
def antenna(users, client):
    client.force_login(users[Role.ANTENNA])
    return users[Role.ANTENNA]


def _form(**changes):
    data = {kind.value: "never" for kind in Kind} | {"quiet_starts": "21:00", "quiet_ends": "08:00", "sms_number": ""}
    return data | changes


def test_without_vapid_keys_the_page_says_why_and_offers_no_push(antenna, client):
    page = client.get(PAGE).content.decode()
    assert "Gli avvisi sul telefono non sono disponibili" in page
    assert "Ricevi avvisi su questo telefono" not in page and "push_signal_taken_up" not in page and "push.js" not in page


def test_with_vapid_keys_the_button_is_drawn_hidden_with_the_public_key(antenna, client, vapid):
    page = client.get(PAGE).content.decode()
    assert f'data-vapid-key="{vapid}"' in page and "notifications/push.js" in page
    assert "hidden" in page.split("Ricevi avvisi su questo telefono")[0].rsplit("<button", 1)[1]  # shown by the script only


def test_push_is_chosen_per_kind_and_taken_up_is_on_by_default(antenna, client, vapid):
    assert push_wanted(antenna) == {Kind.SIGNAL_TAKEN_UP}
    response = client.post(PAGE, _form(push_match_proposed="on"))
    assert response.status_code == 302
    assert push_wanted(antenna) == {Kind.MATCH_PROPOSED}


def test_an_e_mail_choice_keeps_the_push_default(antenna, vapid):
    set_email_preferences(antenna, {Kind.SIGNAL_TAKEN_UP: "never"})
    assert Preference.objects.get(account=antenna, kind=Kind.SIGNAL_TAKEN_UP).push is None
    assert push_wanted(antenna) == {Kind.SIGNAL_TAKEN_UP}


def test_a_kind_taken_off_push_drops_the_push_queued_for_it(antenna, client, vapid):
    PushSubscription.objects.create(account=antenna, endpoint="https://fcm.googleapis.com/fcm/send/x", p256dh="B" + "A" * 86, auth="A" * 22)
    notify(Kind.SIGNAL_TAKEN_UP, [antenna], url="/", key="signal_taken_up:1")
    client.post(PAGE, _form())
    assert Delivery.objects.get(channel=Delivery.Channel.PUSH).status == Delivery.Status.DROPPED


@pytest.mark.parametrize("bad", ["yes", "1", "on on"])
def test_a_push_checkbox_with_another_value_is_refused(antenna, client, vapid, bad):
    response = client.post(PAGE, _form(push_match_proposed=bad))
    assert response.status_code == 400 and "Valore non valido per una casella" in response.content.decode()
    assert not Preference.objects.filter(account=antenna).exists()


def test_vapid_keys_prints_a_pair_that_signs_and_verifies(capsys):
    call_command("vapid_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    private, public = lines["TRAMA_VAPID_PRIVATE_KEY"], lines["TRAMA_VAPID_PUBLIC_KEY"]
    assert len(base64.urlsafe_b64decode(private + "=")) == 32
    signed = Vapid.from_string(private).sign({"sub": "mailto:trama@example.org", "aud": "https://push.example.org", "exp": 9999999999})
    assert Vapid.verify(signed["Authorization"]) and f"k={public}" in signed["Authorization"]
