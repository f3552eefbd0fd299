"""The fixed cost of a signed-in page: what the layout reads on every request, whatever the page.

A view that renders the layout with no content of its own is served through the real middleware.
Its queries are the session and the account with its city; the menu's permissions are decided by
the rules of each app and read nothing, and "last seen" is written at most once a minute
(people/tests/test_sessions.py). The menu is not kept between requests: a changed role shows on
the next page, and each account sees its own.
"""

import pytest
from django.db import connection
from django.shortcuts import render
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from trama.people.models import Role


def layout_only(request):
    return render(request, "base.html")


urlpatterns = [path("solo-impaginazione/", layout_only), path("", include("trama.urls"))]

pytestmark = pytest.mark.urls(__name__)


def tables_read(client):
    client.get("/solo-impaginazione/")  # the first request of a session may refresh it
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/solo-impaginazione/")
    assert response.status_code == 200
    return response, [q["sql"] for q in queries]


@pytest.mark.parametrize("role", list(Role))
def test_a_signed_in_page_reads_only_the_session_and_the_account(client, users, role):
    client.force_login(users[role])
    response, sql = tables_read(client)
    assert "django_session" in sql[0]
    assert '"people_user"' in sql[1] and '"territory_city"' in sql[1]  # the account and its city, one join
    # An antenna's menu offers "Segnala" only while her antenna record is active: one read, hers.
    rest = sql[2:]
    if role == Role.ANTENNA:
        assert len(rest) == 1 and '"attention_antenna"' in rest[0] and f'"account_id" = {users[role].pk}' in rest[0]
    else:
        assert rest == []
    # The header names the account's city, read with the account.
    assert users[role].city.name in response.content.decode()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.WORKER])
def test_a_session_verified_with_a_second_factor_also_reads_its_device(client, users, role, settings):
    """django-otp checks at every request that the device which verified the session still exists
    and is confirmed, so that removing it ends the session's verification: one query, the third."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TRAMA_REQUIRE_SECOND_FACTOR = True
    device = TOTPDevice.objects.create(user=users[role], name="telefono", confirmed=True)
    client.force_login(users[role])
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    _response, sql = tables_read(client)
    assert len(sql) == 3 and '"otp_totp_totpdevice"' in sql[2]


def test_an_anonymous_page_reads_nothing_once_the_city_is_known(client, city, settings):
    """The configured city is kept (territory.queries.current_city): the first page reads it, the next
    ones nothing at all; a renamed city shows on the next page."""
    settings.TRAMA_CITY = city.slug
    with CaptureQueriesContext(connection) as first:
        client.get("/solo-impaginazione/")
    assert [q["sql"] for q in first.captured_queries if '"territory_city"' in q["sql"]]
    response, sql = tables_read(client)
    assert sql == []
    assert city.name in response.content.decode()
    city.name = "Città rinominata"
    city.save()
    assert "Città rinominata" in client.get("/solo-impaginazione/").content.decode()


def test_a_changed_role_changes_the_menu_on_the_next_page(client, users):
    worker = users[Role.WORKER]
    client.force_login(worker)
    assert 'href="/account/persone/"' in client.get("/solo-impaginazione/").content.decode()
    worker.role = Role.CITIZEN
    worker.save(update_fields=["role"])
    assert 'href="/account/persone/"' not in client.get("/solo-impaginazione/").content.decode()


def test_each_account_sees_its_own_menu(client, users):
    from django.test import Client

    worker_client, citizen_client = client, Client()
    worker_client.force_login(users[Role.WORKER])
    citizen_client.force_login(users[Role.CITIZEN])
    for _ in range(2):  # interleaved, so nothing one request computes reaches the other
        assert 'href="/account/persone/"' in worker_client.get("/solo-impaginazione/").content.decode()
        assert 'href="/account/persone/"' not in citizen_client.get("/solo-impaginazione/").content.decode()
        assert users[Role.WORKER].username in worker_client.get("/solo-impaginazione/").content.decode()
        assert users[Role.WORKER].username not in citizen_client.get("/solo-impaginazione/").content.decode()


def _menu(client, user):
    from django.core.cache import cache

    cache.clear()  # drawn for this account alone
    client.force_login(user)
    page = client.get("/solo-impaginazione/").content.decode()
    return page[page.index('<ul class="navbar-nav">') : page.index("</ul>", page.index('<ul class="navbar-nav">'))]


def test_the_menu_kept_drawn_per_role_is_the_same_for_every_account_of_that_role(
    client, users, make_user, neighbourhood, other_neighbourhood, organisation
):
    """The menu is cached under role, language and the antenna's permission to signal: accounts of one role
    that differ in everything else (neighbourhoods, city, organisation, a person record) must draw the same
    menu, or the key misses what makes them differ."""
    from trama.attention.models import Antenna

    Antenna.objects.create(account=users[Role.ANTENNA], kind=Antenna.Kind.PHARMACY)
    suspended = make_user(Role.ANTENNA, [other_neighbourhood])
    Antenna.objects.create(account=suspended, kind=Antenna.Kind.SHOP, active=False)
    variants = {
        Role.COORDINATOR: [users[Role.COORDINATOR], make_user(Role.COORDINATOR, city=None)],
        Role.WORKER: [users[Role.WORKER], make_user(Role.WORKER, [neighbourhood, other_neighbourhood]), make_user(Role.WORKER)],
        Role.PARTNER: [users[Role.PARTNER], make_user(Role.PARTNER)],  # the first is a member of `organisation`
        Role.ANTENNA: [users[Role.ANTENNA], make_user(Role.ANTENNA, [other_neighbourhood])],
        Role.CITIZEN: [users[Role.CITIZEN], make_user(Role.CITIZEN)],
    }
    for role, accounts in variants.items():
        menus = {_menu(client, account) for account in accounts}
        assert len(menus) == 1, role
    # The one thing besides the role: a suspended antenna is not offered "Segnala".
    assert "Segnala" in _menu(client, users[Role.ANTENNA]) and "Segnala" not in _menu(client, suspended)


def test_a_suspended_antenna_loses_segnala_on_her_next_page_though_the_menu_is_kept_drawn(client, users):
    from trama.attention.models import Antenna

    antenna = Antenna.objects.create(account=users[Role.ANTENNA], kind=Antenna.Kind.PHARMACY)
    client.force_login(users[Role.ANTENNA])
    assert ">Segnala<" in client.get("/solo-impaginazione/").content.decode()
    antenna.active = False
    antenna.save(update_fields=["active"])
    assert ">Segnala<" not in client.get("/solo-impaginazione/").content.decode()
