"""Issue 18, step 6: on a phone, someone who does not know her neighbourhood's name finds it on the map of the
public door; the point stays in the browser and only the neighbourhood goes with the form."""

import re

import pytest
from playwright.sync_api import expect

from trama.market.models import Need

pytestmark = pytest.mark.django_db(transaction=True)


def square(lon, lat, side=0.01):
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_a_tap_on_the_map_chooses_the_neighbourhood_of_the_public_door(phone, city, make_neighbourhood):
    west = make_neighbourhood("Molinetto", boundary=square(10.30, 44.79))
    make_neighbourhood("Pablo", boundary=square(10.32, 44.79))
    phone.goto("/mercato/cerco-una-mano/")
    select = phone.locator("#id_neighbourhood")
    expect(select.locator("option:checked")).to_have_text("Non lo so")

    phone.get_by_text("Non sai il quartiere? Trovalo sulla mappa").click()
    shapes = phone.locator("#mappa-quartiere path.leaflet-interactive")
    expect(shapes).to_have_count(2)
    expect(phone.locator("#mappa-quartiere[data-ready=true]")).to_be_attached()
    # The western square: the shape whose box lies further left.
    phone.locator("#mappa-quartiere").scroll_into_view_if_needed()
    box = min((shapes.nth(i).bounding_box() for i in range(2)), key=lambda b: b["x"])
    phone.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(phone.get_by_test_id("neighbourhood-chosen")).to_have_text("Quartiere scelto: Molinetto")
    expect(select).to_have_value(str(west.pk))
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    phone.get_by_label("Di che cosa avresti bisogno?").fill("Qualcuno che mi accompagni a fare la spesa il giovedì")
    with phone.expect_request(lambda request: request.method == "POST") as sent:
        phone.get_by_role("button", name="Continua").click()
    body = sent.value.post_data
    assert f"neighbourhood={west.pk}" in body
    assert "44.79" not in body and "10.3" not in body  # the point itself never leaves the phone
    expect(phone).to_have_url(re.compile(r"/mercato/bozza/$"))
    assert not Need.objects.exists()  # a visitor's draft waits for her contact: nothing is published yet
