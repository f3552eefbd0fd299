"""Journey 1: a pharmacist, antenna in her neighbourhood, sends a signal with no name from her phone
in under a minute, and later sees that it was taken up, without learning anything about the person."""

import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.attention import services
from trama.attention.models import Antenna, Signal
from trama.people.models import Role

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_PHONE = {"width": 375, "height": 667}


@pytest.fixture
def small_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="it-IT", viewport=SMALL_PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def pharmacist(make_user, make_neighbourhood):
    where = make_neighbourhood("San Martino", is_pilot=True)
    user = make_user(Role.ANTENNA, [where], username="farmacista", first_name="Franca")
    Antenna.objects.create(account=user, kind=Antenna.Kind.PHARMACY)
    return user


def no_horizontal_scroll(page):
    assert page.evaluate("document.scrollingElement.scrollWidth") <= SMALL_PHONE["width"]


def test_an_antenna_signals_from_a_phone_in_under_a_minute_and_sees_it_taken_up(small_phone, pharmacist, make_user):
    page = small_phone
    log_in(page, "farmacista", PASSWORD)
    started = time.monotonic()
    page.get_by_role("link", name="Segnala").first.click()
    expect(page.get_by_text("Il nome non serve")).to_be_visible()
    expect(page.get_by_test_id("emergency")).to_contain_text("112")
    no_horizontal_scroll(page)
    page.get_by_label("Che cosa hai notato").fill("Una signora anziana non viene più a prendere le medicine da tre settimane.")
    expect(page.get_by_label("Quartiere")).to_have_value(str(pharmacist.neighbourhoods.get().pk))
    page.get_by_label("Quanto è urgente").select_option(label="Meglio nei prossimi giorni")
    page.get_by_label("Età approssimativa").select_option(label="80 anni o più")
    page.get_by_label("Con chi vive").select_option(label="Vive da sola")
    no_horizontal_scroll(page)
    submit = page.get_by_role("button", name="Invia la segnalazione")
    submit.scroll_into_view_if_needed()
    expect(submit).to_be_in_viewport()
    submit.click()
    expect(page.get_by_text("Grazie! La segnalazione è arrivata")).to_be_visible()
    assert time.monotonic() - started < 60
    expect(page.get_by_test_id("signal-status").first).to_have_text("ricevuta")
    no_horizontal_scroll(page)

    # Meanwhile a community worker of the neighbourhood goes and meets the person.
    signal = Signal.objects.get()
    worker = make_user(Role.WORKER, [signal.neighbourhood])
    services.plan_outreach(by=worker, signal=signal, assigned_to=worker, method="with_antenna", due_date=timezone.localdate())
    services.record_encounter(
        by=worker,
        neighbourhood=signal.neighbourhood,
        setting="home",
        happened_at=timezone.now(),
        signal=signal,
        notes="Vive sola, la figlia è all'estero",
        new_person={"display_name": "Signora Lina", "channel": "antenna", "consents": ["registration"]},
    )

    page.reload()
    expect(page.get_by_test_id("signal-status").first).to_have_text("contatto avvenuto")
    expect(page.get_by_text("novità")).to_be_visible()
    page.get_by_role("link", name=f"n. {signal.pk} del").click()
    expect(page.get_by_test_id("signal-status")).to_have_text("contatto avvenuto")
    body = page.locator("main").inner_text()
    assert "Lina" not in body and "figlia" not in body
    no_horizontal_scroll(page)
