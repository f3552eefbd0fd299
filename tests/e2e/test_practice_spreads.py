"""Issue 19: a practice sheet written by a worker, reviewed and published by a coordinator, then found from a
theme, on a phone: by a worker of another neighbourhood on the theme's page, and by a visitor on the public pages."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.people.models import Role
from trama.practices.models import Practice
from trama.themes.models import Theme

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_practice_sheet_published_and_found_from_a_theme(phone, browser, live_server, users, make_user, neighbourhood, other_neighbourhood, city):
    theme = Theme.objects.create(city=city, status=Theme.Status.NAMED, name="Solitudine serale")
    worker, coordinator = users[Role.WORKER], users[Role.COORDINATOR]

    log_in(phone, worker.username, PASSWORD)
    phone.goto(f"/pratiche/nuova/?tema={theme.pk}")
    phone.get_by_label("Titolo").fill("Cene di cortile")
    phone.get_by_label("Che cosa abbiamo fatto").fill("Una cena al mese nel cortile delle case popolari, ognuno porta un piatto.")
    phone.get_by_label("Che cosa ha funzionato").fill("Invitare porta a porta, con la parrocchia e il circolo.")
    borgo = phone.get_by_label("Borgo Alto")
    if not borgo.is_checked():  # Bootstrap Italia's label covers the box: the person taps the label
        phone.locator(f"label[for={borgo.get_attribute('id')}]").click()
    expect(borgo).to_be_checked()
    expect(phone.get_by_label("Solitudine serale")).to_be_checked()
    phone.get_by_role("button", name="Salva").click()
    expect(phone.get_by_test_id("status")).to_have_text("bozza")
    phone.get_by_role("button", name="Manda in revisione").click()
    expect(phone.get_by_test_id("status")).to_have_text("in revisione")
    practice = Practice.objects.get()

    phone.context.clear_cookies()
    log_in(phone, coordinator.username, PASSWORD)
    phone.goto(f"/pratiche/{practice.pk}/")
    phone.get_by_role("button", name="Approva").click()
    expect(phone.get_by_test_id("status")).to_have_text("approvata")
    phone.get_by_role("button", name="Pubblica").click()
    expect(phone.get_by_test_id("status")).to_have_text("pubblicata")

    # A worker of another neighbourhood, on the theme's page: who has done something like this?
    phone.context.clear_cookies()
    elsewhere = make_user(Role.WORKER, [other_neighbourhood])
    log_in(phone, elsewhere.username, PASSWORD)
    phone.goto(f"/temi/{theme.pk}/")
    panel = phone.get_by_test_id("theme-practices")
    expect(panel.get_by_role("heading", name="Chi ha già fatto qualcosa di simile?")).to_be_visible()
    panel.get_by_role("link", name="Cene di cortile").click()
    expect(phone.get_by_role("heading", name="Cene di cortile")).to_be_visible()
    expect(phone.get_by_text("Invitare porta a porta")).to_be_visible()

    # A visitor, on the public pages, by theme.
    phone.context.clear_cookies()
    phone.goto("/pratiche/pubbliche/")
    phone.get_by_label("Tema").select_option(label="Solitudine serale")
    phone.get_by_role("button", name="Cerca").click()
    phone.get_by_test_id("public-practices").get_by_role("link", name="Cene di cortile").click()
    expect(phone.get_by_role("heading", name="Cene di cortile")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"], width
