"""WCAG 2.1 AA by axe-core: every browser test is scanned (conftest.py); this file proves the scan catches what it
must, and visits the pages no journey opens: every public page, and the menu of every role, on a 360 px phone and on
a desktop screen."""

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

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
