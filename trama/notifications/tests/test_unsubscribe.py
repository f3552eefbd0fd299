"""One-click unsubscribe: a signed link per account and kind in every e-mail, no sign-in, nothing else changed."""

import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from trama.notifications.models import Delivery, Kind, Preference
from trama.notifications.services import notify
from trama.notifications.tasks import send_pending_emails
from trama.notifications.unsubscribe import SALT, token_for
from trama.people.models import Role

pytestmark = pytest.mark.django_db

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def citizen(users):
    return users[Role.CITIZEN]


def _link(citizen, kind=Kind.MATCH_PROPOSED):
    return reverse("notifications:unsubscribe", args=[token_for(citizen, kind)])


def _wants_email(account, kind):
    return Preference.objects.filter(account=account, kind=kind).values_list("email", flat=True).first()


def test_every_email_carries_the_link_and_the_rfc_8058_headers(citizen, settings):
    settings.TRAMA_SITE_URL = "https://trama.example.org"
    notify(Kind.MATCH_PROPOSED, [citizen], url="/a/", key="k")
    send_pending_emails.call()
    message = mail.outbox[0]
    link = re.search(r"https://trama\.example\.org/notifiche/disiscriviti/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "«Nuovo abbinamento proposto»" in message.body


def test_the_page_says_what_will_stop_and_changes_nothing_on_get(client, citizen):
    response = client.get(_link(citizen))
    assert response.status_code == 200
    assert "Non riceverai più per e-mail le notifiche «Nuovo abbinamento proposto»" in response.content.decode()
    assert _wants_email(citizen, Kind.MATCH_PROPOSED) is None


def test_one_click_post_without_sign_in_nor_csrf_stops_that_kind_only(citizen):
    client = Client(enforce_csrf_checks=True)
    response = client.post(_link(citizen), ONE_CLICK)
    assert response.status_code == 200
    assert _wants_email(citizen, Kind.MATCH_PROPOSED) is False
    assert not Preference.objects.exclude(kind=Kind.MATCH_PROPOSED).exists()
    notify(Kind.MATCH_PROPOSED, [citizen], url="/a/", key="later")
    notify(Kind.MATCH_DONE, [citizen], url="/a/", key="other")
    assert list(Delivery.objects.values_list("notification__kind", flat=True)) == [Kind.MATCH_DONE]


def test_an_email_already_queued_of_that_kind_is_not_sent(client, citizen):
    notify(Kind.MATCH_PROPOSED, [citizen], url="/a/", key="k")
    client.post(_link(citizen), ONE_CLICK)
    send_pending_emails.call()
    assert mail.outbox == [] and Delivery.objects.get().status == Delivery.Status.DROPPED


def test_other_urls_still_need_the_csrf_token(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post(reverse("notifications:preferences"), {}).status_code == 403


def _tampered(citizen):
    token = token_for(citizen, Kind.MATCH_PROPOSED)
    return token[:-2] + ("AA" if not token.endswith("AA") else "BB")


def _forged_for_another(citizen, users):
    # A valid token of the citizen with the id swapped for another account's: the signature no longer matches.
    payload, rest = token_for(citizen, Kind.MATCH_PROPOSED).split(":", 1)
    other = signing.dumps([users[Role.ANTENNA].pk, "match_proposed"], salt=SALT, compress=False).split(":", 1)[0]
    return other + ":" + rest


@pytest.mark.parametrize(
    "make_bad",
    [
        lambda citizen, users: _tampered(citizen),
        lambda citizen, users: _forged_for_another(citizen, users),
        lambda citizen, users: signing.dumps([citizen.pk, "match_proposed"], salt="another-salt"),
        lambda citizen, users: signing.dumps([citizen.pk, "no_such_kind"], salt=SALT),
        lambda citizen, users: signing.dumps(["x", "match_proposed"], salt=SALT),
        lambda citizen, users: signing.dumps(citizen.pk, salt=SALT),
        lambda citizen, users: "nonsense",
    ],
    ids=["tampered", "forged", "other-salt", "unknown-kind", "bad-id", "bad-shape", "nonsense"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_link_answers_400_with_a_message_and_changes_nothing(client, citizen, users, make_bad, method):
    url = reverse("notifications:unsubscribe", args=[make_bad(citizen, users)])
    response = getattr(client, method)(url, ONE_CLICK)
    assert response.status_code == 400
    assert "Il collegamento non è valido o è scaduto: non è stato cambiato nulla." in response.content.decode()
    assert not Preference.objects.exists()


def test_an_expired_link_answers_400_and_changes_nothing(client, citizen, settings, monkeypatch):
    import time

    url = _link(citizen)
    later = time.time() + settings.TRAMA_UNSUBSCRIBE_DAYS * 86400 + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.post(url, ONE_CLICK)
    assert response.status_code == 400 and not Preference.objects.exists()


def test_a_link_of_a_disabled_account_answers_400(client, citizen):
    url = _link(citizen)
    citizen.is_active = False
    citizen.save()
    assert client.post(url, ONE_CLICK).status_code == 400 and not Preference.objects.exists()


def test_a_post_without_the_one_click_field_is_refused_and_changes_nothing(client, citizen):
    response = client.post(_link(citizen), {"List-Unsubscribe": "Something"})
    assert response.status_code == 400
    assert "La richiesta non è valida" in response.content.decode()
    assert not Preference.objects.exists()
