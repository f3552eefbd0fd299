"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Every page a browser test shows is checked by axe-core (WCAG 2.0 and 2.1, levels A and AA): each document once
it has loaded after the step that brought it (a `goto`, a link followed, a form sent), and the pages still open
again when the test body ends. A serious or critical violation fails the test, naming the rule, the element and
the page."""

import functools
import os
import shutil
import weakref
from typing import NamedTuple

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Locator, Page

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by fixtures in that same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TRAMA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
# No rule is excused. Should one ever have to be, it goes here as {rule id: "issue N: why"}, and each run prints it.
AXE_EXCEPTIONS = {}

# Runs axe-core on an HTML document (not on a PDF, a CSV or JSON the browser shows), loading it first if needed.
RUN_AXE = """async ([tags, source]) => {
  if (document.contentType !== "text/html") return null;
  if (typeof window.axe === "undefined") (0, eval)(source);
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,
                                       targets: v.nodes.map(n => n.target.join(" "))}));
}"""


# What makes a scan's result: the document's HTML (without its one-time CSRF tokens) and the window's size. Equal
# documents seen again (the login page in nearly every test, the same refusal page) reuse the first scan's result.
FINGERPRINT = """async () => {
  if (document.contentType !== "text/html") return null;
  const copy = document.documentElement.cloneNode(true);
  copy.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(input => input.removeAttribute("value"));
  const text = `${window.innerWidth}x${window.innerHeight} ${location.pathname}${location.search}\n${copy.outerHTML}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, "0")).join("");
}"""
# {fingerprint: the violations axe-core found on that document}, for this test process.
SCANNED = {}


class Violation(NamedTuple):
    rule: str
    impact: str
    target: str
    url: str
    help: str

    def __str__(self):
        return f"{self.rule} ({self.impact}) on {self.url} at {self.target}: {self.help}"


def axe_violations(page):
    """The serious and critical WCAG A/AA violations axe-core finds on the document `page` shows now."""
    if page.is_closed() or not page.url.startswith("http"):
        return []
    fingerprint = page.evaluate(FINGERPRINT)
    if fingerprint is None:  # a PDF, a CSV, JSON
        return []
    if fingerprint not in SCANNED:
        found = page.evaluate(RUN_AXE, [WCAG_AA, AXE_SCRIPT]) or []
        SCANNED[fingerprint] = [
            Violation(v["rule"], v["impact"], target, page.url, v["help"])
            for v in found
            if v["impact"] in BLOCKING_IMPACTS and v["rule"] not in AXE_EXCEPTIONS
            for target in v["targets"]
        ]
    return SCANNED[fingerprint]


class AxeWatch:
    """Scans every document shown by the pages of the browser contexts it watches: after each step that can take a
    page somewhere else (a `goto`, a click, a key, a form sent) once the new document has loaded, and, for the pages
    still open, when the test body ends. A document left before any step could scan it is reported as not scanned."""

    def __init__(self):
        self.contexts, self.violations, self.missed, self.scans = [], {}, [], 0

    def watch(self, context):
        self.contexts.append(context)
        context.on("page", self._follow)

    def _follow(self, page):
        page._axe_watch, page._axe_documents, page._axe_scanned = self, [], 0

        def committed(frame):
            if frame.parent_frame is None:
                page._axe_documents.append(frame.url)

        page.on("framenavigated", committed)

    def after_step(self, page, always=False):
        """Scans `page` if it shows a document not scanned yet (or `always`)."""
        if page.is_closed() or not (always or len(page._axe_documents) > page._axe_scanned):
            return
        page.wait_for_load_state("load")
        documents = len(page._axe_documents)
        self.missed += [url for url in page._axe_documents[page._axe_scanned : documents - 1] if url.startswith("http")]
        page._axe_scanned = documents
        self.scans += 1
        for violation in axe_violations(page):
            self.violations.setdefault(violation[:4], violation)

    def check(self):
        """Scans the pages still open, then fails on any violation found during the test."""
        for context in self.contexts:
            for page in context.pages:
                self.after_step(page, always=True)
        problems = [str(v) for v in self.violations.values()] + [f"left before it could be scanned: {url}" for url in self.missed]
        assert not problems, "axe-core (WCAG 2.1 AA), serious or critical:\n  " + "\n  ".join(problems)


def _then_scan(method):
    @functools.wraps(method)
    def step(self, *args, **kwargs):
        result = method(self, *args, **kwargs)
        page = self if isinstance(self, Page) else self.page
        watch = getattr(page, "_axe_watch", None)
        if watch is not None:
            watch.after_step(page)
        return result

    return step


# The steps through which a test can take a page to another document: each is followed by a scan of the new one.
for _cls, _names in (
    (
        Page,
        [
            "goto",
            "reload",
            "go_back",
            "go_forward",
            "click",
            "dblclick",
            "tap",
            "press",
            "check",
            "uncheck",
            "set_checked",
            "select_option",
            "dispatch_event",
        ],
    ),
    (Locator, ["click", "dblclick", "tap", "press", "press_sequentially", "check", "uncheck", "set_checked", "select_option", "dispatch_event"]),
):
    for _name in _names:
        setattr(_cls, _name, _then_scan(getattr(_cls, _name)))


# {context: the live server's address it was opened on}, for `log_in` to give it a session cookie.
BASE_URLS = weakref.WeakKeyDictionary()


class WatchedBrowser:
    """The browser, but every context it opens during a test is watched by that test's AxeWatch."""

    def __init__(self, browser):
        self._browser, self.axe = browser, None

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        BASE_URLS[context] = options.get("base_url")
        if self.axe is not None:
            self.axe.watch(context)
        return context


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def pytest_report_header():
    if AXE_EXCEPTIONS:
        return "axe-core rules excused: " + "; ".join(f"{rule} ({why})" for rule, why in AXE_EXCEPTIONS.items())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    watch = item.funcargs.get("axe_watch")
    if watch is not None:
        watch.check()
    return result


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (see .ci/run).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield WatchedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def axe_watch(browser):
    browser.axe = AxeWatch()
    yield browser.axe
    browser.axe = None


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="it-IT")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="it-IT", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def log_in_through_form(page, username, password):
    """Signs in as a person does: the login form, filled and sent (the tests of signing in itself use it)."""
    page.goto("/account/accedi/")
    page.get_by_label("Nome per accedere o e-mail").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Accedi").last.click()


def log_in(page, username, password):
    """Signs in and lands on the home page, as the login form does, without filling the form.

    Django's `Client.force_login` opens the session (the sign-in's signals run: the audit entry, the session's
    clock, the bell's count) and its cookie goes into the browser; the form itself is tested by
    test_foundation.py and the second factor's tests. The form is used all the same whenever skipping it could
    change what the test sees: a password that is not the account's (the form refuses it), an account that is
    inactive or has a second factor (the form asks for a code), a browser that already holds a session (signing
    in carries over what it holds, such as a draft written at a public door)."""
    from django.conf import settings
    from django.shortcuts import resolve_url
    from django.test import Client

    from trama.people.models import User
    from trama.people.second_factor import has_second_factor

    context = page.context
    base_url = BASE_URLS.get(context)
    user = User.objects.filter(username=username).first()
    holds_session = any(cookie["name"] == settings.SESSION_COOKIE_NAME for cookie in context.cookies())
    if not base_url or user is None or not user.is_active or not user.check_password(password) or has_second_factor(user) or holds_session:
        log_in_through_form(page, username, password)
        return
    client = Client()
    client.force_login(user, backend="trama.people.backends.AccountBackend")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": base_url}])
    page.goto(resolve_url(settings.LOGIN_REDIRECT_URL))


def choose_language(page, code):
    """The header's language menu: pick the language, then send the choice."""
    page.get_by_test_id("lang-select").select_option(code)
    page.get_by_test_id("lang-submit").click()
