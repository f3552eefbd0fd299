"""What a person reads on Trama's pages, walked as every role: no internal code, no Django default.

Two worlds are walked, one after the other, each in a transaction rolled back at the end:

- the demo city of `manage.py load_demo` (Parma, its demo records), as each demo account and as the
  public: starting from the home page, every link of the site is followed (a few pages per URL name);
- the world of the permission walk (trama/testing.py `build_world`), where every URL of
  tests/test_permissions.py that a role is served is opened as that role.

Every HTML page reached is reduced to what a person reads (the text, the labels of options, the
accessible names written in `alt`, `aria-label`, `title` and `placeholder`; no tag, script, style or
other attribute), and the tests below judge that text.
"""

import io
import re
from collections import Counter, defaultdict
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from tests.test_permissions import DECLARED
from trama.market.index import forget_indexes
from trama.people.models import Role, User
from trama.testing import ANON, ROLES, build_world, choice_codes, choice_codes_in

# How many different pages of one URL name the crawl of the demo city opens (lists link to many records).
PAGES_PER_NAME = 3
# Paths a crawl never follows: actions, downloads of files that are not pages and the API.
NOT_PAGES = re.compile(r"^/(static|api)/|/(esci|logout)/")
# The pages are read in a module fixture: the mark makes pytest-django set up the test database first.
pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = {
    Role.COORDINATOR: "coordinatrice",
    Role.WORKER: "operatore",
    Role.PARTNER: "partner",
    Role.ANTENNA: "antenna",
    Role.CITIZEN: "cittadino",
}


class Page(NamedTuple):
    text: str  # what a person reads
    unstyled: list  # the form controls drawn outside the shared form layout


class Reader(HTMLParser):
    """What a person reads on a page: its text and the accessible names of its elements; and its links."""

    SILENT = {"script", "style", "template", "noscript"}
    SPOKEN = ("alt", "aria-label", "title", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.links, self.silent = [], [], 0
        self.controls, self.labelled = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit", "button", "reset"):
            self.controls.append((tag, attrs))
        if tag in self.SILENT:
            self.silent += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self.parts.extend(attrs[name] for name in self.SPOKEN if attrs.get(name))

    def handle_endtag(self, tag):
        if tag in self.SILENT and self.silent:
            self.silent -= 1

    def handle_data(self, data):
        if not self.silent:
            self.parts.append(data)


def read(html):
    """(what a person reads, the links, the form controls drawn outside the shared form layout): one parse of the page."""
    reader = Reader()
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split()), reader.links, unstyled_controls(reader)


def unstyled_controls(reader):
    """The form controls of a page (read by `reader`) drawn outside the shared form layout: without the design
    system's class, or without a label naming them."""
    wrong = []
    for tag, attrs in reader.controls:
        kind = attrs.get("type", "text") if tag == "input" else tag
        css = set((attrs.get("class") or "").split())
        # Bootstrap Italia styles check boxes and radio buttons by their type: they need only their label.
        expected = {"checkbox": None, "radio": None, "select": "form-select", "range": "form-range"}.get(kind, "form-control")
        named = attrs.get("id") in reader.labelled or attrs.get("aria-label") or attrs.get("aria-labelledby")
        if (expected and expected not in css) or not named:
            wrong.append(f"<{tag} name={attrs.get('name')!r} type={kind} class={attrs.get('class')!r}>")
    return wrong


def _crawl_demo(pages):
    """Every page the demo accounts (and the public) reach from their home by following links."""
    clients = {ANON: Client()}
    for role, username in DEMO_ACCOUNTS.items():
        clients[role] = Client()
        clients[role].force_login(User.objects.get(username=username))
    for role, client in clients.items():
        seen, per_name, queue = set(), Counter(), ["/"]
        while queue:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            try:
                name = resolve(urlsplit(path).path).view_name
            except Resolver404:
                continue
            per_name[name] += 1
            if per_name[name] > PAGES_PER_NAME:
                continue
            response = client.get(path)
            forget_indexes()
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            text, links, unstyled = read(response.content.decode())
            pages[("demo", role, path)] = Page(text, unstyled)
            for href in links:
                link = urlsplit(urljoin(path, href))
                if link.scheme in ("", "http") and link.netloc in ("", "testserver") and not NOT_PAGES.search(link.path):
                    queue.append(link.path + (f"?{link.query}" if link.query else ""))


