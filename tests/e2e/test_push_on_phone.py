"""The antenna's phone offers web push (issue 15): on her preferences page the service worker is registered for the
whole site and the "Ricevi avvisi su questo telefono" button shows, with "presa in carico" ticked for push by default.
Headless Chromium reaches no real push service, so subscribing itself is tested on the endpoint
(trama/notifications/tests/test_push_subscriptions.py)."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.notifications.tests.push_fixtures import switch_push_on
from trama.people.models import Role

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_antennas_phone_registers_the_service_worker_and_offers_push(phone, live_server, settings, users):
    switch_push_on(settings)
    log_in(phone, users[Role.ANTENNA].username, PASSWORD)
    phone.goto("/notifiche/preferenze/")
    button = phone.get_by_role("button", name="Ricevi avvisi su questo telefono")
    expect(button).to_be_visible()
    scope = phone.evaluate("navigator.serviceWorker.getRegistration('/').then(r => r && r.scope)")
    assert scope == f"{live_server.url}/"
    expect(phone.get_by_test_id("kind-signal_taken_up").get_by_label("anche come avviso sul telefono")).to_be_checked()
    expect(phone.get_by_test_id("kind-match_proposed").get_by_label("anche come avviso sul telefono")).not_to_be_checked()
