"""No page scrolls sideways: on a 360 px phone the pages each role opens most, the group form among them, fit the
window; on a 1280 px screen the longest menu (the coordinator's) wraps instead of widening the page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from trama.collective import services as collective
from trama.collective.models import Meeting
from trama.initiatives import services as initiatives
from trama.initiatives.models import Initiative, Partner
from trama.people.models import Role
from trama.territory.models import Place

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_360 = {"width": 360, "height": 740}
PUBLIC_PAGES = [
    "home",
    "territory:map",
    "initiatives:catalogue",
    "collective:public_calendar",
    "market:door_need",
    "market:public_counts",
    "login",
    "people:register",
    "privacy:notice",
]


@pytest.fixture
def narrow(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="it-IT", viewport=PHONE_360)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def records(city, neighbourhood, organisation, make_person, worker, coordinator):
    """A group with a member and a meeting this month; a public initiative with a partner and its commitment:
    the pages with the widest tables."""
    place = Place.objects.create(neighbourhood=neighbourhood, name="Punto di comunità", kind=Place.Kind.COMMUNITY_POINT, address="Via Roma 1")
    group = collective.create_group(city=city, neighbourhood=neighbourhood, name="Spesa insieme", purpose="Fare la spesa insieme", by=worker)
    collective.add_member(group, make_person(name="Amina"), by=worker, consent=True)
    collective.save_meeting(
        Meeting(group=group, title="Primo incontro", place=place, starts_at=timezone.localtime().replace(hour=18, minute=0)), by=worker
    )
    initiative = initiatives.create_initiative(
        city=city,
        by=coordinator,
        origin=Initiative.Origin.WORKER,
        neighbourhoods=[neighbourhood],
        is_public=True,
        name="Pranzo della domenica",
        description="Un pranzo aperto a tutti, una domenica al mese.",
    )
    initiatives.move_initiative(initiative, "incubation", "Si parte", by=coordinator)
    partner = initiatives.add_partner(initiative, organisation=organisation, role=Partner.Role.HOST, by=coordinator)
    initiatives.add_commitment(
        initiative,
        partner=partner,
        description="Due volontari per la distribuzione del sabato",
        kind="hours",
        quantity=20,
        due_date=timezone.localdate(),
        by=coordinator,
    )
    staff = [
        reverse("collective:group_create"),
        reverse("collective:group", args=[group.pk]),
        reverse("collective:calendar"),
        initiative.get_absolute_url(),
        reverse("initiatives:create"),
    ]
    return {
        Role.COORDINATOR: staff,
        Role.WORKER: staff,
        Role.PARTNER: [initiative.get_absolute_url()],
        Role.CITIZEN: [reverse("initiatives:propose"), reverse("market:need_create")],
        "public": [reverse(name) for name in PUBLIC_PAGES] + [reverse("initiatives:public", args=[initiative.pk])],
    }


def _menu(page):
    return page.locator("#menu-principale a.nav-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")


# The page's width, the window's, and the first elements reaching past the window's right edge (to tell why).
MEASURE = """() => {
  const past = [...document.body.querySelectorAll("*")].filter(el => el.getBoundingClientRect().right > window.innerWidth);
  return [document.documentElement.scrollWidth, window.innerWidth,
          past.slice(0, 3).map(el => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().split(/ +/).join(".") : ""))];
}"""


def _too_wide(page, urls):
    """The pages among `urls` wider than the window: (url, page width, window width, elements past the edge)."""
    wide = []
    for url in dict.fromkeys(urls):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        scroll_width, inner_width, past = page.evaluate(MEASURE)
        if scroll_width > inner_width:
            wide.append((url, scroll_width, inner_width, past))
    return wide


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN], ids=str)
def test_the_main_pages_of_each_role_fit_a_phone(narrow, users, records, role):
    log_in(narrow, users[role].username, PASSWORD)
    narrow.wait_for_load_state("networkidle")
    menu = _menu(narrow)
    assert len(menu) >= 3
    assert narrow.evaluate("window.innerWidth") == PHONE_360["width"]
    assert _too_wide(narrow, menu + records.get(role, [])) == []


def test_the_public_pages_fit_a_phone(narrow, records):
    assert _too_wide(narrow, records["public"]) == []


def test_the_coordinators_long_menu_does_not_widen_the_group_form_on_a_wide_screen(page, users, records):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, users[Role.COORDINATOR].username, PASSWORD)
    page.wait_for_load_state("networkidle")
    assert len(_menu(page)) >= 15
    assert _too_wide(page, [reverse("collective:group_create"), reverse("home")]) == []
