"""Nobody is left waiting (issue 15): the offering citizen hears of a proposed match by the bell and by e-mail,
follows the e-mail's link, signs in, lands on the match and accepts it; the antenna, on her phone, sees that her
signal was taken up. One test, few pages: each page loaded is also checked by axe."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.attention import services as attention
from trama.attention.models import Antenna, Signal
from trama.market import services as market
from trama.market.models import Match
from trama.people.models import Role

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_PHONE = {"width": 375, "height": 667}


def test_the_offering_citizen_and_the_antenna_hear_without_looking(
    page, browser, live_server, settings, users, neighbourhood, make_user, make_person
):
    settings.TRAMA_SITE_URL = live_server.url
    worker, antenna = users[Role.WORKER], users[Role.ANTENNA]
    giver = make_user(Role.CITIZEN, first_name="Bruna")
    offer = market.record_offer(
        person=make_person(name="Bruna", account=giver), kind="time", title="Accompagno a fare la spesa", neighbourhoods=[neighbourhood], by=worker
    )
    need = market.record_need(
        person=make_person(name="Gino"), text="Mi serve una mano con la spesa", neighbourhood=neighbourhood, urgency="high", by=worker
    )
    Antenna.objects.create(account=antenna, kind=Antenna.Kind.PHARMACY)
    signal = attention.send_signal(by=antenna, neighbourhood=neighbourhood, text="Signora sola al quarto piano", urgency=Signal.Urgency.MEDIUM)

    # The worker proposes the match (her pages are journey 4's): the giver's e-mail goes out at once.
    match = market.propose_match(need=need, offer=offer, by=worker)
    [message] = [m for m in mail.outbox if m.to == [giver.email]]
    assert "Gino" not in message.body and "spesa" not in message.body
    link = re.search(r"^(http\S+/mercato/abbinamenti/\d+/)$", message.body, re.M).group(1)

    # She follows the link, signs in, and lands on the match, the bell counting it.
    page.goto(link)
    page.get_by_label("Nome per accedere o e-mail").fill(giver.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").last.click()
    expect(page).to_have_url(re.compile(rf"/mercato/abbinamenti/{match.pk}/$"))
    expect(page.get_by_test_id("notification-bell")).to_have_attribute("aria-label", "Notifiche: 1 da leggere")
    page.get_by_test_id("accept-offer").click()
    expect(page.get_by_test_id("offer-answer")).to_have_text("Sì")
    assert Match.objects.get(pk=match.pk).offer_answer == Match.Answer.YES

    # The worker takes the antenna's signal up; on her phone the antenna sees the notice.
    attention.plan_outreach(by=worker, signal=signal, assigned_to=worker, method="phone", due_date=timezone.localdate())
    context = browser.new_context(base_url=live_server.url, locale="it-IT", viewport=SMALL_PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    phone = context.new_page()
    try:
        log_in(phone, antenna.username, PASSWORD)
        bell = phone.get_by_test_id("notification-bell")
        expect(bell).to_have_attribute("aria-label", "Notifiche: 1 da leggere")
        bell.click()
        expect(phone.get_by_test_id("notifications")).to_contain_text("La tua segnalazione è stata presa in carico")
        assert "quarto piano" not in phone.content()
    finally:
        context.close()
