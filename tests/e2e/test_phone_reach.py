"""On a phone, each role's main action is on its home page without scrolling (375×667 and 360×640).

Over the demo city, as each demo account (and the public): the first link of the page to each main
action must be visible, inside the window, with words of its own. On the code before this test the
antenna's "Segnala" sat at y 656–704 of a 667 px window, and no other role's main action was in reach.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from trama.people.demo import create_demo_accounts
from trama.people.models import Role
from trama.territory.queries import current_city
from trama.testing import ANON

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONES = [{"width": 375, "height": 667}, {"width": 360, "height": 640}]
DEMO_ACCOUNTS = {
    Role.COORDINATOR: "coordinatrice",
    Role.WORKER: "operatore",
    Role.PARTNER: "partner",
    Role.ANTENNA: "antenna",
    Role.CITIZEN: "cittadino",
}
# What each role comes to do (DESIGN.md §2 and §4): the links its home must keep within reach.
MAIN_ACTIONS = {
    ANON: ["market:door_need", "market:door_offer"],
    Role.COORDINATOR: ["insights:dashboard", "people:invite"],
    Role.WORKER: ["attention:queue", "attention:encounter_create"],
    Role.PARTNER: ["market:offer_create", "market:matches"],
    Role.ANTENNA: ["attention:signal_create"],
    Role.CITIZEN: ["market:door_need", "market:door_offer"],
}


@pytest.fixture
def demo_passwords():
    call_command("load_demo", stdout=io.StringIO())
    return {username: password for username, _role, password in create_demo_accounts(current_city())}


def out_of_reach(page, names):
    """The main actions of the home page that are missing, unnamed or not wholly inside the window."""
    height = page.viewport_size["height"]
    wrong = []
    for name in names:
        url = reverse(name)
        link = page.locator(f'main a[href="{url}"], main a[href^="{url}?"]').first  # a filter may follow
        if not link.count() or not link.is_visible():
            wrong.append(f"{name}: not shown")
            continue
        box = link.bounding_box()
        label = " ".join(link.inner_text().split())
        if not label or box["y"] < 0 or box["y"] + box["height"] > height:
            wrong.append(f"{name} «{label}»: y {box['y']:.0f}–{box['y'] + box['height']:.0f} of a {height} px window")
    return wrong


def test_each_roles_main_action_is_in_reach_on_a_phone(browser, live_server, demo_passwords):
    """Every role in one test: the demo city is loaded once (it was most of the time of one test per role)."""
    wrong = []
    for role, actions in MAIN_ACTIONS.items():
        for viewport in PHONES:
            context = browser.new_context(base_url=live_server.url, locale="it-IT", viewport=viewport, is_mobile=True, has_touch=True)
            context.set_default_timeout(15_000)
            page = context.new_page()
            if role == ANON:
                page.goto("/")
            else:
                log_in(page, DEMO_ACCOUNTS[role], demo_passwords[DEMO_ACCOUNTS[role]])
                page.wait_for_url(f"{live_server.url}/")
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.scrollY") == 0
            wrong += [f"{role} {viewport['width']}×{viewport['height']} {problem}" for problem in out_of_reach(page, actions)]
            context.close()
    assert not wrong, wrong
