"""WCAG 2.1 AA by axe-core: every browser test is scanned (conftest.py); this file proves the scan catches what it
must, and visits the pages no journey opens: every public page, and the menu of every role, on a 360 px phone and on
a desktop screen."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from trama.collective import services as collective
from trama.collective.models import Meeting
from trama.initiatives import services as initiatives
from trama.initiatives.models import Initiative
from trama.people.models import Role
from trama.territory.models import Place

from .conftest import axe_violations, log_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
PUBLIC_PAGES = [
    "home",
    "territory:map",
    "initiatives:catalogue",
    "collective:public_calendar",
    "market:door_need",
    "market:door_offer",
    "market:public_counts",
    "market:offers",
    "insights:open_data",
    "login",
    "password_reset",
    "people:register",
    "privacy:notice",
]

# An image with no text alternative (critical) and a field with no label (critical), on a page of the test server;
# a clean page whose form leads to it.
BROKEN = """<!doctype html><html lang="it"><head><title>Prova</title></head><body><main><h1>Prova</h1>
<img src="/static/nessuna.png"><form action="/" method="get"><input name="q"><button>Vai</button></form>
</main></body></html>"""
CLEAN = """<!doctype html><html lang="it"><head><title>Modulo</title></head><body><main><h1>Modulo</h1>
<form action="/prova-accessibilita/" method="get"><label for="c">Cerca</label><input id="c" name="c">
<button>Cerca</button></form></main></body></html>"""


@pytest.fixture
def test_pages(page):
    page.route("**/prova-accessibilita/*", lambda route: route.fulfill(content_type="text/html", body=BROKEN))
    page.route("**/prova-modulo/", lambda route: route.fulfill(content_type="text/html", body=CLEAN))
    return page


def test_axe_names_the_rule_the_element_and_the_page_of_a_violation(test_pages, axe_watch):
    test_pages.goto("/prova-accessibilita/")
    found = axe_violations(test_pages)
    assert {(v.rule, v.impact, v.target) for v in found} == {("image-alt", "critical", "img"), ("label", "critical", "input")}
    assert all(v.url.endswith("/prova-accessibilita/") for v in found)
    axe_watch.violations.clear()  # put there on purpose by the goto
    test_pages.goto("/")  # a clean page to end on: the check after the test body passes


def test_the_page_a_form_leads_to_is_scanned_as_soon_as_it_loads(test_pages, axe_watch):
    test_pages.goto("/prova-modulo/")
    assert axe_watch.violations == {}
    test_pages.get_by_label("Cerca").fill("x")
    test_pages.get_by_role("button", name="Cerca").click()
    assert {v.rule for v in axe_watch.violations.values()} == {"image-alt", "label"}
    with pytest.raises(AssertionError, match=r"image-alt \(critical\) on http://[^ ]+/prova-accessibilita/\?c=x at img"):
        axe_watch.check()
    axe_watch.violations.clear()
    test_pages.goto("/")


def test_the_page_still_open_when_the_test_ends_is_scanned_again(test_pages, axe_watch):
    test_pages.goto("/prova-modulo/")
    test_pages.evaluate("document.querySelector('label').remove()")  # what a script may do after the load
    with pytest.raises(AssertionError, match=r"label \(critical\) on http://[^ ]+/prova-modulo/ at #c"):
        axe_watch.check()
    axe_watch.violations.clear()
    test_pages.goto("/")


def test_a_document_left_before_any_step_could_scan_it_is_reported(test_pages, axe_watch):
    test_pages.goto("/prova-modulo/")
    test_pages.evaluate("document.querySelector('form').submit()")  # a navigation no wrapped step started
    test_pages.wait_for_url("**/prova-accessibilita/?c=")
    test_pages.evaluate("location.href = '/'")
    test_pages.wait_for_url("**/")
    with pytest.raises(AssertionError, match=r"left before it could be scanned: http://[^ ]+/prova-accessibilita/"):
        axe_watch.check()
    axe_watch.missed.clear()


@pytest.fixture
def public_records(city, neighbourhood, coordinator, worker):
    """A community point, a public initiative and a public meeting: the public pages that show one record."""
    place = Place.objects.create(neighbourhood=neighbourhood, name="Punto di comunità", kind=Place.Kind.COMMUNITY_POINT, address="Via Roma 1")
    initiative = initiatives.create_initiative(
        city=city,
        by=coordinator,
        origin=Initiative.Origin.WORKER,
        neighbourhoods=[neighbourhood],
        is_public=True,
        name="Pranzo della domenica",
        description="Un pranzo aperto a tutti, una domenica al mese.",
    )
    initiatives.move_initiative(initiative, "incubation", "Si parte", by=coordinator)  # shown once under way
    group = collective.create_group(city=city, neighbourhood=neighbourhood, name="Spesa insieme", purpose="Fare la spesa insieme", by=worker)
    meeting = collective.save_meeting(
        Meeting(group=group, title="Primo incontro", place=place, is_public=True, starts_at=timezone.localtime().replace(hour=18, minute=0)),
        by=worker,
    )
    return [
        reverse("territory:place", args=[place.pk]),
        reverse("initiatives:public", args=[initiative.pk]),
        reverse("collective:public_meeting", args=[meeting.pk]),
    ]


@pytest.fixture(params=list(WIDTHS), ids=str)
def screen(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="it-IT", viewport=WIDTHS[request.param])
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.route("https://**/*", lambda route: route.abort())  # no tile server: like a closed network
    yield page
    context.close()


def _visit(page, urls):
    """Opens each page once; the watch of conftest.py scans each as the next one is asked for."""
    for url in dict.fromkeys(urls):
        response = page.goto(url)
        assert response.ok, (url, response.status)
        page.wait_for_load_state("networkidle")


def test_every_public_page_passes_axe(screen, public_records, axe_watch):
    _visit(screen, [reverse(name) for name in PUBLIC_PAGES] + public_records)
    assert axe_watch.scans >= len(PUBLIC_PAGES)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN], ids=str)
def test_the_home_and_menu_of_every_role_pass_axe(screen, users, role, axe_watch):
    log_in(screen, users[role].username, PASSWORD)
    screen.wait_for_load_state("networkidle")
    menu = screen.locator("#menu-principale a.nav-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(menu) >= 3
    _visit(screen, [reverse("home")] + menu)
    assert axe_watch.scans >= len(set(menu))
