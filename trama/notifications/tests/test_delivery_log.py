"""The coordinators' delivery log: how sending went, for their city's accounts, never what was said; audited."""

import re

import pytest
from django.urls import reverse

from trama.notifications.models import Delivery, Kind, Notification
from trama.notifications.services import notify
from trama.notifications.tasks import send_pending_emails
from trama.people.models import Role
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

SECRET_PATH = "/attenzione/mie-segnalazioni/987654/"


@pytest.fixture
def coordinator_client(client, users):
    client.force_login(users[Role.COORDINATOR])
    return client


@pytest.fixture
def elsewhere(make_user):
    from trama.territory.models import City

    other = City.objects.create(name="Altra città", slug="altra", centre_lat=45.0, centre_lon=9.0)
    return make_user(Role.CITIZEN, city=other, username="fuori-citta")


def _page(client, query=""):
    response = client.get(reverse("notifications:delivery_log") + query)
    return response, response.content.decode()


def test_the_log_shows_kind_channel_state_attempts_and_account_never_the_content(coordinator_client, users):
    citizen = users[Role.CITIZEN]
    notify(Kind.MATCH_PROPOSED, [citizen], url=SECRET_PATH, key="k")
    send_pending_emails.call()
    response, page = _page(coordinator_client)
    assert response.status_code == 200
    row = re.search(r"<tbody>.*?</tbody>", page, re.S).group(0)
    for shown in ("Nuovo abbinamento proposto", citizen.username, "e-mail", "inviata", "<td>1</td>"):
        assert shown in row
    assert SECRET_PATH not in page and "C&#x27;è una novità" not in page and "una novità su un tuo" not in page
    assert citizen.email not in page


def test_accounts_of_another_city_are_not_listed(coordinator_client, users, elsewhere):
    notify(Kind.MATCH_DONE, [elsewhere], url="/a/", key="k")
    notify(Kind.MATCH_DONE, [users[Role.CITIZEN]], url="/a/", key="k")
    _response, page = _page(coordinator_client)
    assert "fuori-citta" not in page and users[Role.CITIZEN].username in page


def test_filters_narrow_the_list(coordinator_client, users):
    notify(Kind.MATCH_DONE, [users[Role.CITIZEN]], url="/a/", key="done")
    notify(Kind.MATCH_PROPOSED, [users[Role.WORKER]], url="/a/", key="proposed")
    Delivery.objects.filter(notification__kind=Kind.MATCH_DONE).update(status=Delivery.Status.FAILED, last_error="SMTPRecipientsRefused 550")
    _response, page = _page(coordinator_client, "?stato=failed&canale=email")
    assert users[Role.CITIZEN].username in page and "SMTPRecipientsRefused 550" in page
    assert users[Role.WORKER].username not in page
    _response, page = _page(coordinator_client, "?tipo=match_proposed")
    assert users[Role.WORKER].username in page and users[Role.CITIZEN].username not in page


@pytest.mark.parametrize("query", ["?stato=boh", "?tipo=DROP+TABLE", "?canale=piccione", "?tipo=" + "x" * 3000, "?stato=sent%00"])
def test_an_unknown_filter_is_refused_with_a_message(coordinator_client, query):
    response, page = _page(coordinator_client, query)
    assert response.status_code == 400
    assert "Filtro non valido: scegli un valore dall&#x27;elenco." in page


def test_the_log_is_paginated_and_each_page_audited(coordinator_client, users):
    citizen = users[Role.CITIZEN]
    for i in range(55):
        notify(Kind.MATCH_DONE, [citizen], url="/a/", key=f"k{i}")
    _response, page = _page(coordinator_client)
    assert page.count(f"<td>{citizen.username}</td>") == 50 and "Pagina 1 di 2" in page
    entry = AuditEntry.objects.filter(reason__startswith="registro degli invii").get()
    shown = set(Notification.objects.order_by("-created_at", "-pk").values_list("pk", flat=True)[:50])
    assert entry.actor == users[Role.COORDINATOR] and entry.object_type == "notifications.notification"
    assert {int(pk) for pk in entry.reason.split(": ")[1].split(",")} == shown
    _response, page = _page(coordinator_client, "?pagina=2")
    assert page.count(f"<td>{citizen.username}</td>") == 5


def test_an_empty_log_says_so_and_records_nothing(coordinator_client):
    _response, page = _page(coordinator_client)
    assert "Nessun invio." in page and not AuditEntry.objects.filter(reason__startswith="registro").exists()


@pytest.mark.parametrize("role", [Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_other_roles_are_refused(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("notifications:delivery_log")).status_code == 403


def test_the_summary_counts_each_state(coordinator_client, users):
    notify(Kind.MATCH_DONE, [users[Role.CITIZEN], users[Role.WORKER]], url="/a/", key="k")
    Delivery.objects.filter(notification__recipient=users[Role.WORKER]).update(status=Delivery.Status.FAILED)
    _response, page = _page(coordinator_client)
    summary = re.search(r'data-testid="delivery-summary-email">(.*?)</ul>', page, re.S).group(1)
    assert "<strong>1</strong> da inviare" in summary and "<strong>1</strong> non riuscita" in summary


def test_the_notifications_page_leads_coordinators_alone_to_the_log(client, users):
    link = f'href="{reverse("notifications:delivery_log")}"'
    client.force_login(users[Role.COORDINATOR])
    assert link in client.get(reverse("notifications:list")).content.decode()
    client.force_login(users[Role.WORKER])
    assert link not in client.get(reverse("notifications:list")).content.decode()
