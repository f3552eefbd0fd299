"""The Arabic door: chosen from the menu, laid out right to left, with nothing past the edge of a 360 px phone."""

import pytest
from playwright.sync_api import expect

from .conftest import choose_language

pytestmark = pytest.mark.django_db(transaction=True)

# The document's direction, a text block's computed direction and alignment, and the widths that tell overflow.
LAYOUT = """() => {
  const text = document.querySelector("main h1");
  const style = getComputedStyle(text);
  return {dir: document.documentElement.dir, direction: style.direction, align: style.textAlign,
          scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth};
}"""


def test_the_arabic_door_is_laid_out_right_to_left_on_a_phone(phone, city, neighbourhood):
    phone.set_viewport_size({"width": 360, "height": 740})
    phone.goto("/mercato/cerco-una-mano/")
    expect(phone.locator("html")).to_have_attribute("dir", "ltr")
    choose_language(phone, "ar")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    layout = phone.evaluate(LAYOUT)
    assert layout["dir"] == "rtl" and layout["direction"] == "rtl" and layout["align"] in ("right", "start")
    assert layout["scroll"] <= layout["client"] == 360
    # The choice is remembered: the next door is Arabic too, and fits as well.
    phone.goto("/mercato/offro-una-mano/")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    layout = phone.evaluate(LAYOUT)
    assert layout["direction"] == "rtl" and layout["scroll"] <= layout["client"]
    expect(phone.get_by_test_id("lang-select")).to_be_in_viewport()
