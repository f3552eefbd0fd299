"""Who may use each territory URL (walked by tests/test_permissions.py)."""

from trama.testing import ANY_METHOD, PUBLIC, STAFF, url

EXPECTED = {
    "territory:map": (url("territory:map"), ANY_METHOD(PUBLIC)),
    "territory:place": (url("territory:place", "place"), ANY_METHOD(PUBLIC)),
    "territory:place#hidden": (url("territory:place", "hidden_place"), ANY_METHOD(STAFF)),
    "api-neighbourhoods": (url("api-neighbourhoods"), {"GET": PUBLIC}),
    "api-neighbourhood": (url("api-neighbourhood", "neighbourhood"), {"GET": PUBLIC}),
    "api-places": (url("api-places"), {"GET": PUBLIC, "POST": STAFF}),
    "api-place": (url("api-place", "place"), {"GET": PUBLIC}),
    "api-place#hidden": (url("api-place", "hidden_place"), {"GET": STAFF}),
    "api-places-geojson": (url("api-places-geojson"), {"GET": PUBLIC}),
}
