"""Who may use each territory URL (walked by tests/test_permissions.py)."""

from trama.people.models import Role
from trama.testing import ANY_METHOD, COORDINATOR_ONLY, PUBLIC, STAFF, everyone, url

STAFF_404 = {Role.COORDINATOR: 404, Role.WORKER: 404}

EXPECTED = {
    "territory:map": (url("territory:map"), ANY_METHOD(PUBLIC)),
    "territory:place": (url("territory:place", "place"), ANY_METHOD(PUBLIC)),
    "territory:place#hidden": (url("territory:place", "hidden_place"), ANY_METHOD(STAFF)),
    # The staff's list of the city's places, hidden ones included.
    "territory:places": (url("territory:places"), ANY_METHOD(STAFF)),
    # Staff register places in their neighbourhoods (the worker's is `neighbourhood`), never in another city's.
    "territory:place_create": (
        url("territory:place_create"),
        {"GET": STAFF, "POST": STAFF},
        {"POST": lambda o: {"name": "Nuovo punto", "kind": "other", "neighbourhood": o["neighbourhood"].pk}},
    ),
    "territory:place_edit": (
        url("territory:place_edit", "place"),
        {"GET": STAFF, "POST": STAFF},
        {"POST": lambda o: {"name": "Punto", "kind": "community_point", "neighbourhood": o["neighbourhood"].pk}},
    ),
    "territory:place_edit#elsewhere": (
        url("territory:place_edit", "place_elsewhere"),
        {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
        {"POST": lambda o: {"name": "Presa", "kind": "other", "neighbourhood": o["other_neighbourhood"].pk}},
    ),
    "territory:place_edit#other-city": (
        url("territory:place_edit", "hidden_place_far"),
        {"GET": everyone("denied"), "POST": everyone("denied")},
        {"POST": lambda o: {"name": "Presa", "kind": "other", "neighbourhood": o["neighbourhood"].pk}},
    ),
    # Posters of a community point: staff who look after it (workers of its neighbourhood, the city's coordinators).
    "territory:place_poster": (url("territory:place_poster", "place"), {"GET": STAFF}),
    "territory:place_poster#elsewhere": (url("territory:place_poster", "point_elsewhere"), {"GET": COORDINATOR_ONLY}),
    "territory:place_poster#other-city": (url("territory:place_poster", "hidden_place_far"), {"GET": everyone("denied")}),
    "territory:place_poster#not-a-point": (url("territory:place_poster", "hidden_place"), {"GET": {**everyone("denied"), **STAFF_404}}),
    # The city's settings: its coordinators change its neighbourhoods and the small-count threshold; another city's are refused.
    "territory:neighbourhood_edit": (
        url("territory:neighbourhood_edit", "other_neighbourhood"),
        {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
        {"POST": lambda o: {"name": "Borgo Basso", "population": "9000"}},
    ),
    "territory:neighbourhood_edit#other-city": (
        url("territory:neighbourhood_edit", "far_neighbourhood"),
        {"GET": everyone("denied"), "POST": everyone("denied")},
        {"POST": lambda o: {"name": "Presa", "population": "1"}},
    ),
    "territory:small_count_threshold": (
        url("territory:small_count_threshold"),
        {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
        {"POST": lambda o: {"threshold": "12"}},
    ),
    "api-neighbourhoods": (url("api-neighbourhoods"), {"GET": PUBLIC}),
    "api-neighbourhood": (url("api-neighbourhood", "neighbourhood"), {"GET": PUBLIC}),
    "api-places": (url("api-places"), {"GET": PUBLIC, "POST": STAFF}),
    "api-place": (url("api-place", "place"), {"GET": PUBLIC}),
    "api-place#hidden": (url("api-place", "hidden_place"), {"GET": STAFF}),
    "api-places-geojson": (url("api-places-geojson"), {"GET": PUBLIC}),
}


def make_objects(o):
    from trama.territory.models import Place

    o["place_elsewhere"] = Place.objects.create(neighbourhood=o["other_neighbourhood"], name="Magazzino", is_public=False)
    o["point_elsewhere"] = Place.objects.create(
        neighbourhood=o["other_neighbourhood"], name="Punto di Borgo Basso", kind=Place.Kind.COMMUNITY_POINT, phone="0521 000000"
    )