def _walk_declared(pages):
    """Every URL of the permission walk, as each role it serves."""
    world = build_world()
    clients = {ANON: Client()}
    for role, user in world["users"].items():
        clients[role] = Client()
        clients[role].force_login(user)
    requested = set()
    for declared in DECLARED.values():
        if "GET" not in declared.methods:
            continue
        path = declared.build(world)
        if NOT_PAGES.search(path):
            continue
        for role in ROLES:
            if declared.methods["GET"][role] != "ok" or (role, path) in requested:
                # Another variant of the URL built the same path (its headers or bodies are not sent here): the same request.
                continue
            requested.add((role, path))
            with transaction.atomic():
                response = clients[role].get(path)
                transaction.set_rollback(True)
            forget_indexes()
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                text, _links, unstyled = read(response.content.decode())
                pages[("walk", role, path)] = Page(text, unstyled)


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker):
    """{(world, role, path): Page}, read in Italian."""
    pages = {}
    with django_db_blocker.unblock(), translation.override(settings.LANGUAGE_CODE):
        with transaction.atomic():
            call_command("load_demo", stdout=io.StringIO())
            _crawl_demo(pages)
            transaction.set_rollback(True)
        with transaction.atomic():
            _walk_declared(pages)
            transaction.set_rollback(True)
    return pages


def test_choice_codes_are_known():
    codes = choice_codes()
    assert {"third_sector", "euros", "space_hours", "in_progress", "taken_up"} <= set(codes)


def test_no_page_shows_a_choice_code(pages):
    """A stored value ("third_sector", "space_hours") is never read where its label ("Terzo settore") belongs."""
    codes = choice_codes()
    assert len(pages) > 300
    found = defaultdict(set)
    for (world, role, path), page in pages.items():
        for code, context in choice_codes_in(page.text):
            found[code].add(f"{world} {role} {path}: …{context}…")
    assert not found, "\n".join(
        f"{code} ({', '.join(sorted(codes[code]))}):\n  " + "\n  ".join(sorted(where)[:4]) for code, where in sorted(found.items())
    )


DAYS = "Lunedì|Martedì|Mercoledì|Giovedì|Venerdì|Sabato|Domenica"
MONTHS = "Gennaio|Febbraio|Marzo|Aprile|Maggio|Giugno|Luglio|Agosto|Settembre|Ottobre|Novembre|Dicembre"
CAPITALISED_DATE = re.compile(rf"\b(({DAYS}) \d{{1,2}}|\d{{1,2}} ({MONTHS})|({MONTHS}) \d{{4}})\b")


def test_dates_name_days_and_months_in_lower_case(pages):
    """ "sabato 21 novembre", "novembre 2026": never Django's "Sabato 21 Novembre"."""
    found = sorted(
        {f"{world} {role} {path}: {match.group(0)}" for (world, role, path), page in pages.items() for match in CAPITALISED_DATE.finditer(page.text)}
    )
    assert not found, "\n".join(found)


def test_no_page_shows_djangos_empty_choice(pages):
    """A drop-down starts with a real choice ("Non lo so", "tutti"), never Django's "---------"."""
    found = sorted(f"{world} {role} {path}" for (world, role, path), page in pages.items() if "---" in page.text)
    assert not found, found


def test_every_form_control_is_drawn_by_the_shared_layout(pages):
    """Drop-downs and fields look and read alike everywhere: the design system's class and a label of their own."""
    found = sorted(f"{world} {role} {path}: {', '.join(page.unstyled)}" for (world, role, path), page in pages.items() if page.unstyled)
    assert not found, "\n".join(found)
