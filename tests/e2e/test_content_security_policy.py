"""No page breaks our Content-Security-Policy: every role opens the pages of its menu (and a few
detail pages) and the browser reports no violation in the console.

The policy has no 'unsafe-inline': a style="…" attribute in a template, a <style> element or an
inline script added by a library would each be blocked and logged here.
"""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from trama.initiatives import services as initiatives
from trama.initiatives.models import Initiative, Partner
from trama.people.models import Consent, Organisation, Person, Role
from trama.people.services import register_person
from trama.territory.models import Place
from trama.themes.models import Tag, TextItem, Theme

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

ANONYMOUS_PAGES = ["home", "territory:map", "initiatives:catalogue", "login", "people:register", "privacy:notice", "api-docs"]


@pytest.fixture
def pages_of_records(users, city, neighbourhood):
    """A person with a themed text and an initiative with a partner and a milestone: the detail pages staff open most."""
    worker, coordinator = users[Role.WORKER], users[Role.COORDINATOR]
    person = register_person(
        by=worker, neighbourhood=neighbourhood, display_name="Gino", channel=Person.Channel.OUTREACH, consents=[Consent.Purpose.REGISTRATION]
    )
    item = TextItem.objects.create(
        city=city, source=TextItem.Source.IMPORT, source_id=1, text="Cerco compagnia la domenica", neighbourhood=neighbourhood, person=person
    )
    theme = Theme.objects.create(city=city, name="Solitudine", status=Theme.Status.NAMED)
    Tag.objects.create(item=item, theme=theme, origin=Tag.Origin.ENGINE, confidence=0.9)
    initiative = initiatives.create_initiative(
        city=city,
        by=coordinator,
        origin=Initiative.Origin.WORKER,
        neighbourhoods=[neighbourhood],
        name="Pranzo della domenica",
        description="Un pranzo aperto a tutti.",
    )
    organisation = Organisation.objects.create(city=city, name="Associazione Il Ponte", sector="third_sector")
    organisation.members.add(users[Role.PARTNER])
    partner = initiatives.add_partner(initiative, organisation=organisation, role=Partner.Role.HOST, by=coordinator)
    initiatives.add_milestone(initiative, title="Primo pranzo", by=coordinator)
    return {
        Role.WORKER: [
            reverse("people:person", args=[person.pk]),
            initiative.get_absolute_url(),
            reverse("initiatives:partner_remove", args=[partner.pk]),
            theme.get_absolute_url(),
            item.get_absolute_url(),
        ],
        Role.COORDINATOR: [reverse("people:person", args=[person.pk]), initiative.get_absolute_url(), theme.get_absolute_url()],
        Role.PARTNER: [initiative.get_absolute_url()],
    }


def _watch(page):
    violations = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None)
    return violations


def _visit(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _menu(page):
    """The links of the main menu, as the signed-in role sees them."""
    return page.locator("#menu-principale a.nav-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_the_public_pages_report_no_violation(page, neighbourhood):
    place = Place.objects.create(
        neighbourhood=neighbourhood, name="Punto di comunità", kind=Place.Kind.COMMUNITY_POINT, lat=44.80, lon=10.33
    )  # a marker on the map
    violations = _watch(page)
    for url in [reverse(name) for name in ANONYMOUS_PAGES] + [reverse("territory:place", args=[place.pk])]:
        _visit(page, url)
    assert violations == []


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN], ids=str)
def test_the_main_pages_of_each_role_report_no_violation(page, users, pages_of_records, role):
    violations = _watch(page)
    log_in(page, users[role].username, PASSWORD)
    page.wait_for_load_state("networkidle")
    menu = _menu(page)
    assert len(menu) >= 3
    for url in menu + pages_of_records.get(role, []) + [reverse("people:profile")]:
        _visit(page, url)
    assert violations == []
