"""Choosing SMS: one's own number and kinds only, a wrong number or a hostile value refused with nothing changed;
the delivery log counts SMS without showing a number or a word."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from trama.notifications import sms
from trama.notifications.models import Delivery, Kind, Preference, SmsNumber
from trama.notifications.services import notify, set_sms
from trama.notifications.tasks import send_pending_sms
from trama.people.models import Role

pytestmark = pytest.mark.django_db

URL = "/notifiche/preferenze/"
QUIET = {"quiet_starts": "21:00", "quiet_ends": "08:00"}
MODES = {kind.value: "now" for kind in Kind}
NUMBER = "+393331234567"


@pytest.fixture
def citizen(users):
    return users[Role.CITIZEN]


def _form(**extra):
    return {**MODES, **QUIET, **extra}


def _stored():
    return list(SmsNumber.objects.values_list("account", "number")), list(Preference.objects.values_list("account", "kind", "email", "sms"))


def test_the_page_asks_for_a_number_and_an_sms_per_kind_each_labelled(client, citizen):
    client.force_login(citizen)
    page = client.get(URL).content.decode()
    assert re.search(r'<label for="id_sms_number"[^>]*>Cellulare per gli SMS</label>', page)
    assert 'type="tel"' in page and 'autocomplete="tel"' in page
    for kind in Kind:
        fieldset = re.search(rf'data-testid="kind-{kind.value}">(.*?)</fieldset>', page, re.S).group(1)
        assert f'<legend class="h6">{escape(kind.label)}</legend>' in fieldset
        assert f'<label for="id_{kind.value}" class="active">E-mail</label>' in fieldset
        assert f'<input type="checkbox" name="sms_{kind.value}" id="id_sms_{kind.value}"' in fieldset
        assert f'<label for="id_sms_{kind.value}">anche per SMS</label>' in fieldset


def test_a_number_and_kinds_chosen_are_stored_and_shown_again(client, citizen):
    client.force_login(citizen)
    response = client.post(URL, _form(sms_number="333 123 4567", sms_match_proposed="on", sms_signal_closed="on"))
    assert response.status_code == 302
    assert SmsNumber.objects.get(account=citizen).number == NUMBER
    assert set(Preference.objects.filter(account=citizen, sms=True).values_list("kind", flat=True)) == {"match_proposed", "signal_closed"}
    page = client.get(URL).content.decode()
    assert f'value="{NUMBER}"' in page
    assert re.search(r'name="sms_match_proposed" id="id_sms_match_proposed" checked', page)
    assert not re.search(r'name="sms_match_done" id="id_sms_match_done" checked', page)


def test_emptying_the_number_stops_sms_and_drops_those_queued(client, citizen):
    set_sms(citizen, NUMBER, [Kind.MATCH_PROPOSED])
    notify(Kind.MATCH_PROPOSED, [citizen], url="/a/", key="k")
    client.force_login(citizen)
    assert client.post(URL, _form(sms_number="")).status_code == 302
    assert not SmsNumber.objects.exists()
    assert Delivery.objects.get(channel=Delivery.Channel.SMS).status == Delivery.Status.DROPPED
    assert send_pending_sms.call() == 0 and sms.outbox == []


@pytest.mark.parametrize("bad", ["06 1234567", "333", "chiamami", "+39 333 1234567 99999", "3" * 31, "9" * 5000, "333\x001234567"])
def test_a_wrong_number_is_refused_with_a_message_and_nothing_changes(client, citizen, bad):
    set_sms(citizen, NUMBER, [Kind.MATCH_DONE])
    before = _stored()
    client.force_login(citizen)
    response = client.post(URL, _form(sms_number=bad, sms_match_proposed="on"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Le preferenze non sono state salvate" in page
    assert 'id="id_sms_number-errore" role="alert"' in page and 'aria-invalid="true"' in page
    assert _stored() == before


def test_the_message_says_how_to_write_the_number(client, citizen):
    client.force_login(citizen)
    page = client.post(URL, _form(sms_number="06 1234567", sms_match_proposed="on")).content.decode()
    assert "Scrivi un numero di cellulare valido: italiano, come 333 1234567 o +39 333 1234567" in page


def test_sms_without_a_number_is_refused_with_a_message(client, citizen):
    client.force_login(citizen)
    response = client.post(URL, _form(sms_number="  ", sms_match_proposed="on"))
    assert response.status_code == 400
    assert "Per ricevere SMS scrivi il numero del tuo cellulare" in response.content.decode()
    assert _stored() == ([], [])


@pytest.mark.parametrize("bad", ["yes", "1", "x" * 5000, "on\x00", "off"])
def test_a_hostile_checkbox_value_is_refused_and_nothing_changes(client, citizen, bad):
    client.force_login(citizen)
    response = client.post(URL, _form(sms_number=NUMBER, sms_match_done=bad))
    assert response.status_code == 400
    assert "Valore non valido per una casella" in response.content.decode()
    assert _stored() == ([], [])


def test_only_ones_own_preferences_change_whatever_the_form_names(client, citizen, users):
    other = users[Role.ANTENNA]
    set_sms(other, "+393330000000", [Kind.SIGNAL_CLOSED])
    before = _stored()
    client.force_login(citizen)
    response = client.post(URL + f"?account={other.pk}", _form(sms_number=NUMBER, account=other.pk, recipient=other.pk, user=other.pk))
    assert response.status_code == 302
    assert SmsNumber.objects.get(account=other).number == "+393330000000"
    assert [row for row in _stored()[1] if row[0] == other.pk] == [row for row in before[1] if row[0] == other.pk]
    assert SmsNumber.objects.get(account=citizen).number == NUMBER


def test_another_accounts_number_is_never_shown(client, citizen, users):
    set_sms(users[Role.ANTENNA], "+393330000000", [Kind.SIGNAL_CLOSED])
    client.force_login(citizen)
    assert "+393330000000" not in client.get(URL).content.decode()


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options", "head"])
def test_only_get_and_post_are_answered(client, citizen, method):
    client.force_login(citizen)
    body = {} if method == "head" else {"data": "sms_number=%2B393331234567&sms_match_done=on", "content_type": "application/x-www-form-urlencoded"}
    response = getattr(client, method)(URL, **body)
    assert response.status_code == 405
    assert _stored() == ([], [])


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_without_signing_in_nothing_is_shown_or_changed(client, method):
    response = getattr(client, method)(URL, **({"data": _form(sms_number=NUMBER, sms_match_done="on")} if method == "post" else {}))
    assert response.status_code in {302, 403, 405}
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    assert _stored() == ([], [])


def test_erasing_a_person_erases_the_number_of_her_account(citizen, users, make_person):
    from trama.privacy.erasure import erase_person

    set_sms(citizen, NUMBER, [Kind.MATCH_DONE])
    set_sms(users[Role.WORKER], "+393330000000", [Kind.MATCH_DONE])
    erase_person(make_person(account=citizen), ledger=False)
    assert list(SmsNumber.objects.values_list("account", flat=True)) == [users[Role.WORKER].pk]


def test_the_delivery_log_counts_sms_and_their_failures_never_the_number(client, users, citizen):
    set_sms(citizen, NUMBER, [Kind.MATCH_DONE])
    set_sms(users[Role.WORKER], "+393330000000", [Kind.MATCH_DONE])
    notify(Kind.MATCH_DONE, [citizen, users[Role.WORKER]], url="/a/", key="k")
    Delivery.objects.filter(channel=Delivery.Channel.SMS, notification__recipient=users[Role.WORKER]).update(
        status=Delivery.Status.FAILED, attempts=1, last_error="SmsRefused 400"
    )
    client.force_login(users[Role.COORDINATOR])
    page = client.get(reverse("notifications:delivery_log")).content.decode()
    summary = re.search(r'data-testid="delivery-summary-sms">(.*?)</ul>', page, re.S).group(1)
    assert "<strong>1</strong> da inviare" in summary and "<strong>1</strong> non riuscita" in summary
    assert "SmsRefused 400" in page and "<td>SMS</td>" in page
    assert "3331234567" not in page and "3330000000" not in page and "abbinamento" not in page.split("deliveries", 1)[1]
    page = client.get(reverse("notifications:delivery_log") + "?canale=sms&stato=failed").content.decode()
    assert users[Role.WORKER].username in page and citizen.username not in re.search(r"<tbody>.*?</tbody>", page, re.S).group(0)
