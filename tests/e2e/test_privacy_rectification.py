"""A person asks for a wrong phone number to be corrected (GDPR art. 16): a worker does it from the person's page on a
phone; the citizen corrects her own name from her profile. Both pages fit a 360 px window."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.people.models import Consent, Person, Role
from trama.privacy.models import Rectification

from .conftest import log_in
from .test_no_horizontal_overflow import MEASURE, PHONE_360

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="it-IT", viewport=PHONE_360)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def fits(page):
    page.wait_for_load_state("networkidle")
    scroll_width, inner_width, past = page.evaluate(MEASURE)
    return scroll_width <= inner_width or past


def test_a_worker_corrects_a_phone_number_and_the_citizen_her_own_name(phone, users, make_person):
    citizen, worker = users[Role.CITIZEN], users[Role.WORKER]
    lia = make_person(name="Lia", account=citizen)
    Consent.objects.create(person=lia, purpose=Consent.Purpose.IDENTIFYING)
    Person.objects.filter(pk=lia.pk).update(last_name="Russo", phone="0521 111111")

    log_in(phone, worker.username, PASSWORD)
    phone.goto(reverse("people:person", args=[lia.pk]))
    phone.get_by_test_id("rectify-person").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Rettifica dei dati")
    assert fits(phone) is True
    phone.get_by_label("telefono").fill("0521 222222")
    phone.get_by_role("button", name="Salva la rettifica").click()
    # No reason, no change: the page says what is missing.
    expect(phone.get_by_text("Scrivi il motivo della rettifica.")).to_be_visible()
    assert Person.objects.get(pk=lia.pk).phone == "0521 111111"
    phone.get_by_label("telefono").fill("0521 222222")
    phone.get_by_label("Motivo della rettifica").fill("Numero cambiato")
    phone.get_by_role("button", name="Salva la rettifica").click()
    expect(phone.get_by_text("Rettifica registrata")).to_be_visible()
    expect(phone.get_by_test_id("rectifications")).to_contain_text("telefono (persona)")
    assert Person.objects.get(pk=lia.pk).phone == "0521 222222"

    phone.context.clear_cookies()  # signed out: the citizen signs in on the same phone
    log_in(phone, citizen.username, PASSWORD)
    phone.goto(reverse("people:profile"))
    phone.get_by_test_id("rectify-mine").click()
    assert fits(phone) is True
    expect(phone.get_by_label("telefono")).to_have_value("0521 222222")
    phone.get_by_label("cognome").fill("Rossi")
    phone.get_by_label("Motivo della rettifica").fill("Cognome scritto male")
    phone.get_by_role("button", name="Salva la rettifica").click()
    expect(phone.get_by_text("Rettifica registrata")).to_be_visible()
    assert Person.objects.get(pk=lia.pk).last_name == "Rossi"
    assert list(Rectification.objects.order_by("pk").values_list("made_by", flat=True)) == [worker.pk, citizen.pk]
